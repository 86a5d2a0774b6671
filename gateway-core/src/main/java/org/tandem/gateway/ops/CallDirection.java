package org.tandem.gateway.ops;

/** Which way a call goes through the gateway. {@link #code()} is the TANDEM-GATEWAY-MIB enumeration. */
public enum CallDirection {
    /** A SIP INVITE became a PRI SETUP. */
    SIP_TO_PSTN(1, "sip->pstn"),
    /** A PRI SETUP became a SIP INVITE. */
    PSTN_TO_SIP(2, "pstn->sip");

    private final int code;
    private final String label;

    CallDirection(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** Value of TgCallDirection in the MIB. */
    public int code() {
        return code;
    }

    /** Short form used in console tables and CDRs. */
    public String label() {
        return label;
    }
}
