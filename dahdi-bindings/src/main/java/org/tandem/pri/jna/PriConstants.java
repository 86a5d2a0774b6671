package org.tandem.pri.jna;

/**
 * {@code #define}s and enum values from {@code libpri.h} (1.6.0) under their C names. The ABI test
 * compiles a C program against the installed header and compares every value listed in
 * {@code PriAbiTest} with these.
 */
@SuppressWarnings("checkstyle:ConstantName")
public final class PriConstants {
    // Node types
    public static final int PRI_NETWORK = 1;
    public static final int PRI_CPE = 2;

    // Switch types
    public static final int PRI_SWITCH_UNKNOWN = 0;
    public static final int PRI_SWITCH_NI2 = 1;
    public static final int PRI_SWITCH_DMS100 = 2;
    public static final int PRI_SWITCH_LUCENT5E = 3;
    public static final int PRI_SWITCH_ATT4ESS = 4;
    public static final int PRI_SWITCH_EUROISDN_E1 = 5;
    public static final int PRI_SWITCH_EUROISDN_T1 = 6;
    public static final int PRI_SWITCH_NI1 = 7;
    public static final int PRI_SWITCH_QSIG = 10;

    // Debug bits
    public static final int PRI_DEBUG_Q921_RAW = 1;
    public static final int PRI_DEBUG_Q921_DUMP = 1 << 1;
    public static final int PRI_DEBUG_Q921_STATE = 1 << 2;
    public static final int PRI_DEBUG_CONFIG = 1 << 3;
    public static final int PRI_DEBUG_Q931_DUMP = 1 << 5;
    public static final int PRI_DEBUG_Q931_STATE = 1 << 6;
    public static final int PRI_DEBUG_Q931_ANOMALY = 1 << 7;

    // Events
    public static final int PRI_EVENT_DCHAN_UP = 1;
    public static final int PRI_EVENT_DCHAN_DOWN = 2;
    public static final int PRI_EVENT_RESTART = 3;
    public static final int PRI_EVENT_CONFIG_ERR = 4;
    public static final int PRI_EVENT_RING = 5;
    public static final int PRI_EVENT_HANGUP = 6;
    public static final int PRI_EVENT_RINGING = 7;
    public static final int PRI_EVENT_ANSWER = 8;
    public static final int PRI_EVENT_HANGUP_ACK = 9;
    public static final int PRI_EVENT_RESTART_ACK = 10;
    public static final int PRI_EVENT_FACILITY = 11;
    public static final int PRI_EVENT_INFO_RECEIVED = 12;
    public static final int PRI_EVENT_PROCEEDING = 13;
    public static final int PRI_EVENT_SETUP_ACK = 14;
    public static final int PRI_EVENT_HANGUP_REQ = 15;
    public static final int PRI_EVENT_NOTIFY = 16;
    public static final int PRI_EVENT_PROGRESS = 17;
    public static final int PRI_EVENT_KEYPAD_DIGIT = 18;
    public static final int PRI_EVENT_CONNECT_ACK = 27;
    public static final int PRI_EVENT_HOLD = 21;
    public static final int PRI_EVENT_HOLD_ACK = 22;
    public static final int PRI_EVENT_HOLD_REJ = 23;
    public static final int PRI_EVENT_RETRIEVE = 24;
    public static final int PRI_EVENT_RETRIEVE_ACK = 25;
    public static final int PRI_EVENT_RETRIEVE_REJ = 26;

    // Progress indicator mask bits (event progressmask)
    public static final int PRI_PROG_CALL_NOT_E2E_ISDN = 1;
    public static final int PRI_PROG_CALLED_NOT_ISDN = 1 << 1;
    public static final int PRI_PROG_CALLER_NOT_ISDN = 1 << 2;
    public static final int PRI_PROG_INBAND_AVAILABLE = 1 << 3;

    // Bearer
    public static final int PRI_TRANS_CAP_SPEECH = 0x0;
    public static final int PRI_TRANS_CAP_3_1K_AUDIO = 0x10;
    public static final int PRI_LAYER_1_ULAW = 0x22;
    public static final int PRI_LAYER_1_ALAW = 0x23;

    // Presentation
    public static final int PRES_ALLOWED_USER_NUMBER_NOT_SCREENED = 0x00;
    public static final int PRES_PROHIB_USER_NUMBER_NOT_SCREENED = 0x20;
    public static final int PRES_NUMBER_NOT_AVAILABLE = 0x43;
    public static final int PRI_PRES_RESTRICTION = 0x60;

    // Timers (enum PRI_TIMERS_AND_COUNTERS)
    public static final int PRI_TIMER_N200 = 0;
    public static final int PRI_TIMER_T200 = 4;
    public static final int PRI_TIMER_T203 = 7;
    public static final int PRI_TIMER_T303 = 11;
    public static final int PRI_TIMER_T305 = 13;
    public static final int PRI_TIMER_T308 = 16;
    public static final int PRI_TIMER_T309 = 17;
    public static final int PRI_TIMER_T310 = 18;
    public static final int PRI_TIMER_T313 = 19;
    public static final int PRI_TIMER_T316 = 21;

    private PriConstants() {
    }
}
