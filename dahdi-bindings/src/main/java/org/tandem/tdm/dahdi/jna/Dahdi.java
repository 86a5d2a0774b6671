package org.tandem.tdm.dahdi.jna;

/**
 * Constants of the DAHDI user-space ABI ({@code dahdi/user.h}), with their C names. Every value
 * is checked against the real header by {@code DahdiAbiTest} (see {@link DahdiAbi}).
 */
public final class Dahdi {
    private Dahdi() {
    }

    public static final int DAHDI_CODE = 0xDA;
    public static final int ELAST = 500;
    public static final int DAHDI_MAX_SPANS = 128;
    public static final int DAHDI_MAX_CHANNELS = 1024;
    public static final int DAHDI_MAX_BLOCKSIZE = 8192;
    public static final int DAHDI_MAX_NUM_BUFS = 32;
    public static final int DAHDI_MAX_ECHOCANPARAMS = 8;

    // laws
    public static final int DAHDI_LAW_DEFAULT = 0;
    public static final int DAHDI_LAW_MULAW = 1;
    public static final int DAHDI_LAW_ALAW = 2;

    // signalling types (dahdi_params.sigtype, dahdi_chanconfig.sigtype)
    public static final int DAHDI_SIG_NONE = 0;
    public static final int DAHDI_SIG_EM = 1 << 6;
    public static final int DAHDI_SIG_CLEAR = 1 << 7;
    public static final int DAHDI_SIG_HDLCRAW = (1 << 8) | DAHDI_SIG_CLEAR;
    public static final int DAHDI_SIG_HDLCFCS = (1 << 9) | DAHDI_SIG_HDLCRAW;
    public static final int DAHDI_SIG_HDLCNET = (1 << 10) | DAHDI_SIG_HDLCFCS;
    public static final int DAHDI_SIG_SLAVE = 1 << 11;
    public static final int DAHDI_SIG_CAS = 1 << 15;
    public static final int DAHDI_SIG_DACS = (1 << 16) | DAHDI_SIG_CLEAR;
    public static final int DAHDI_SIG_HARDHDLC = (1 << 19) | DAHDI_SIG_CLEAR;
    public static final int DAHDI_SIG_MTP2 = (1 << 20) | DAHDI_SIG_HDLCFCS;
    public static final int DAHDI_SIG_BROKEN = 1 << 31;

    // buffer policies
    public static final int DAHDI_POLICY_IMMEDIATE = 0;
    public static final int DAHDI_POLICY_WHEN_FULL = 1;
    public static final int DAHDI_POLICY_HALF_FULL = 2;

    // flush bits
    public static final int DAHDI_FLUSH_READ = 1;
    public static final int DAHDI_FLUSH_WRITE = 2;
    public static final int DAHDI_FLUSH_BOTH = 3;
    public static final int DAHDI_FLUSH_EVENT = 4;
    public static final int DAHDI_FLUSH_ALL = 7;

    // events
    public static final int DAHDI_EVENT_NONE = 0;
    public static final int DAHDI_EVENT_ALARM = 4;
    public static final int DAHDI_EVENT_NOALARM = 5;
    public static final int DAHDI_EVENT_ABORT = 6;
    public static final int DAHDI_EVENT_OVERRUN = 7;
    public static final int DAHDI_EVENT_BADFCS = 8;
    public static final int DAHDI_EVENT_REMOVED = 20;
    public static final int DAHDI_EVENT_READ_OVERRUN = 29;
    public static final int DAHDI_EVENT_WRITE_UNDERRUN = 30;

    // alarms
    public static final int DAHDI_ALARM_NONE = 0;
    public static final int DAHDI_ALARM_RECOVER = 1;
    public static final int DAHDI_ALARM_LOOPBACK = 2;
    public static final int DAHDI_ALARM_YELLOW = 4;
    public static final int DAHDI_ALARM_RED = 8;
    public static final int DAHDI_ALARM_BLUE = 16;
    public static final int DAHDI_ALARM_NOTOPEN = 32;
    public static final int DAHDI_ALARM_LOS = 0x100;
    public static final int DAHDI_ALARM_LFA = 0x200;
    public static final int DAHDI_ALARM_LMFA = 0x400;

    // lineconfig bits (dahdi_lineconfig.lineconfig, dahdi_spaninfo.lineconfig)
    public static final int DAHDI_CONFIG_D4 = 1 << 4;
    public static final int DAHDI_CONFIG_ESF = 1 << 5;
    public static final int DAHDI_CONFIG_AMI = 1 << 6;
    public static final int DAHDI_CONFIG_B8ZS = 1 << 7;
    public static final int DAHDI_CONFIG_CCS = 1 << 8;
    public static final int DAHDI_CONFIG_HDB3 = 1 << 9;
    public static final int DAHDI_CONFIG_CRC4 = 1 << 10;
    public static final int DAHDI_CONFIG_NTTE = 1 << 11;
    public static final int DAHDI_CONFIG_TERM = 1 << 12;
    public static final int DAHDI_CONFIG_NOTOPEN = 1 << 16;

    /** True for the signalling types a PRI D-channel may have (HDLC with FCS done by DAHDI or the card). */
    public static boolean isHdlcDChannel(int sigtype) {
        return sigtype == DAHDI_SIG_HDLCFCS || sigtype == DAHDI_SIG_HARDHDLC;
    }

    /** C name of a signalling type, e.g. "HDLCFCS", or hex when unknown. */
    public static String sigtypeName(int sigtype) {
        switch (sigtype) {
            case DAHDI_SIG_NONE: return "NONE (unconfigured)";
            case DAHDI_SIG_EM: return "EM";
            case DAHDI_SIG_CLEAR: return "CLEAR";
            case DAHDI_SIG_HDLCRAW: return "HDLCRAW";
            case DAHDI_SIG_HDLCFCS: return "HDLCFCS";
            case DAHDI_SIG_HDLCNET: return "HDLCNET";
            case DAHDI_SIG_SLAVE: return "SLAVE";
            case DAHDI_SIG_CAS: return "CAS";
            case DAHDI_SIG_DACS: return "DACS";
            case DAHDI_SIG_HARDHDLC: return "HARDHDLC";
            case DAHDI_SIG_MTP2: return "MTP2";
            default: return "0x" + Integer.toHexString(sigtype);
        }
    }
}
