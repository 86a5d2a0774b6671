package org.tandem.pri;

import org.tandem.pri.jna.PriConstants;

/** Progress indicator mask bits as libpri reports them ({@code PRI_PROG_*}). */
public final class PriProgress {
    public static final int CALL_NOT_E2E_ISDN = PriConstants.PRI_PROG_CALL_NOT_E2E_ISDN;
    public static final int CALLED_NOT_ISDN = PriConstants.PRI_PROG_CALLED_NOT_ISDN;
    public static final int CALLER_NOT_ISDN = PriConstants.PRI_PROG_CALLER_NOT_ISDN;
    /** Q.931 progress description #8: in-band information or an appropriate pattern is now available. */
    public static final int INBAND_AVAILABLE = PriConstants.PRI_PROG_INBAND_AVAILABLE;

    private PriProgress() {
    }

    public static boolean inband(int mask) {
        return (mask & INBAND_AVAILABLE) != 0;
    }
}
