package org.tandem.gateway.interwork;

/** Q.931 section 4.5.10, octet 3, bits 7-5: type of number, with its wire value. */
public enum TypeOfNumber {
    UNKNOWN(0), INTERNATIONAL(1), NATIONAL(2), NETWORK_SPECIFIC(3), SUBSCRIBER(4), ABBREVIATED(6);

    private final int code;

    TypeOfNumber(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static TypeOfNumber fromCode(int code) {
        for (TypeOfNumber t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("Q.931 type of number " + code + " is reserved");
    }
}
