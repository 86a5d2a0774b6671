package org.tandem.tdm;

/** Channel and span events. Both backends report DAHDI's {@code DAHDI_EVENT_*} codes. */
public final class TdmEvents {
    public static final int NONE = 0;
    public static final int ALARM = 4;
    public static final int NOALARM = 5;
    public static final int ABORT = 6;
    public static final int OVERRUN = 7;
    public static final int BADFCS = 8;
    public static final int REMOVED = 20;
    public static final int READ_OVERRUN = 29;
    public static final int WRITE_UNDERRUN = 30;

    private TdmEvents() {
    }

    public static String name(int event) {
        switch (event) {
            case NONE: return "NONE";
            case ALARM: return "ALARM";
            case NOALARM: return "NOALARM";
            case ABORT: return "ABORT";
            case OVERRUN: return "OVERRUN";
            case BADFCS: return "BADFCS";
            case REMOVED: return "REMOVED";
            case READ_OVERRUN: return "READ_OVERRUN";
            case WRITE_UNDERRUN: return "WRITE_UNDERRUN";
            default: return "EVENT_" + event;
        }
    }
}
