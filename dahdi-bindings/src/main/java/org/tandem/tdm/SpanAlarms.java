package org.tandem.tdm;

import java.util.StringJoiner;

/**
 * Span alarm bits. Both backends report DAHDI's {@code DAHDI_ALARM_*} values, so everything above
 * this layer (call control, SNMP's DS1-MIB mapping) uses one set of numbers.
 */
public final class SpanAlarms {
    public static final int NONE = 0;
    public static final int RECOVER = 1;
    public static final int LOOPBACK = 2;
    /** Remote alarm indication: the far end has lost our signal. */
    public static final int YELLOW = 4;
    /** Loss of signal or framing here. */
    public static final int RED = 8;
    /** Alarm indication signal (all ones) from upstream. */
    public static final int BLUE = 16;
    public static final int NOTOPEN = 32;
    public static final int LOS = 0x100;
    public static final int LFA = 0x200;
    public static final int LMFA = 0x400;

    private static final int[] BITS = {RECOVER, LOOPBACK, YELLOW, RED, BLUE, NOTOPEN, LOS, LFA, LMFA};
    private static final String[] NAMES = {"RECOVER", "LOOPBACK", "YELLOW", "RED", "BLUE", "NOTOPEN",
        "LOS", "LFA", "LMFA"};

    private SpanAlarms() {
    }

    /** True when calls may use the span: no alarm that takes it out of service. */
    public static boolean inService(int alarms) {
        return (alarms & (RED | BLUE | YELLOW | LOS | LFA | LMFA | NOTOPEN)) == 0;
    }

    /** "OK" or the set alarm names joined by '+', e.g. "RED+LOS". */
    public static String describe(int alarms) {
        if (alarms == NONE) {
            return "OK";
        }
        StringJoiner j = new StringJoiner("+");
        for (int i = 0; i < BITS.length; i++) {
            if ((alarms & BITS[i]) != 0) {
                j.add(NAMES[i]);
            }
        }
        return j.toString();
    }
}
