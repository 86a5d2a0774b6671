package org.tandem.gateway.interwork;

/** Q.931 section 4.5.10, octet 3a, bits 2-1: screening indicator. */
public enum Screening {
    USER_NOT_SCREENED(0), USER_VERIFIED_PASSED(1), USER_VERIFIED_FAILED(2), NETWORK_PROVIDED(3);

    private final int code;

    Screening(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Screening fromCode(int code) {
        for (Screening s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("Q.931 screening indicator " + code + " is out of range");
    }
}
