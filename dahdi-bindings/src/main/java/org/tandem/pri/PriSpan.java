package org.tandem.pri;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.pri.PriEvent.ReleaseReason;
import org.tandem.pri.jna.LibPri;
import org.tandem.pri.jna.PriConstants;
import org.tandem.pri.jna.PriEventFlyweight;
import org.tandem.tdm.DChannel;
import org.tandem.tdm.SpanAlarms;
import org.tandem.tdm.TdmEvents;
import org.tandem.tdm.TdmLaw;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

import static org.tandem.pri.jna.PriEventFlyweight.ANSWER_CALL;
import static org.tandem.pri.jna.PriEventFlyweight.ANSWER_PROGRESSMASK;
import static org.tandem.pri.jna.PriEventFlyweight.DIGIT_CALL;
import static org.tandem.pri.jna.PriEventFlyweight.DIGIT_DIGITS;
import static org.tandem.pri.jna.PriEventFlyweight.HANGUP_CALL;
import static org.tandem.pri.jna.PriEventFlyweight.HANGUP_CAUSE;
import static org.tandem.pri.jna.PriEventFlyweight.KEYPAD_LEN;
import static org.tandem.pri.jna.PriEventFlyweight.PROCEEDING_CALL;
import static org.tandem.pri.jna.PriEventFlyweight.PROCEEDING_PROGRESSMASK;
import static org.tandem.pri.jna.PriEventFlyweight.RING_CALL;
import static org.tandem.pri.jna.PriEventFlyweight.RING_CALLEDNUM;
import static org.tandem.pri.jna.PriEventFlyweight.RING_CALLEDPLAN;
import static org.tandem.pri.jna.PriEventFlyweight.RING_CALLINGNAME;
import static org.tandem.pri.jna.PriEventFlyweight.RING_CALLINGNUM;
import static org.tandem.pri.jna.PriEventFlyweight.RING_CALLINGPLAN;
import static org.tandem.pri.jna.PriEventFlyweight.RING_CALLINGPRES;
import static org.tandem.pri.jna.PriEventFlyweight.RING_COMPLETE;
import static org.tandem.pri.jna.PriEventFlyweight.RING_CTYPE;
import static org.tandem.pri.jna.PriEventFlyweight.RING_FLEXIBLE;
import static org.tandem.pri.jna.PriEventFlyweight.RING_LAYER1;
import static org.tandem.pri.jna.PriEventFlyweight.SETUP_ACK_CALL;
import static org.tandem.pri.jna.PriEventFlyweight.STR_LEN;

/**
 * One span's libpri instance and its calls. The public methods may be called from any thread and
 * queue a command for the {@link PriEngine} thread; everything else runs on that thread only.
 *
 * <p>This class is where the libpri pitfalls are handled (see docs/PRI.md): events are copied into
 * {@link PriEvent} records before the next libpri call, {@code q931_call*} handles are mapped to
 * {@link PriCall}s and dropped on release, a received RELEASE (HANGUP) is completed with a second
 * {@code pri_hangup}, a RESTART destroys the channel's call, an unanswered incoming call is
 * rejected in a way that actually sends a message, span alarms release calls.
 */
public final class PriSpan {
    private static final Logger LOG = LoggerFactory.getLogger(PriSpan.class);
    /** Events drained from pri_schedule_run in one go, and TDM span events per wake-up. */
    private static final int MAX_BURST = 64;
    /** Q.931 Table 9-1: RESTART ACKNOWLEDGE awaited 2 min before RESTART is sent again. */
    static final int T316_DEFAULT_MS = 120_000;
    /** RESTARTs sent for one channel before giving up (libpri's N316). */
    private static final int N316 = 2;
    private static final byte Q931_DISCRIMINATOR = 0x08;
    private static final int Q931_RELEASE_COMPLETE = 0x5A;

    enum Cmd { PROCEEDING, ALERTING, PROGRESS, ANSWER, NEED_MORE_INFO, INFORMATION, HANGUP, DISCARD }

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
    private final Map<Long, PriCall> calls = new HashMap<>();
    private final PriEventFlyweight ev = new PriEventFlyweight();
    private final byte[] frame = new byte[1026];
    // Per-timeslot T316 (wall-clock ms, 0 = no RESTART outstanding) and RESTARTs sent. libpri 1.6.0
    // retransmits only the last RESTART it sent; RESTARTs are lost when both sides re-establish
    // layer 2 at once (the late SABME resets the link and drops the queued I-frames).
    private final long[] restartDueMs = new long[32];
    private final int[] restartsSent = new int[32];
    private int t316Ms = T316_DEFAULT_MS;
    // What libpri wrote for one call while we were inside pri_hangup (see hangupAndCheck).
    private int watchCrv = -1;
    private boolean watchSentAny;
    private boolean watchSentReleaseComplete;

    PriSpan(PriEngine engine, long id, PriSpanConfig config, DChannel dChannel, IntSupplier alarmSource,
            PriSpanListener listener) {
        this.engine = engine;
        this.id = id;
        this.config = config;
        this.dChannel = dChannel;
        this.alarmSource = alarmSource;
        this.listener = listener;
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
        engine.enqueue(() -> doSetup(call, request));
        return call;
    }

    /** Sends RESTART for one B-channel (releasing any call on it locally). */
    public void resetChannel(int timeslot) {
        engine.enqueue(() -> doReset(timeslot));
    }

    /** Sends RESTART for every B-channel without a call. */
    public void resetIdleChannels() {
        engine.enqueue(this::restartIdleChannels);
    }

    void command(PriCall call, Cmd cmd, int arg, String text) {
        engine.enqueue(() -> execute(call, cmd, arg, text));
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

    /** Creates the libpri instance. Frames are written from inside pri_new_cb (SABME). */
    void open(LibPri libPri) {
        this.lib = libPri;
        alarms = alarmSource.getAsInt();
        inService = SpanAlarms.inService(alarms);
        inServiceFlag = inService;
        pri = lib.pri_new_cb(dChannel.fd(), config.node().code(), config.switchType().code(), PriEngine.READ_CB,
            PriEngine.WRITE_CB, new Pointer(id));
        if (pri == null) {
            throw new IllegalStateException("pri_new_cb failed for span " + config.name() + " (fd " + dChannel.fd()
                + ", " + config.node() + ", " + config.switchType() + ")");
        }
        lib.pri_set_debug(pri, config.debugMask());
        t316Ms = config.timers().getOrDefault(PriTimer.T316, T316_DEFAULT_MS);
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
        LOG.info("{}: libpri {} {} started on fd {} ({}, {} B-channels)", config.name(), config.node(),
            config.switchType(), dChannel.fd(), SpanAlarms.describe(alarms), config.bChannels().length);
    }

    int timer(PriTimer t) {
        return lib.pri_get_timer(pri, t.code());
    }

    /** libpri's read callback: one frame into {@code buf}, 0 if none. */
    int readFrame(Pointer buf, int len) {
        int n = dChannel.readFrame(frame, 0, Math.min(len, frame.length));
        if (n < 0) {
            if (!dChannelHungUp) {
                LOG.error("{}: D-channel fd {} closed by the far end", config.name(), dChannel.fd());
            }
            dChannelHungUp = true;
            return 0;
        }
        if (n > 0) {
            buf.write(0, frame, 0, n);
        }
        return n;
    }

    /** libpri's write callback. libpri ignores the result; a dropped frame is recovered by Q.921. */
    int writeFrame(Pointer buf, int len) {
        if (len > frame.length) {
            LOG.warn("{}: dropping oversized frame of {} bytes", config.name(), len);
            return len;
        }
        buf.read(0, frame, 0, len);
        if (watchCrv >= 0) {
            watchFrame(len);
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
            handle(e);
        }
    }

    /** Wall-clock ms of libpri's next timer, or Long.MAX_VALUE. */
    long nextTimerMillis() {
        long next = Long.MAX_VALUE;
        for (long due : restartDueMs) {
            if (due != 0) {
                next = Math.min(next, due);
            }
        }
        Pointer tv = lib.pri_schedule_next(pri);
        if (tv == null) {
            return next;
        }
        long sec = tv.getLong(0);
        long usec = tv.getLong(8);
        return Math.min(next, sec * 1000L + (usec + 999) / 1000);
    }

    void runTimers() {
        for (int i = 0; i < MAX_BURST; i++) {
            Pointer e = lib.pri_schedule_run(pri);
            if (e == null) {
                break;
            }
            handle(e);
        }
        runT316(System.currentTimeMillis());
    }

    /** T316 expiry: RESTART again (up to N316 times in all) for channels still unacknowledged. */
    private void runT316(long nowMs) {
        for (int ts = 1; ts < restartDueMs.length; ts++) {
            long due = restartDueMs[ts];
            if (due == 0 || due > nowMs) {
                continue;
            }
            restartDueMs[ts] = 0;
            if (!dChannelUp || !inService || callOn(ts) != null) {
                continue;
            }
            if (restartsSent[ts] >= N316) {
                LOG.warn("{}: no RESTART ACKNOWLEDGE for channel {} after {} RESTARTs", config.name(), ts,
                    restartsSent[ts]);
                continue;
            }
            LOG.info("{}: T316 expired for channel {}: RESTART again", config.name(), ts);
            sendRestart(ts, false);
        }
    }

    private void sendRestart(int ts, boolean first) {
        if (first) {
            restartsSent[ts] = 0;
        }
        if (lib.pri_reset(pri, ts) != 0) {
            LOG.warn("{}: libpri refused RESTART of channel {}", config.name(), ts);
            return;
        }
        restartsSent[ts]++;
        restartDueMs[ts] = System.currentTimeMillis() + t316Ms;
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
            for (PriCall call : new ArrayList<>(calls.values())) {
                lib.pri_destroycall(pri, call.handle);
                release(call, PriCause.NETWORK_OUT_OF_ORDER, ReleaseReason.ALARM);
            }
            emit(new PriEvent.SpanAlarm(newAlarms, false));
        } else if (ok && !inService) {
            inService = true;
            inServiceFlag = true;
            LOG.info("{}: span alarm cleared ({}): back in service", config.name(), SpanAlarms.describe(newAlarms));
            emit(new PriEvent.SpanAlarm(newAlarms, true));
            if (config.restartOnDChannelUp() && dChannelUp) {
                restartIdleChannels();
            }
        } else if (old != newAlarms) {
            emit(new PriEvent.SpanAlarm(newAlarms, ok));
        }
    }

    private void handle(Pointer e) {
        ev.wrap(e);
        int type = ev.e();
        switch (type) {
            case PriConstants.PRI_EVENT_DCHAN_UP:
                dChannelUp = true;
                dChannelUpFlag = true;
                LOG.info("{}: D-channel up", config.name());
                emit(new PriEvent.DChannelUp());
                if (config.restartOnDChannelUp() && inService) {
                    restartIdleChannels();
                }
                break;
            case PriConstants.PRI_EVENT_DCHAN_DOWN:
                dChannelUp = false;
                dChannelUpFlag = false;
                java.util.Arrays.fill(restartDueMs, 0); // sent again when the link is back
                LOG.warn("{}: D-channel down ({} call(s) wait for T309)", config.name(), calls.size());
                emit(new PriEvent.DChannelDown());
                break;
            case PriConstants.PRI_EVENT_RING:
                onRing();
                break;
            case PriConstants.PRI_EVENT_PROCEEDING: {
                PriCall call = known(ev.getPointer(PROCEEDING_CALL), type);
                if (call != null) {
                    call.responded = true;
                    emit(new PriEvent.Proceeding(call, updateChannel(call), ev.getInt(PROCEEDING_PROGRESSMASK)));
                }
                break;
            }
            case PriConstants.PRI_EVENT_PROGRESS: {
                PriCall call = known(ev.getPointer(PROCEEDING_CALL), type);
                if (call != null) {
                    call.responded = true;
                    emit(new PriEvent.Progress(call, updateChannel(call), ev.getInt(PROCEEDING_PROGRESSMASK)));
                }
                break;
            }
            case PriConstants.PRI_EVENT_RINGING: {
                PriCall call = known(ev.getPointer(ANSWER_CALL), type);
                if (call != null) {
                    call.responded = true;
                    emit(new PriEvent.Alerting(call, updateChannel(call), ev.getInt(ANSWER_PROGRESSMASK)));
                }
                break;
            }
            case PriConstants.PRI_EVENT_ANSWER: {
                PriCall call = known(ev.getPointer(ANSWER_CALL), type);
                if (call != null) {
                    call.responded = true;
                    call.answered = true;
                    emit(new PriEvent.Answered(call, updateChannel(call)));
                }
                break;
            }
            case PriConstants.PRI_EVENT_SETUP_ACK: {
                PriCall call = known(ev.getPointer(SETUP_ACK_CALL), type);
                if (call != null) {
                    call.responded = true;
                    emit(new PriEvent.SetupAcknowledged(call, updateChannel(call)));
                }
                break;
            }
            case PriConstants.PRI_EVENT_HANGUP_REQ:
                onDisconnect();
                break;
            case PriConstants.PRI_EVENT_HANGUP:
                onRelease();
                break;
            case PriConstants.PRI_EVENT_HANGUP_ACK: {
                Pointer h = ev.getPointer(HANGUP_CALL);
                int cause = ev.getInt(HANGUP_CAUSE);
                PriCall call = h == null ? null : calls.get(Pointer.nativeValue(h));
                if (call != null) {
                    if (call.disconnectReceived) {
                        release(call, call.remoteCause, ReleaseReason.REMOTE);
                    } else {
                        release(call, call.hangupSent ? call.hangupCause : cause, ReleaseReason.LOCAL);
                    }
                }
                break;
            }
            case PriConstants.PRI_EVENT_RESTART: {
                int ts = ChannelId.timeslot(ev.channel());
                LOG.info("{}: RESTART received for {}", config.name(), ts == ChannelId.ANY ? "all channels"
                    : "channel " + ts);
                destroyCallsOn(ts);
                emit(new PriEvent.ChannelRestarted(ts));
                break;
            }
            case PriConstants.PRI_EVENT_RESTART_ACK: {
                int ts = ChannelId.timeslot(ev.channel());
                if (ts == ChannelId.ANY) {
                    java.util.Arrays.fill(restartDueMs, 0);
                } else if (ts > 0 && ts < restartDueMs.length) {
                    restartDueMs[ts] = 0;
                }
                emit(new PriEvent.RestartAcknowledged(ts));
                break;
            }
            case PriConstants.PRI_EVENT_INFO_RECEIVED: {
                PriCall call = known(ev.getPointer(RING_CALL), type);
                if (call != null) {
                    emit(new PriEvent.DigitsReceived(call, ev.getString(RING_CALLEDNUM, STR_LEN), false));
                }
                break;
            }
            case PriConstants.PRI_EVENT_KEYPAD_DIGIT: {
                PriCall call = known(ev.getPointer(DIGIT_CALL), type);
                if (call != null) {
                    emit(new PriEvent.DigitsReceived(call, ev.getString(DIGIT_DIGITS, KEYPAD_LEN), true));
                }
                break;
            }
            default:
                LOG.debug("{}: ignoring libpri event {} ({})", config.name(), type, lib.pri_event2str(type));
        }
    }

    private void onRing() {
        Pointer h = ev.getPointer(RING_CALL);
        int ts = ChannelId.timeslot(ev.channel());
        boolean exclusive = ev.getInt(RING_FLEXIBLE) == 0;
        PartyNumber called = PartyNumber.fromPlan(ev.getString(RING_CALLEDNUM, STR_LEN), ev.getInt(RING_CALLEDPLAN), 0);
        PartyNumber calling = PartyNumber.fromPlan(ev.getString(RING_CALLINGNUM, STR_LEN),
            ev.getInt(RING_CALLINGPLAN), ev.getInt(RING_CALLINGPRES) & 0x7F);
        String callingName = ev.getString(RING_CALLINGNAME, STR_LEN);
        boolean complete = ev.getInt(RING_COMPLETE) != 0;
        int ctype = ev.getInt(RING_CTYPE);
        int layer1 = ev.getInt(RING_LAYER1);
        // Everything is copied: libpri may be called again from here on.
        PriCall stale = calls.remove(Pointer.nativeValue(h));
        if (stale != null) {
            LOG.warn("{}: libpri reused the handle of {} for a new SETUP; dropping the old call", config.name(), stale);
            release(stale, PriCause.NORMAL_TEMPORARY_FAILURE, ReleaseReason.REMOTE);
        }
        int cause = 0;
        if (!inService) {
            cause = PriCause.NORMAL_CIRCUIT_CONGESTION;
        } else if (ts == ChannelId.ANY) {
            ts = idleChannel();
            if (ts == ChannelId.ANY) {
                cause = PriCause.NORMAL_CIRCUIT_CONGESTION;
            }
        } else if (!config.hasBChannel(ts)) {
            cause = PriCause.IDENTIFIED_CHANNEL_NOTEXIST;
        } else if (callOn(ts) != null && !yieldInGlare(callOn(ts), ts)) {
            cause = PriCause.REQUESTED_CHAN_UNAVAIL;
        }
        if (cause != 0) {
            // All of these causes make libpri send RELEASE COMPLETE to a fresh SETUP.
            LOG.info("{}: rejecting SETUP to {} on channel {}: cause {}", config.name(), called.digits(), ts, cause);
            lib.pri_hangup(pri, h, cause);
            return;
        }
        PriCall call = new PriCall(this, PriCall.Direction.INCOMING, ts);
        call.handle = h;
        calls.put(Pointer.nativeValue(h), call);
        emit(new PriEvent.IncomingCall(call, ts, exclusive, called, calling, callingName.isEmpty() ? null : callingName,
            complete, ctype, layer1));
    }

    /**
     * Glare (Q.931 5.7): a SETUP from the far end for the channel of our own outgoing call. On a
     * CPE span the network's choice wins while our call has had no answer: our call is cleared
     * (RELEASE COMPLETE 44, which the network's own refusal would have said too) and reported
     * released with cause 44 so that call control re-hunts; the incoming call gets the channel.
     * A NETWORK span keeps its call and refuses the user's SETUP with 44 (returns false); so does
     * a CPE span whose call the network has already answered on that channel (its error).
     */
    private boolean yieldInGlare(PriCall mine, int ts) {
        if (config.node() != PriNode.CPE || mine.direction() != PriCall.Direction.OUTGOING || mine.responded
            || mine.hangupSent) {
            return false;
        }
        LOG.info("{}: glare on channel {}: the network's SETUP wins, {} cleared with cause 44", config.name(), ts,
            mine);
        mine.hangupSent = true;
        mine.hangupCause = PriCause.REQUESTED_CHAN_UNAVAIL;
        if (!hangupAndCheck(mine, PriCause.REQUESTED_CHAN_UNAVAIL)) {
            lib.pri_destroycall(pri, mine.handle);
        }
        release(mine, PriCause.REQUESTED_CHAN_UNAVAIL, ReleaseReason.REMOTE);
        return true;
    }

    private void onDisconnect() {
        Pointer h = ev.getPointer(HANGUP_CALL);
        int cause = ev.getInt(HANGUP_CAUSE);
        PriCall call = h == null ? null : calls.get(Pointer.nativeValue(h));
        if (call == null) {
            if (h != null) {
                lib.pri_hangup(pri, h, cause);
            }
            return;
        }
        if (call.hangupSent) {
            // Both sides cleared at once: answer the DISCONNECT with RELEASE ourselves.
            lib.pri_hangup(pri, h, call.hangupCause);
            return;
        }
        call.disconnectReceived = true;
        call.remoteCause = cause;
        emit(new PriEvent.DisconnectRequested(call, cause));
    }

    /**
     * HANGUP: RELEASE / RELEASE COMPLETE received or a libpri timer (T303, T309, ...) gave up.
     * libpri waits for a second pri_hangup to finish the clearing (RELEASE COMPLETE) and free the
     * call: do it now, before anyone else can touch the handle.
     */
    private void onRelease() {
        Pointer h = ev.getPointer(HANGUP_CALL);
        int cause = ev.getInt(HANGUP_CAUSE);
        if (h == null) {
            return;
        }
        PriCall call = calls.get(Pointer.nativeValue(h));
        lib.pri_hangup(pri, h, cause);
        if (call != null) {
            boolean local = call.hangupSent && !call.disconnectReceived;
            release(call, cause, local ? ReleaseReason.LOCAL : ReleaseReason.REMOTE);
        }
    }

    private void doSetup(PriCall call, OutgoingCall req) {
        int ts = req.channel();
        int cause = 0;
        if (!dChannelUp || !inService) {
            cause = PriCause.NETWORK_OUT_OF_ORDER;
        } else if (ts == ChannelId.ANY) {
            ts = idleChannel();
            if (ts == ChannelId.ANY) {
                cause = PriCause.NORMAL_CIRCUIT_CONGESTION;
            }
        } else if (!config.hasBChannel(ts) || callOn(ts) != null) {
            cause = PriCause.REQUESTED_CHAN_UNAVAIL;
        }
        Pointer h = null;
        if (cause == 0) {
            h = lib.pri_new_call(pri);
            if (h == null) {
                cause = PriCause.RESOURCE_UNAVAIL_UNSPECIFIED;
            }
        }
        if (cause == 0) {
            call.channel = ts;
            if (sendSetup(h, ts, req) != 0) {
                lib.pri_destroycall(pri, h);
                cause = PriCause.NORMAL_TEMPORARY_FAILURE;
            }
        }
        if (cause != 0) {
            LOG.info("{}: cannot place call to {} on channel {}: cause {} (D-channel {}, {})", config.name(),
                req.called().digits(), ts, cause, dChannelUp ? "up" : "down", SpanAlarms.describe(alarms));
            call.markReleased();
            emit(new PriEvent.CallReleased(call, cause, ReleaseReason.SETUP_FAILED));
            return;
        }
        call.handle = h;
        calls.put(Pointer.nativeValue(h), call);
    }

    private int sendSetup(Pointer h, int ts, OutgoingCall req) {
        Pointer sr = lib.pri_sr_new();
        if (sr == null) {
            return -1;
        }
        // Native strings live until pri_setup has returned (libpri may keep the pointers until then).
        Memory called = cString(req.called().digits());
        Memory caller = cString(req.calling().digits());
        Memory name = req.callingName() == null ? null : cString(req.callingName());
        try {
            lib.pri_sr_set_channel(sr, ts, 1, 0);
            lib.pri_sr_set_bearer(sr, PriConstants.PRI_TRANS_CAP_SPEECH,
                config.law() == TdmLaw.MULAW ? PriConstants.PRI_LAYER_1_ULAW : PriConstants.PRI_LAYER_1_ALAW);
            lib.pri_sr_set_called(sr, called, req.called().plan(), req.complete() ? 1 : 0);
            lib.pri_sr_set_caller(sr, caller, name, req.calling().plan(), req.calling().presentation());
            return lib.pri_setup(pri, h, sr);
        } finally {
            lib.pri_sr_free(sr);
            called.close();
            caller.close();
            if (name != null) {
                name.close();
            }
        }
    }

    private static Memory cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        Memory m = new Memory(b.length + 1L);
        m.write(0, b, 0, b.length);
        m.setByte(b.length, (byte) 0);
        return m;
    }

    private void execute(PriCall call, Cmd cmd, int arg, String text) {
        if (call.isReleased() || call.handle == null) {
            LOG.debug("{}: {} on {} ignored: call already released", config.name(), cmd, call);
            return;
        }
        Pointer h = call.handle;
        int ch = call.channel == ChannelId.ANY ? 0 : call.channel;
        int rc = 0;
        switch (cmd) {
            case PROCEEDING:
                rc = lib.pri_proceeding(pri, h, ch, arg);
                call.responded = true;
                break;
            case ALERTING:
                rc = lib.pri_acknowledge(pri, h, ch, arg);
                call.responded = true;
                break;
            case PROGRESS:
                rc = lib.pri_progress(pri, h, ch, arg);
                call.responded = true;
                break;
            case ANSWER:
                rc = lib.pri_answer(pri, h, ch, 0);
                call.responded = true;
                call.answered = true;
                break;
            case NEED_MORE_INFO:
                rc = lib.pri_need_more_info(pri, h, ch, 0);
                call.responded = true;
                break;
            case INFORMATION:
                for (int i = 0; i < text.length() && rc == 0; i++) {
                    rc = lib.pri_information(pri, h, (byte) text.charAt(i));
                }
                break;
            case HANGUP:
                rc = doHangup(call, arg);
                break;
            case DISCARD:
                lib.pri_destroycall(pri, h);
                release(call, PriCause.NORMAL_TEMPORARY_FAILURE, ReleaseReason.LOCAL);
                break;
            default:
                throw new IllegalStateException("unhandled command " + cmd);
        }
        if (rc != 0) {
            LOG.warn("{}: libpri refused {} on {} (rc {})", config.name(), cmd, call, rc);
        }
    }

    private int doHangup(PriCall call, int cause) {
        if (call.hangupSent) {
            return 0;
        }
        boolean fresh = call.direction() == PriCall.Direction.INCOMING && !call.responded;
        if (fresh && !PriCause.releasesCompleteOnFreshCall(cause)) {
            // pri_hangup on a fresh SETUP sends nothing for this cause; the caller would retransmit
            // SETUP until T303 and see cause 18. CALL PROCEEDING first makes it a DISCONNECT.
            lib.pri_proceeding(pri, call.handle, call.channel, 0);
            call.responded = true;
            fresh = false;
        }
        call.hangupSent = true;
        call.hangupCause = cause;
        if (hangupAndCheck(call, cause)) {
            // RELEASE COMPLETE went out and libpri has forgotten the call: no event will follow.
            release(call, cause, ReleaseReason.LOCAL);
        } else if (!dChannelUp || !inService) {
            // Nothing will answer on a dead link; libpri's T305/T308 would only retry into the void.
            lib.pri_destroycall(pri, call.handle);
            release(call, cause, ReleaseReason.LOCAL);
        }
        return lastHangupRc;
    }

    private int lastHangupRc;

    /**
     * {@code pri_hangup}, watching what libpri writes for this call meanwhile. Returns true when
     * libpri cleared the call with RELEASE COMPLETE: it has then freed the call and will report
     * nothing more about it. libpri 1.6.0 does that for an unanswered call (any state before
     * CONNECT, incoming or outgoing) with causes 1, 34, 44, 81, 82 and in some states 88; for every
     * other cause it sends DISCONNECT (or RELEASE for 6, 7, 26) and reports the end of the clearing.
     * If no frame for the call went out at all (Q.921 window full: the message is queued), the
     * causes libpri clears with RELEASE COMPLETE in every unanswered state decide.
     */
    private boolean hangupAndCheck(PriCall call, int cause) {
        int crv = lib.pri_get_crv(pri, call.handle, null) & 0x7FFF;
        watchCrv = crv;
        watchSentAny = false;
        watchSentReleaseComplete = false;
        try {
            lastHangupRc = lib.pri_hangup(pri, call.handle, cause);
        } finally {
            watchCrv = -1;
        }
        if (watchSentReleaseComplete) {
            return true;
        }
        return !watchSentAny && !call.answered && PriCause.clearedWithReleaseComplete(cause);
    }

    /** Q.921 I-frame carrying Q.931 for {@link #watchCrv}: note it (and whether it is RELEASE COMPLETE). */
    private void watchFrame(int len) {
        int end = len - 2; // FCS
        if (end < 9 || (frame[2] & 1) != 0 || frame[4] != Q931_DISCRIMINATOR) {
            return;
        }
        int crLen = frame[5] & 0x0F;
        int p = 6;
        if (crLen < 1 || crLen > 2 || p + crLen >= end) {
            return;
        }
        int crv = 0;
        for (int i = 0; i < crLen; i++) {
            crv = (crv << 8) | (frame[p++] & 0xFF);
        }
        crv &= ~(0x80 << (8 * (crLen - 1)));
        if (crv != watchCrv) {
            return;
        }
        watchSentAny = true;
        if ((frame[p] & 0xFF) == Q931_RELEASE_COMPLETE) {
            watchSentReleaseComplete = true;
        }
    }

    private void doReset(int ts) {
        if (!config.hasBChannel(ts)) {
            LOG.warn("{}: RESTART of channel {} ignored: not a B-channel of this span", config.name(), ts);
            return;
        }
        destroyCallsOn(ts);
        sendRestart(ts, true);
    }

    private void restartIdleChannels() {
        int n = 0;
        for (int ts : config.bChannels()) {
            if (callOn(ts) == null) {
                sendRestart(ts, true);
                n++;
            }
        }
        LOG.info("{}: RESTART sent for {} idle B-channel(s)", config.name(), n);
    }

    /** A RESTART (sent or received) does not clear the call inside libpri: destroy it ourselves. */
    private void destroyCallsOn(int ts) {
        for (PriCall call : new ArrayList<>(calls.values())) {
            if (ts == ChannelId.ANY || call.channel == ts) {
                lib.pri_destroycall(pri, call.handle);
                release(call, PriCause.NORMAL_TEMPORARY_FAILURE, ReleaseReason.RESTART);
            }
        }
    }

    private void release(PriCall call, int cause, ReleaseReason reason) {
        if (call.handle != null) {
            calls.remove(Pointer.nativeValue(call.handle));
        }
        call.handle = null;
        if (!call.isReleased()) {
            call.markReleased();
            emit(new PriEvent.CallReleased(call, cause, reason));
        }
    }

    private PriCall known(Pointer h, int type) {
        PriCall call = h == null ? null : calls.get(Pointer.nativeValue(h));
        if (call == null) {
            LOG.debug("{}: {} for an unknown call ignored", config.name(), lib.pri_event2str(type));
        }
        return call;
    }

    private int updateChannel(PriCall call) {
        int ts = ChannelId.timeslot(ev.channel());
        if (ts != ChannelId.ANY) {
            call.channel = ts;
        }
        return call.channel;
    }

    private PriCall callOn(int ts) {
        for (PriCall c : calls.values()) {
            if (c.channel == ts) {
                return c;
            }
        }
        return null;
    }

    private int idleChannel() {
        for (int ts : config.bChannels()) {
            if (callOn(ts) == null) {
                return ts;
            }
        }
        return ChannelId.ANY;
    }

    /** Calls currently known (engine thread). */
    List<PriCall> calls() {
        return new ArrayList<>(calls.values());
    }

    private void emit(PriEvent event) {
        try {
            listener.onPriEvent(this, event);
        } catch (RuntimeException e) {
            LOG.error("{}: listener failed on {}", config.name(), event, e);
        }
    }
}
