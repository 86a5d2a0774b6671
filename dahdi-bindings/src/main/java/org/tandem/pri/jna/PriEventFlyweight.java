package org.tandem.pri.jna;

import com.sun.jna.Pointer;

import java.nio.charset.StandardCharsets;

/**
 * Reads a {@code pri_event} union in place: {@code int e} at offset 0, then the member struct
 * that {@code e} selects, at the offsets below (x86_64, libpri 1.6.0; checked by the ABI test).
 *
 * <pre>
 *  pri_event_ring (2976 B)              pri_event_hangup (320 B)      ringing/answer (304 B)
 *   0 e          4 channel               0 e      4 channel             0 e     4 channel
 *   8 callingpres 16 callingplan         8 cause 12 cref                12 progress
 * 276 callingnum[256] 532 callingname   16 call (q931_call*)            16 progressmask
 * 788 calledplan 796 callednum[256]                                     24 call
 * 1844 layer1 1848 complete 1856 call   proceeding: 16 progressmask, 20 cause (garbage), 24 call
 * 2124 progressmask                     keypad_digit: 8 call, 16 digits[64]
 * </pre>
 *
 * The memory belongs to libpri and is overwritten by the next call into the same instance: copy
 * out before that.
 */
public final class PriEventFlyweight {
    public static final int OFF_E = 0;
    public static final int OFF_CHANNEL = 4;

    public static final int RING_SIZE = 2976;
    public static final int RING_CALLINGPRES = 8;
    public static final int RING_CALLINGPLAN = 16;
    public static final int RING_CALLINGNUM = 276;
    public static final int RING_CALLINGNAME = 532;
    public static final int RING_CALLEDPLAN = 788;
    public static final int RING_CALLEDNUM = 796;
    public static final int RING_FLEXIBLE = 1832;
    public static final int RING_CTYPE = 1840;
    public static final int RING_LAYER1 = 1844;
    public static final int RING_COMPLETE = 1848;
    public static final int RING_CALL = 1856;
    public static final int RING_PROGRESSMASK = 2124;
    public static final int RING_KEYPAD_DIGITS = 2912;
    public static final int STR_LEN = 256;
    public static final int KEYPAD_LEN = 64;

    public static final int HANGUP_SIZE = 320;
    public static final int HANGUP_CAUSE = 8;
    public static final int HANGUP_CALL = 16;

    /** Shared by pri_event_ringing and pri_event_answer. */
    public static final int ANSWER_SIZE = 304;
    public static final int ANSWER_PROGRESSMASK = 16;
    public static final int ANSWER_CALL = 24;

    /** pri_event_proceeding: PROCEEDING and PROGRESS events. */
    public static final int PROCEEDING_PROGRESSMASK = 16;
    public static final int PROCEEDING_CAUSE = 20;
    public static final int PROCEEDING_CALL = 24;

    public static final int SETUP_ACK_CALL = 8;

    public static final int DIGIT_CALL = 8;
    public static final int DIGIT_DIGITS = 16;

    public static final int ERROR_ERR = 4;

    /** pri_event_hold, _hold_ack, _hold_rej, _retrieve, _retrieve_ack, _retrieve_rej: call at 8; rej: cause at 16. */
    public static final int HOLD_CALL = 8;
    public static final int HOLD_REJ_CAUSE = 16;

    /** pri_event_facility (FACILITY received): its call and its subcommands. */
    public static final int FACILITY_CALL = 528;
    public static final int FACILITY_SUBCMDS = 544;
    /** struct pri_subcmd_transfer inside a subcommand's union (PRI_SUBCMD_TRANSFER_CALL = 17). */
    public static final int PRI_SUBCMD_TRANSFER_CALL = 17;
    public static final int TRANSFER_CALL_1 = 0;
    public static final int TRANSFER_CALL_2 = 8;
    public static final int TRANSFER_INVOKE_ID = 24;

    private Pointer p;

    /** Points this flyweight at an event; returns this. */
    public PriEventFlyweight wrap(Pointer event) {
        this.p = event;
        return this;
    }

    /** The event itself, for the layouts read by other flyweights ({@link PriRedirectingFlyweight}). */
    public Pointer pointer() {
        return p;
    }

    public int e() {
        return p.getInt(OFF_E);
    }

    /** Encoded channel: {@code ts | span << 8 | explicit << 16 | ...}, -1 for "any". */
    public int channel() {
        return p.getInt(OFF_CHANNEL);
    }

    public int getInt(int offset) {
        return p.getInt(offset);
    }

    public Pointer getPointer(int offset) {
        return p.getPointer(offset);
    }

    /** A NUL-terminated {@code char[max]} field at offset, decoded as ISO-8859-1. */
    public String getString(int offset, int max) {
        byte[] b = p.getByteArray(offset, max);
        int n = 0;
        while (n < max && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** The q931_call* of this event, by event type; null for events without a call. */
    public Pointer call() {
        switch (e()) {
            case PriConstants.PRI_EVENT_RING:
                return p.getPointer(RING_CALL);
            case PriConstants.PRI_EVENT_HANGUP:
            case PriConstants.PRI_EVENT_HANGUP_REQ:
            case PriConstants.PRI_EVENT_HANGUP_ACK:
                return p.getPointer(HANGUP_CALL);
            case PriConstants.PRI_EVENT_RINGING:
            case PriConstants.PRI_EVENT_ANSWER:
                return p.getPointer(ANSWER_CALL);
            case PriConstants.PRI_EVENT_PROCEEDING:
            case PriConstants.PRI_EVENT_PROGRESS:
                return p.getPointer(PROCEEDING_CALL);
            case PriConstants.PRI_EVENT_SETUP_ACK:
                return p.getPointer(SETUP_ACK_CALL);
            case PriConstants.PRI_EVENT_KEYPAD_DIGIT:
            case PriConstants.PRI_EVENT_INFO_RECEIVED:
                return infoCall();
            default:
                return null;
        }
    }

    /**
     * INFO_RECEIVED is delivered in the ring layout (call at 1856, digits in callednum) while
     * KEYPAD_DIGIT uses pri_event_keypad_digit (call at 8).
     */
    private Pointer infoCall() {
        return e() == PriConstants.PRI_EVENT_INFO_RECEIVED ? p.getPointer(RING_CALL) : p.getPointer(DIGIT_CALL);
    }
}
