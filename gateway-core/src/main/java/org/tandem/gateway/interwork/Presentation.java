package org.tandem.gateway.interwork;

/** Q.931 section 4.5.10, octet 3a, bits 7-6: presentation indicator. */
public enum Presentation {
    ALLOWED(0), RESTRICTED(1), NOT_AVAILABLE(2);

    private final int code;

    Presentation(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Presentation fromCode(int code) {
        for (Presentation p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        throw new IllegalArgumentException("Q.931 presentation indicator " + code + " is reserved");
    }
}
