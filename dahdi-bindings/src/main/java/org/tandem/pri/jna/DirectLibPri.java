package org.tandem.pri.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * {@link LibPri} through JNA direct mapping ({@code Native.register}: static native methods): a
 * call costs one JNI transition and the argument conversion JNA does in C, instead of the
 * interface proxy's reflection ({@code Library.Handler.invoke}, {@code Function.invoke}, an
 * {@code Object[]} and boxed arguments per call). Callbacks passed to direct-mapped functions are
 * direct callbacks too: libpri calls {@link LibPri.pri_io_cb#invoke} through JNI, without
 * {@code DefaultCallbackProxy}'s {@code Method.invoke}. Bound once by {@link LibPriLoader}.
 */
@SuppressWarnings({"checkstyle:MethodName", "checkstyle:ParameterName"})
final class DirectLibPri implements LibPri {
    private static volatile boolean bound;

    /** The C functions, registered on {@code library} by {@link #bind}. */
    static final class Natives {
        private Natives() {
        }

        static native Pointer pri_new_cb(int fd, int nodetype, int switchtype, LibPri.pri_io_cb io_read, LibPri.pri_io_cb io_write, Pointer userdata);

        static native Pointer pri_get_userdata(Pointer pri);

        static native void pri_set_debug(Pointer pri, int debug);

        static native int pri_set_timer(Pointer pri, int timer, int value);

        static native int pri_get_timer(Pointer pri, int timer);

        static native void pri_set_overlapdial(Pointer pri, int state);

        static native void pri_facility_enable(Pointer pri);

        static native void pri_transfer_enable(Pointer pri, int enable);

        static native int pri_channel_bridge(Pointer call1, Pointer call2);

        static native int pri_transfer_rsp(Pointer pri, Pointer call, int invokeId, int isSuccessful);

        static native void pri_hold_enable(Pointer pri, int enable);

        static native int pri_hold(Pointer pri, Pointer call);

        static native int pri_hold_ack(Pointer pri, Pointer call);

        static native int pri_hold_rej(Pointer pri, Pointer call, int cause);

        static native int pri_retrieve(Pointer pri, Pointer call, int channel);

        static native int pri_retrieve_ack(Pointer pri, Pointer call, int channel);

        static native int pri_retrieve_rej(Pointer pri, Pointer call, int cause);

        static native void pri_set_message(LibPri.pri_message_cb cb);

        static native void pri_set_error(LibPri.pri_message_cb cb);

        static native Pointer pri_check_event(Pointer pri);

        static native Pointer pri_schedule_next(Pointer pri);

        static native Pointer pri_schedule_run(Pointer pri);

        static native Pointer pri_new_call(Pointer pri);

        static native void pri_destroycall(Pointer pri, Pointer call);

        static native Pointer pri_sr_new();

        static native void pri_sr_free(Pointer sr);

        static native int pri_sr_set_channel(Pointer sr, int channel, int exclusive, int nonisdn);

        static native int pri_sr_set_bearer(Pointer sr, int transmode, int userl1);

        static native int pri_sr_set_called(Pointer sr, Pointer called, int calledplan, int complete);

        static native int pri_sr_set_caller(Pointer sr, Pointer caller, Pointer callername, int callerplan, int callerpres);

        static native void pri_sr_set_redirecting_parties(Pointer sr, Pointer redirecting);

        static native int pri_setup(Pointer pri, Pointer call, Pointer sr);

        static native int pri_proceeding(Pointer pri, Pointer call, int channel, int info);

        static native int pri_acknowledge(Pointer pri, Pointer call, int channel, int info);

        static native int pri_progress(Pointer pri, Pointer call, int channel, int info);

        static native int pri_answer(Pointer pri, Pointer call, int channel, int nonisdn);

        static native int pri_hangup(Pointer pri, Pointer call, int cause);

        static native int pri_get_crv(Pointer pri, Pointer call, com.sun.jna.ptr.IntByReference callmode);

        static native int pri_reset(Pointer pri, int channel);

        static native int pri_need_more_info(Pointer pri, Pointer call, int channel, int nonisdn);

        static native int pri_information(Pointer pri, Pointer call, byte digit);

        static native int pri_keypad_facility(Pointer pri, Pointer call, String digits);

        static native String pri_event2str(int id);

        static native String pri_cause2str(int cause);

        static native String pri_switch2str(int id);

        static native String pri_get_version();
    }

    private DirectLibPri() {
    }

    /** Registers the natives on {@code library} (once per process); throws UnsatisfiedLinkError. */
    static synchronized LibPri bind(NativeLibrary library) {
        if (!bound) {
            Native.register(Natives.class, library);
            bound = true;
        }
        return new DirectLibPri();
    }

    @Override
    public Pointer pri_new_cb(int fd, int nodetype, int switchtype, LibPri.pri_io_cb io_read, LibPri.pri_io_cb io_write, Pointer userdata) {
        return Natives.pri_new_cb(fd, nodetype, switchtype, io_read, io_write, userdata);
    }

    @Override
    public Pointer pri_get_userdata(Pointer pri) {
        return Natives.pri_get_userdata(pri);
    }

    @Override
    public void pri_set_debug(Pointer pri, int debug) {
        Natives.pri_set_debug(pri, debug);
    }

    @Override
    public int pri_set_timer(Pointer pri, int timer, int value) {
        return Natives.pri_set_timer(pri, timer, value);
    }

    @Override
    public int pri_get_timer(Pointer pri, int timer) {
        return Natives.pri_get_timer(pri, timer);
    }

    @Override
    public void pri_set_overlapdial(Pointer pri, int state) {
        Natives.pri_set_overlapdial(pri, state);
    }

    @Override
    public void pri_facility_enable(Pointer pri) {
        Natives.pri_facility_enable(pri);
    }

    @Override
    public void pri_transfer_enable(Pointer pri, int enable) {
        Natives.pri_transfer_enable(pri, enable);
    }

    @Override
    public int pri_channel_bridge(Pointer call1, Pointer call2) {
        return Natives.pri_channel_bridge(call1, call2);
    }

    @Override
    public int pri_transfer_rsp(Pointer pri, Pointer call, int invokeId, int isSuccessful) {
        return Natives.pri_transfer_rsp(pri, call, invokeId, isSuccessful);
    }

    @Override
    public void pri_hold_enable(Pointer pri, int enable) {
        Natives.pri_hold_enable(pri, enable);
    }

    @Override
    public int pri_hold(Pointer pri, Pointer call) {
        return Natives.pri_hold(pri, call);
    }

    @Override
    public int pri_hold_ack(Pointer pri, Pointer call) {
        return Natives.pri_hold_ack(pri, call);
    }

    @Override
    public int pri_hold_rej(Pointer pri, Pointer call, int cause) {
        return Natives.pri_hold_rej(pri, call, cause);
    }

    @Override
    public int pri_retrieve(Pointer pri, Pointer call, int channel) {
        return Natives.pri_retrieve(pri, call, channel);
    }

    @Override
    public int pri_retrieve_ack(Pointer pri, Pointer call, int channel) {
        return Natives.pri_retrieve_ack(pri, call, channel);
    }

    @Override
    public int pri_retrieve_rej(Pointer pri, Pointer call, int cause) {
        return Natives.pri_retrieve_rej(pri, call, cause);
    }

    @Override
    public void pri_set_message(LibPri.pri_message_cb cb) {
        Natives.pri_set_message(cb);
    }

    @Override
    public void pri_set_error(LibPri.pri_message_cb cb) {
        Natives.pri_set_error(cb);
    }

    @Override
    public Pointer pri_check_event(Pointer pri) {
        return Natives.pri_check_event(pri);
    }

    @Override
    public Pointer pri_schedule_next(Pointer pri) {
        return Natives.pri_schedule_next(pri);
    }

    @Override
    public Pointer pri_schedule_run(Pointer pri) {
        return Natives.pri_schedule_run(pri);
    }

    @Override
    public Pointer pri_new_call(Pointer pri) {
        return Natives.pri_new_call(pri);
    }

    @Override
    public void pri_destroycall(Pointer pri, Pointer call) {
        Natives.pri_destroycall(pri, call);
    }

    @Override
    public Pointer pri_sr_new() {
        return Natives.pri_sr_new();
    }

    @Override
    public void pri_sr_free(Pointer sr) {
        Natives.pri_sr_free(sr);
    }

    @Override
    public int pri_sr_set_channel(Pointer sr, int channel, int exclusive, int nonisdn) {
        return Natives.pri_sr_set_channel(sr, channel, exclusive, nonisdn);
    }

    @Override
    public int pri_sr_set_bearer(Pointer sr, int transmode, int userl1) {
        return Natives.pri_sr_set_bearer(sr, transmode, userl1);
    }

    @Override
    public int pri_sr_set_called(Pointer sr, Pointer called, int calledplan, int complete) {
        return Natives.pri_sr_set_called(sr, called, calledplan, complete);
    }

    @Override
    public int pri_sr_set_caller(Pointer sr, Pointer caller, Pointer callername, int callerplan, int callerpres) {
        return Natives.pri_sr_set_caller(sr, caller, callername, callerplan, callerpres);
    }

    @Override
    public void pri_sr_set_redirecting_parties(Pointer sr, Pointer redirecting) {
        Natives.pri_sr_set_redirecting_parties(sr, redirecting);
    }

    @Override
    public int pri_setup(Pointer pri, Pointer call, Pointer sr) {
        return Natives.pri_setup(pri, call, sr);
    }

    @Override
    public int pri_proceeding(Pointer pri, Pointer call, int channel, int info) {
        return Natives.pri_proceeding(pri, call, channel, info);
    }

    @Override
    public int pri_acknowledge(Pointer pri, Pointer call, int channel, int info) {
        return Natives.pri_acknowledge(pri, call, channel, info);
    }

    @Override
    public int pri_progress(Pointer pri, Pointer call, int channel, int info) {
        return Natives.pri_progress(pri, call, channel, info);
    }

    @Override
    public int pri_answer(Pointer pri, Pointer call, int channel, int nonisdn) {
        return Natives.pri_answer(pri, call, channel, nonisdn);
    }

    @Override
    public int pri_hangup(Pointer pri, Pointer call, int cause) {
        return Natives.pri_hangup(pri, call, cause);
    }

    @Override
    public int pri_get_crv(Pointer pri, Pointer call, com.sun.jna.ptr.IntByReference callmode) {
        return Natives.pri_get_crv(pri, call, callmode);
    }

    @Override
    public int pri_reset(Pointer pri, int channel) {
        return Natives.pri_reset(pri, channel);
    }

    @Override
    public int pri_need_more_info(Pointer pri, Pointer call, int channel, int nonisdn) {
        return Natives.pri_need_more_info(pri, call, channel, nonisdn);
    }

    @Override
    public int pri_information(Pointer pri, Pointer call, byte digit) {
        return Natives.pri_information(pri, call, digit);
    }

    @Override
    public int pri_keypad_facility(Pointer pri, Pointer call, String digits) {
        return Natives.pri_keypad_facility(pri, call, digits);
    }

    @Override
    public String pri_event2str(int id) {
        return Natives.pri_event2str(id);
    }

    @Override
    public String pri_cause2str(int cause) {
        return Natives.pri_cause2str(cause);
    }

    @Override
    public String pri_switch2str(int id) {
        return Natives.pri_switch2str(id);
    }

    @Override
    public String pri_get_version() {
        return Natives.pri_get_version();
    }
}
