package org.tandem.gateway.srtp;

/**
 * The SDES crypto suites we do (RFC 4568 6.2.1, 6.2.2): AES-128 counter mode, HMAC-SHA1 with an
 * 80- or 32-bit SRTP tag. SRTCP's tag is 80 bits with both (RFC 4568 6.2.2). Master key 128 bits,
 * master salt 112 bits, no key derivation rate (0).
 */
public enum SrtpProfile {
    AES_CM_128_HMAC_SHA1_80(10),
    AES_CM_128_HMAC_SHA1_32(4);

    /** Master key length, bytes. */
    public static final int MASTER_KEY_LENGTH = 16;
    /** Master salt length, bytes. */
    public static final int MASTER_SALT_LENGTH = 14;
    /** The SDES inline key length: key || salt (RFC 4568 6.1). */
    public static final int KEY_SALT_LENGTH = MASTER_KEY_LENGTH + MASTER_SALT_LENGTH;
    /** SRTCP authentication tag, bytes, for both suites. */
    public static final int SRTCP_TAG_LENGTH = 10;

    private final int rtpTagLength;

    SrtpProfile(int rtpTagLength) {
        this.rtpTagLength = rtpTagLength;
    }

    /** SRTP authentication tag, bytes. */
    public int rtpTagLength() {
        return rtpTagLength;
    }

    /** The suite by its SDP name (RFC 4568 6.2), or null for one we do not do. */
    public static SrtpProfile bySdpName(String name) {
        for (SrtpProfile p : values()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }
}
