package org.tandem.pri;

import org.tandem.pri.jna.PriConstants;

/**
 * Q.921/Q.931 timers and counters that may be tuned per span ({@code pri_set_timer}). Timer values
 * are milliseconds; N200 is a count. Defaults in libpri 1.6.0: T200 1 s, N200 3, T203 10 s,
 * T303 4 s, T305 30 s, T308 4 s, T309 6 s, T313 4 s.
 */
public enum PriTimer {
    N200(PriConstants.PRI_TIMER_N200),
    T200(PriConstants.PRI_TIMER_T200),
    T203(PriConstants.PRI_TIMER_T203),
    T303(PriConstants.PRI_TIMER_T303),
    T305(PriConstants.PRI_TIMER_T305),
    T308(PriConstants.PRI_TIMER_T308),
    T309(PriConstants.PRI_TIMER_T309),
    T310(PriConstants.PRI_TIMER_T310),
    T313(PriConstants.PRI_TIMER_T313),
    T316(PriConstants.PRI_TIMER_T316);

    private final int code;

    PriTimer(int code) {
        this.code = code;
    }

    /** libpri's {@code PRI_TIMER_*} index. */
    public int code() {
        return code;
    }
}
