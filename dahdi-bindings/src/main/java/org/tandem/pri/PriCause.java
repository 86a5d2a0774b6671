package org.tandem.pri;

/** Q.850 cause values the gateway and the simulated exchange use. */
public final class PriCause {
    public static final int UNALLOCATED = 1;
    public static final int NORMAL_CLEARING = 16;
    public static final int USER_BUSY = 17;
    public static final int NO_USER_RESPONSE = 18;
    public static final int NO_ANSWER = 19;
    public static final int CALL_REJECTED = 21;
    /** Q.850 29: a supplementary service (hold, transfer) refused. */
    public static final int FACILITY_REJECTED = 29;
    public static final int DESTINATION_OUT_OF_ORDER = 27;
    public static final int INVALID_NUMBER_FORMAT = 28;
    public static final int NORMAL_UNSPECIFIED = 31;
    public static final int NORMAL_CIRCUIT_CONGESTION = 34;
    public static final int NETWORK_OUT_OF_ORDER = 38;
    public static final int NORMAL_TEMPORARY_FAILURE = 41;
    public static final int SWITCH_CONGESTION = 42;
    public static final int REQUESTED_CHAN_UNAVAIL = 44;
    public static final int RESOURCE_UNAVAIL_UNSPECIFIED = 47;
    public static final int INVALID_CALL_REFERENCE = 81;
    public static final int IDENTIFIED_CHANNEL_NOTEXIST = 82;

    private PriCause() {
    }

    /**
     * True when libpri answers {@code pri_hangup} on a fresh incoming call (no response sent yet) with
     * RELEASE COMPLETE. For any other cause it sends nothing in that state, and the caller would
     * retransmit SETUP until T303 expires (cause 18): such calls get CALL PROCEEDING first.
     */
    public static boolean releasesCompleteOnFreshCall(int cause) {
        return cause == UNALLOCATED || cause == NORMAL_CIRCUIT_CONGESTION
            || cause == REQUESTED_CHAN_UNAVAIL || cause == IDENTIFIED_CHANNEL_NOTEXIST;
    }

    /**
     * True when libpri 1.6.0 clears an unanswered call (incoming or outgoing, any state before
     * CONNECT) with RELEASE COMPLETE for this cause, after which it forgets the call and reports
     * nothing more: 1, 34, 44, 81, 82 (measured in {@code PriUnansweredReleaseTest}). The far end
     * receives the cause in the RELEASE COMPLETE. {@code PriSpan} reports such calls released itself.
     */
    public static boolean clearedWithReleaseComplete(int cause) {
        return releasesCompleteOnFreshCall(cause) || cause == INVALID_CALL_REFERENCE;
    }
}
