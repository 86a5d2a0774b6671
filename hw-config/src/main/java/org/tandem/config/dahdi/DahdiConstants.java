package org.tandem.config.dahdi;

/**
 * Values from DAHDI's {@code include/dahdi/user.h} (2.11.1) that the kernel-settings check
 * compares. Checked against the header by the dahdi-bindings ABI test, which owns the ioctls.
 */
public final class DahdiConstants {
    private DahdiConstants() {
    }

    // dahdi_spaninfo.lineconfig bits (DAHDI_CONFIG_*)
    public static final int CONFIG_D4 = 1 << 4;
    public static final int CONFIG_ESF = 1 << 5;
    public static final int CONFIG_AMI = 1 << 6;
    public static final int CONFIG_B8ZS = 1 << 7;
    public static final int CONFIG_CCS = 1 << 8;
    public static final int CONFIG_HDB3 = 1 << 9;
    public static final int CONFIG_CRC4 = 1 << 10;
    /** The line-format bits a span's system.conf line sets; others (TXLEVEL, NTTE...) are ignored. */
    public static final int CONFIG_FORMAT_MASK = CONFIG_D4 | CONFIG_ESF | CONFIG_AMI | CONFIG_B8ZS
            | CONFIG_CCS | CONFIG_HDB3 | CONFIG_CRC4;

    // dahdi_params.sigtype (DAHDI_SIG_*)
    public static final int SIG_CLEAR = 1 << 7;
    public static final int SIG_HDLCRAW = (1 << 8) | SIG_CLEAR;
    public static final int SIG_HDLCFCS = (1 << 9) | SIG_HDLCRAW;
    public static final int SIG_HARDHDLC = (1 << 19) | SIG_CLEAR;

    public static String sigName(int sigtype) {
        return switch (sigtype) {
            case 0 -> "unconfigured (0)";
            case SIG_CLEAR -> "CLEAR (bchan)";
            case SIG_HDLCRAW -> "HDLCRAW";
            case SIG_HDLCFCS -> "HDLCFCS (dchan)";
            case SIG_HARDHDLC -> "HARDHDLC (hardhdlc)";
            default -> String.format("0x%x", sigtype);
        };
    }

    public static String lineconfigName(int lineconfig) {
        StringBuilder b = new StringBuilder();
        String[] names = {"d4", "esf", "ami", "b8zs", "ccs", "hdb3", "crc4"};
        int[] bits = {CONFIG_D4, CONFIG_ESF, CONFIG_AMI, CONFIG_B8ZS, CONFIG_CCS, CONFIG_HDB3, CONFIG_CRC4};
        for (int i = 0; i < bits.length; i++) {
            if ((lineconfig & bits[i]) != 0) {
                b.append(b.length() == 0 ? "" : ",").append(names[i]);
            }
        }
        return b.length() == 0 ? "none" : b.toString();
    }
}
