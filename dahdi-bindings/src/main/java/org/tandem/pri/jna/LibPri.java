package org.tandem.pri.jna;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;

/**
 * Raw binding to libpri 1.6 ({@code libpri.h}). C names, C semantics: every {@code struct pri*},
 * {@code q931_call*}, {@code struct pri_sr*} is an opaque {@link Pointer}.
 *
 * <p>libpri is not thread-safe and keeps global state (the message/error hooks): call it from one
 * thread only (the PRI engine thread). Obtain the instance through {@link LibPriLoader#libPri()}: it
 * is {@link DirectLibPri}, JNA direct mapping (this interface is the Java-side API, not a JNA
 * interface-proxy mapping).
 *
 * <p>Event memory returned by {@link #pri_check_event} and {@link #pri_schedule_run} lives inside
 * {@code struct pri} and is overwritten by the next call into that instance: read it through
 * {@link PriEventFlyweight} at once.
 */
@SuppressWarnings({"checkstyle:MethodName", "checkstyle:ParameterName"})
public interface LibPri {

    /**
     * {@code typedef int (*pri_io_cb)(struct pri *pri, void *buf, int buflen);} The two pointers
     * arrive as their 64-bit values (LP64): no {@code Pointer} is created per frame.
     */
    interface pri_io_cb extends Callback {
        int invoke(long pri, long buf, int buflen);
    }

    /** {@code void (*)(struct pri *pri, char *text)} as taken by pri_set_message/pri_set_error. */
    interface pri_message_cb extends Callback {
        void invoke(Pointer pri, Pointer text);
    }

    Pointer pri_new_cb(int fd, int nodetype, int switchtype, pri_io_cb io_read, pri_io_cb io_write,
                       Pointer userdata);

    Pointer pri_get_userdata(Pointer pri);

    void pri_set_debug(Pointer pri, int debug);

    int pri_set_timer(Pointer pri, int timer, int value);

    int pri_get_timer(Pointer pri, int timer);

    void pri_set_overlapdial(Pointer pri, int state);

    /** Enables supplementary services (facility IEs: ETSI diversion legs, ...); there is no disable. */
    void pri_facility_enable(Pointer pri);

    /** Explicit call transfer (ECT) offered/accepted; with {@link #pri_facility_enable} (ETSI, Q.SIG). */
    void pri_transfer_enable(Pointer pri, int enable);

    /**
     * Asks the network to connect two calls of this D-channel and take both off our hands (ETSI
     * ECT: EctLinkIdRequest on {@code call1}, then ExplicitEctExecute on {@code call2}; NI2/5ESS,
     * DMS100 and Q.SIG use their own operations). 0 when the first message went out.
     */
    int pri_channel_bridge(Pointer call1, Pointer call2);

    /** The network's answer to a transfer request (PRI_SUBCMD_TRANSFER_CALL). */
    int pri_transfer_rsp(Pointer pri, Pointer call, int invokeId, int isSuccessful);

    /** Call hold (HOLD / RETRIEVE messages, ETS 300 139, Q.SIG); off by default in libpri. */
    void pri_hold_enable(Pointer pri, int enable);

    int pri_hold(Pointer pri, Pointer call);

    int pri_hold_ack(Pointer pri, Pointer call);

    int pri_hold_rej(Pointer pri, Pointer call, int cause);

    /** RETRIEVE; {@code channel} encoded like an event's (ts | explicit << 16), 0 for none. */
    int pri_retrieve(Pointer pri, Pointer call, int channel);

    int pri_retrieve_ack(Pointer pri, Pointer call, int channel);

    int pri_retrieve_rej(Pointer pri, Pointer call, int cause);

    void pri_set_message(pri_message_cb cb);

    void pri_set_error(pri_message_cb cb);

    /** Reads one frame through the read callback and returns an event or null. */
    Pointer pri_check_event(Pointer pri);

    /** {@code struct timeval*} of the next timer (wall clock) or null; read it immediately. */
    Pointer pri_schedule_next(Pointer pri);

    Pointer pri_schedule_run(Pointer pri);

    Pointer pri_new_call(Pointer pri);

    void pri_destroycall(Pointer pri, Pointer call);

    Pointer pri_sr_new();

    void pri_sr_free(Pointer sr);

    int pri_sr_set_channel(Pointer sr, int channel, int exclusive, int nonisdn);

    int pri_sr_set_bearer(Pointer sr, int transmode, int userl1);

    /**
     * libpri may keep the string pointers of a setup request until {@code pri_setup}: pass native
     * memory that lives at least that long (not a Java String, whose native copy dies with the call).
     */
    int pri_sr_set_called(Pointer sr, Pointer called, int calledplan, int complete);

    /** See {@link #pri_sr_set_called}: {@code callername} may be null. */
    int pri_sr_set_caller(Pointer sr, Pointer caller, Pointer callername, int callerplan, int callerpres);

    /**
     * {@code struct pri_party_redirecting*} (see {@link PriRedirectingFlyweight}); libpri copies
     * it into the setup request, the memory is still kept until {@code pri_setup} returns.
     */
    void pri_sr_set_redirecting_parties(Pointer sr, Pointer redirecting);

    int pri_setup(Pointer pri, Pointer call, Pointer sr);

    int pri_proceeding(Pointer pri, Pointer call, int channel, int info);

    int pri_acknowledge(Pointer pri, Pointer call, int channel, int info);

    int pri_progress(Pointer pri, Pointer call, int channel, int info);

    int pri_answer(Pointer pri, Pointer call, int channel, int nonisdn);

    int pri_hangup(Pointer pri, Pointer call, int cause);

    /** Call reference value of a live call; {@code callmode} (may be null) receives libpri's call mode. */
    int pri_get_crv(Pointer pri, Pointer call, com.sun.jna.ptr.IntByReference callmode);

    int pri_reset(Pointer pri, int channel);

    int pri_need_more_info(Pointer pri, Pointer call, int channel, int nonisdn);

    int pri_information(Pointer pri, Pointer call, byte digit);

    int pri_keypad_facility(Pointer pri, Pointer call, String digits);

    String pri_event2str(int id);

    String pri_cause2str(int cause);

    String pri_switch2str(int id);

    String pri_get_version();
}
