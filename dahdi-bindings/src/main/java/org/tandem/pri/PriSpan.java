package org.tandem.pri;

import com.sun.jna.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.pri.PriEvent.ReleaseReason;
import org.tandem.pri.jna.LibPri;
import org.tandem.tdm.DChannel;
import org.tandem.tdm.SpanAlarms;
import org.tandem.tdm.TdmEvents;

import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * One span's libpri instance and its calls. The public methods may be called from any thread and
 * queue a command for the {@link PriEngine} thread; everything else runs on that thread only.
 *
 * <p>This class and its helpers are where the libpri pitfalls are handled (see docs/PRI.md):
 * events are copied into {@link PriEvent} records before the next libpri call
 * ({@link PriEventTranslator}), {@code q931_call*} handles are mapped to {@link PriCall}s and
 * dropped on release ({@link PriCallTable}), a received RELEASE (HANGUP) is completed with a second
 * {@code pri_hangup} ({@link PriEventTranslator}), a RESTART destroys the channel's call
 * ({@link RestartProcedure}), an unanswered incoming call is rejected in a way that actually sends
 * a message ({@link PriCommands}, {@link ReleaseCompleteWatch}), span alarms release calls (here).
 *
 * <p>Here: the public API, the libpri instance's life (creation, the D-channel frame callbacks,
 * its timers) and the span's service state (D-channel up/down, span alarms).
 */
public final class PriSpan {
    private static final Logger LOG = LoggerFactory.getLogger(PriSpan.class);
    /** Events drained from pri_schedule_run in one go, and TDM span events per wake-up. */
    private static final int MAX_BURST = 64;
    /** Q.931 Table 9-1: RESTART ACKNOWLEDGE awaited 2 min before RESTART is sent again. */
    static final int T316_DEFAULT_MS = 120_000;

    enum Cmd { PROCEEDING, ALERTING, PROGRESS, ANSWER, NEED_MORE_INFO, INFORMATION, HANGUP, DISCARD, TRANSFER_RESPONSE,
        HOLD, HOLD_ACK, HOLD_REJECT, RETRIEVE, RETRIEVE_ACK, RETRIEVE_REJECT }

    private final PriEngine engine;
    private final long id;
    private final PriSpanConfig config;
    private final DChannel dChannel;
    private final IntSupplier alarmSource;
    private final PriSpanListener listener;

    private volatile boolean dChannelUpFlag;
    private volatile boolean inServiceFlag;

    // ---- engine-thread state
    private LibPri lib;
    private Pointer pri;
    private boolean dChannelUp;
    private boolean inService;
    private int alarms;
    private boolean dChannelHungUp;
    private final PriCallTable calls;
    private final byte[] frame = new byte[1026];
    // What libpri writes for one call while we are inside pri_hangup (see PriCommands.hangupAndCheck).
    private final ReleaseCompleteWatch releaseWatch = new ReleaseCompleteWatch();
    // Created by open() once the libpri instance exists; touched on the engine thread only.
    private RestartProcedure restarts;
    private PriCommands commands;
    private PriEventTranslator events;

    PriSpan(PriEngine engine, long id, PriSpanConfig config, DChannel dChannel, IntSupplier alarmSource,
            PriSpanListener listener) {
        this.engine = engine;
        this.id = id;
        this.config = config;
        this.dChannel = dChannel;
        this.alarmSource = alarmSource;
        this.listener = listener;
        this.calls = new PriCallTable(this, config);
    }

    public String name() {
        return config.name();
    }

    public PriSpanConfig config() {
        return config;
    }

    /** Layer 2 is up (as last seen by the engine thread). */
    public boolean isDChannelUp() {
        return dChannelUpFlag;
    }

    /** No span alarm takes the span out of service. */
    public boolean isInService() {
        return inServiceFlag;
    }

    public PriEngine engine() {
        return engine;
    }

    /**
     * Places a call. Returns its handle at once; events follow on the listener. If it cannot be
     * sent (D-channel down, span in alarm, channel busy or not ours) the listener gets
     * {@link PriEvent.CallReleased} with reason {@code SETUP_FAILED}.
     */
    public PriCall setup(OutgoingCall request) {
        PriCall call = new PriCall(this, PriCall.Direction.OUTGOING, request.channel());
        engine.enqueue(this, () -> commands.setup(call, request));
        return call;
    }

    /** Sends RESTART for one B-channel (releasing any call on it locally). */
    public void resetChannel(int timeslot) {
        engine.enqueue(this, () -> restarts.reset(timeslot));
    }

    /** Sends RESTART for every B-channel without a call. */
    public void resetIdleChannels() {
        engine.enqueue(this, () -> restarts.restartIdleChannels());
    }

    void command(PriCall call, Cmd cmd, int arg, String text) {
        engine.enqueue(this, () -> commands.execute(call, cmd, arg, text));
    }

    /**
     * Explicit call transfer: asks the network to connect the far ends of two answered calls of
     * this span and clear both towards us (libpri's {@code pri_channel_bridge}; ETSI ECT needs
     * {@link PriSpanConfig#supplementaryServices}). Nothing is reported for the request itself:
     * a network that does it clears both calls (DISCONNECT, then {@link PriEvent.CallReleased});
     * one that does not leaves them as they were. False (at once, on the engine thread) is logged.
     */
    public void transfer(PriCall call1, PriCall call2) {
        engine.enqueue(this, () -> commands.transfer(call1, call2));
    }

    @Override
    public String toString() {
        return "PriSpan[" + config.name() + "]";
    }

    // =====================================================================================
    // Engine thread from here on.

    long id() {
        return id;
    }

    DChannel dChannel() {
        return dChannel;
    }

    boolean isDChannelHungUp() {
        return dChannelHungUp;
    }

    /** Layer 2 is up (engine thread's own view; other threads use {@link #isDChannelUp}). */
    boolean dChannelUp() {
        return dChannelUp;
    }

    /** No alarm takes the span out of service (engine thread's own view; see {@link #isInService}). */
    boolean inService() {
        return inService;
    }

    /** The span's alarm bits ({@link SpanAlarms}) as last read. */
    int alarms() {
        return alarms;
    }

    /** Creates the libpri instance. Frames are written from inside pri_new_cb (SABME). */
    void open(LibPri libPri) {
        this.lib = libPri;
        alarms = alarmSource.getAsInt();
        inService = SpanAlarms.inService(alarms);
        inServiceFlag = inService;
        pri = lib.pri_new_cb(dChannel.fd(), config.node().code(), config.switchType().code(), readCb,
            writeCb, new Pointer(id));
        if (pri == null) {
            throw new IllegalStateException("pri_new_cb failed for span " + config.name() + " (fd " + dChannel.fd()
                + ", " + config.node() + ", " + config.switchType() + ")");
        }
        lib.pri_set_debug(pri, config.debugMask());
        int t316Ms = config.timers().getOrDefault(PriTimer.T316, T316_DEFAULT_MS);
        restarts = new RestartProcedure(this, config, lib, pri, calls, t316Ms);
        commands = new PriCommands(this, config, lib, pri, calls, releaseWatch);
        events = new PriEventTranslator(this, config, lib, pri, calls, commands, restarts);
        for (Map.Entry<PriTimer, Integer> t : config.timers().entrySet()) {
            if (t.getKey() == PriTimer.T316) {
                continue; // run per channel here: libpri 1.6.0's T316 follows only the last RESTART
            }
            if (lib.pri_set_timer(pri, t.getKey().code(), t.getValue()) != 0) {
                throw new IllegalArgumentException("span " + config.name() + ": libpri refused timer " + t.getKey()
                    + "=" + t.getValue());
            }
        }
        lib.pri_set_overlapdial(pri, config.overlapDial() ? 1 : 0);
        if (config.supplementaryServices()) {
            lib.pri_facility_enable(pri);
            lib.pri_transfer_enable(pri, 1); // explicit call transfer (ECT) both ways
        }
        if (config.hold()) {
            lib.pri_hold_enable(pri, 1);
        }
        LOG.info("{}: libpri {} {} started on fd {} ({}, {} B-channels)", config.name(), config.node(),
            config.switchType(), dChannel.fd(), SpanAlarms.describe(alarms), config.bChannels().length);
    }

    int timer(PriTimer t) {
        return lib.pri_get_timer(pri, t.code());
    }

    // This span's own libpri I/O callbacks: libpri calls them only inside a call on this instance,
    // so the callback knows its span without a lookup (no pri_get_userdata, no map). Direct
    // callbacks (DirectLibPri): JNI calls them with the two pointers as longs, no reflection.
    // Held here for as long as the span is reachable; nothing calls into its libpri instance after.
    private final LibPri.pri_io_cb readCb = (p, buf, len) -> readCallback(buf, len);
    private final LibPri.pri_io_cb writeCb = (p, buf, len) -> writeCallback(buf, len);
    /** Re-aimed at libpri's buffer in each callback (engine thread only): no Pointer per frame. */
    private final Pointer callbackBuf = new Pointer(0);

    private int readCallback(long buf, int len) {
        try {
            return readFrame(buf, len);
        } catch (Throwable t) {
            LOG.error("{}: libpri read callback failed", config.name(), t);
            return 0;
        }
    }

    private int writeCallback(long buf, int len) {
        try {
            return writeFrame(buf, len);
        } catch (Throwable t) {
            LOG.error("{}: libpri write callback failed", config.name(), t);
            return len;
        }
    }

    /** libpri's read callback: one frame into native memory at {@code buf}, 0 if none. */
    int readFrame(long buf, int len) {
        int n = dChannel.readFrame(frame, 0, Math.min(len, frame.length));
        if (n < 0) {
            if (!dChannelHungUp) {
                LOG.error("{}: D-channel fd {} closed by the far end", config.name(), dChannel.fd());
            }
            dChannelHungUp = true;
            return 0;
        }
        if (n > 0) {
            Pointer.nativeValue(callbackBuf, buf);
            callbackBuf.write(0, frame, 0, n);
        }
        return n;
    }

    /** libpri's write callback. libpri ignores the result; a dropped frame is recovered by Q.921. */
    int writeFrame(long buf, int len) {
        if (len > frame.length) {
            LOG.warn("{}: dropping oversized frame of {} bytes", config.name(), len);
            return len;
        }
        Pointer.nativeValue(callbackBuf, buf);
        callbackBuf.read(0, frame, 0, len);
        if (releaseWatch.armed()) {
            releaseWatch.onFrame(frame, len);
        }
        int n = dChannel.writeFrame(frame, 0, len);
        if (n == 0) {
            LOG.debug("{}: D-channel full, frame of {} bytes dropped (Q.921 retransmits)", config.name(), len);
        }
        return len;
    }

    void onHangUp() {
        dChannelHungUp = true;
    }

    /** The D-channel is readable: hand one frame to libpri. */
    void onFrameReadable() {
        Pointer e = lib.pri_check_event(pri);
        if (e != null) {
            events.handle(e);
        }
    }

    /** libpri's next timer as last asked (engine thread only); see {@link #nextTimerMillis}. */
    private long libpriNext = Long.MAX_VALUE;
    private boolean libpriNextKnown;

    /**
     * Wall-clock ms of the span's next timer (libpri's or a T316), or Long.MAX_VALUE. libpri's
     * schedule changes only inside a libpri call on this span, so its answer is kept until the
     * engine reports one ({@link #libpriCalled}): the engine asks every span every turn, and with
     * 64 spans (32 of the gateway, 32 of the simulated exchange) asking anew was a quarter of the
     * PRI thread's time under load (docs/BENCHMARKS.md, "Capacity"). The engine reports only the
     * spans it called libpri on (their commands, their readable fds, their due timers).
     */
    long nextTimerMillis() {
        if (!libpriNextKnown) {
            Pointer tv = lib.pri_schedule_next(pri);
            libpriNext = tv == null ? Long.MAX_VALUE : tv.getLong(0) * 1000L + (tv.getLong(8) + 999) / 1000;
            libpriNextKnown = true;
        }
        return Math.min(restarts.nextT316Millis(), libpriNext);
    }

    /** The engine made (or may have made) a libpri call on this span: its next timer is asked anew. */
    void libpriCalled() {
        libpriNextKnown = false;
    }

    void runTimers() {
        for (int i = 0; i < MAX_BURST; i++) {
            Pointer e = lib.pri_schedule_run(pri);
            if (e == null) {
                break;
            }
            events.handle(e);
        }
        restarts.runT316(System.currentTimeMillis());
    }

    /** PRI_EVENT_DCHAN_UP. */
    void onDChannelUp() {
        dChannelUp = true;
        dChannelUpFlag = true;
        LOG.info("{}: D-channel up", config.name());
        emit(new PriEvent.DChannelUp());
        if (config.restartOnDChannelUp() && inService) {
            restarts.restartIdleChannels();
        }
    }

    /** PRI_EVENT_DCHAN_DOWN: calls stay until libpri's T309 releases them. */
    void onDChannelDown() {
        dChannelUp = false;
        dChannelUpFlag = false;
        restarts.onDChannelDown();
        LOG.warn("{}: D-channel down ({} call(s) wait for T309)", config.name(), calls.size());
        emit(new PriEvent.DChannelDown());
    }

    /** The span's event descriptor is readable: alarms from the TDM layer. */
    void onSpanEvents() {
        for (int i = 0; i < MAX_BURST; i++) {
            int event = dChannel.nextEvent();
            switch (event) {
                case TdmEvents.NONE:
                    return;
                case TdmEvents.ALARM:
                case TdmEvents.NOALARM: {
                    int a = alarmSource.getAsInt();
                    if (event == TdmEvents.ALARM && a == SpanAlarms.NONE) {
                        a = SpanAlarms.RED;
                    }
                    applyAlarms(a);
                    break;
                }
                case TdmEvents.REMOVED:
                    LOG.error("{}: span removed by the driver", config.name());
                    applyAlarms(alarms | SpanAlarms.NOTOPEN);
                    break;
                default:
                    LOG.debug("{}: D-channel event {}", config.name(), TdmEvents.name(event));
            }
        }
    }

    private void applyAlarms(int newAlarms) {
        boolean ok = SpanAlarms.inService(newAlarms);
        int old = alarms;
        alarms = newAlarms;
        if (!ok && inService) {
            inService = false;
            inServiceFlag = false;
            LOG.warn("{}: span alarm {}: out of service, releasing {} call(s) with cause 38", config.name(),
                SpanAlarms.describe(newAlarms), calls.size());
            for (PriCall call : calls.snapshot()) {
                lib.pri_destroycall(pri, call.handle);
                calls.release(call, PriCause.NETWORK_OUT_OF_ORDER, ReleaseReason.ALARM);
            }
            emit(new PriEvent.SpanAlarm(newAlarms, false));
        } else if (ok && !inService) {
            inService = true;
            inServiceFlag = true;
            LOG.info("{}: span alarm cleared ({}): back in service", config.name(), SpanAlarms.describe(newAlarms));
            emit(new PriEvent.SpanAlarm(newAlarms, true));
            if (config.restartOnDChannelUp() && dChannelUp) {
                restarts.restartIdleChannels();
            }
        } else if (old != newAlarms) {
            emit(new PriEvent.SpanAlarm(newAlarms, ok));
        }
    }

    /** Calls currently known (engine thread). */
    List<PriCall> calls() {
        return calls.snapshot();
    }

    /** Delivers {@code event} to the span's listener; a failing listener is logged, not propagated. */
    void emit(PriEvent event) {
        try {
            listener.onPriEvent(this, event);
        } catch (RuntimeException e) {
            LOG.error("{}: listener failed on {}", config.name(), event, e);
        }
    }
}
