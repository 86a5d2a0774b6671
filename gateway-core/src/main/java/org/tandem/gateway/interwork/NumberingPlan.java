package org.tandem.gateway.interwork;

/** Q.931 section 4.5.10, octet 3, bits 4-1: numbering plan identification, with its wire value. */
public enum NumberingPlan {
    UNKNOWN(0), ISDN_E164(1), DATA_X121(3), TELEX_F69(4), NATIONAL(8), PRIVATE(9);

    private final int code;

    NumberingPlan(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static NumberingPlan fromCode(int code) {
        for (NumberingPlan p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        throw new IllegalArgumentException("Q.931 numbering plan " + code + " is reserved");
    }
}
