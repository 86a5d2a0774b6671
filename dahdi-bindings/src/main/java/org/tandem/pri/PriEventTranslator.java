package org.tandem.pri;

import com.sun.jna.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.pri.PriEvent.ReleaseReason;
import org.tandem.pri.jna.LibPri;
import org.tandem.pri.jna.PriConstants;
import org.tandem.pri.jna.PriEventFlyweight;
import org.tandem.pri.jna.PriRedirectingFlyweight;

import static org.tandem.pri.jna.PriEventFlyweight.FACILITY_SUBCMDS;
import static org.tandem.pri.jna.PriEventFlyweight.PRI_SUBCMD_TRANSFER_CALL;
import static org.tandem.pri.jna.PriEventFlyweight.TRANSFER_CALL_1;
import static org.tandem.pri.jna.PriEventFlyweight.TRANSFER_CALL_2;
import static org.tandem.pri.jna.PriEventFlyweight.TRANSFER_INVOKE_ID;
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
 * libpri's events, as {@code pri_check_event} / {@code pri_schedule_run} return them, turned into
 * {@link PriEvent} records for the span's listener, with what libpri leaves to its user done on
 * the spot: every field is copied out of libpri's event memory before the next libpri call (it is
 * overwritten by it); a received RELEASE (HANGUP) is completed with the second {@code pri_hangup};
 * an incoming SETUP gets a channel, or is refused, or wins a glare; HANGUP_REQ during our own
 * clearing is answered here.
 *
 * <p>PRI engine thread only. Owns the event flyweight; the calls are in the {@link PriCallTable},
 * the link state in the {@link PriSpan}.
 */
final class PriEventTranslator {
    /** The span's logger: these lines were PriSpan's before the split. */
    private static final Logger LOG = LoggerFactory.getLogger(PriSpan.class);

    private final PriSpan span;
    private final PriSpanConfig config;
    private final LibPri lib;
    private final Pointer pri;
    private final PriCallTable calls;
    private final PriCommands commands;
    private final RestartProcedure restarts;
    private final PriEventFlyweight ev = new PriEventFlyweight();

    PriEventTranslator(PriSpan span, PriSpanConfig config, LibPri lib, Pointer pri, PriCallTable calls,
                       PriCommands commands, RestartProcedure restarts) {
        this.span = span;
        this.config = config;
        this.lib = lib;
        this.pri = pri;
        this.calls = calls;
        this.commands = commands;
        this.restarts = restarts;
    }

    /** One event {@code e} (a {@code pri_event*} into libpri's memory, valid until the next libpri call). */
    void handle(Pointer e) {
        ev.wrap(e);
        int type = ev.e();
        switch (type) {
            case PriConstants.PRI_EVENT_DCHAN_UP:
                span.onDChannelUp();
                break;
            case PriConstants.PRI_EVENT_DCHAN_DOWN:
                span.onDChannelDown();
                break;
            case PriConstants.PRI_EVENT_RING:
                onRing();
                break;
            case PriConstants.PRI_EVENT_PROCEEDING: {
                PriCall call = known(ev.getPointer(PROCEEDING_CALL), type);
                if (call != null) {
                    call.responded = true;
                    span.emit(new PriEvent.Proceeding(call, updateChannel(call), ev.getInt(PROCEEDING_PROGRESSMASK)));
                }
                break;
            }
            case PriConstants.PRI_EVENT_PROGRESS: {
                PriCall call = known(ev.getPointer(PROCEEDING_CALL), type);
                if (call != null) {
                    call.responded = true;
                    span.emit(new PriEvent.Progress(call, updateChannel(call), ev.getInt(PROCEEDING_PROGRESSMASK)));
                }
                break;
            }
            case PriConstants.PRI_EVENT_RINGING: {
                PriCall call = known(ev.getPointer(ANSWER_CALL), type);
                if (call != null) {
                    call.responded = true;
                    span.emit(new PriEvent.Alerting(call, updateChannel(call), ev.getInt(ANSWER_PROGRESSMASK)));
                }
                break;
            }
            case PriConstants.PRI_EVENT_ANSWER: {
                PriCall call = known(ev.getPointer(ANSWER_CALL), type);
                if (call != null) {
                    call.responded = true;
                    call.answered = true;
                    span.emit(new PriEvent.Answered(call, updateChannel(call)));
                }
                break;
            }
            case PriConstants.PRI_EVENT_SETUP_ACK: {
                PriCall call = known(ev.getPointer(SETUP_ACK_CALL), type);
                if (call != null) {
                    call.responded = true;
                    span.emit(new PriEvent.SetupAcknowledged(call, updateChannel(call)));
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
                PriCall call = calls.get(h);
                if (call != null) {
                    if (call.disconnectReceived) {
                        calls.release(call, call.remoteCause, ReleaseReason.REMOTE);
                    } else {
                        calls.release(call, call.hangupSent ? call.hangupCause : cause, ReleaseReason.LOCAL);
                    }
                }
                break;
            }
            case PriConstants.PRI_EVENT_RESTART:
                restarts.onRestartReceived(ChannelId.timeslot(ev.channel()));
                break;
            case PriConstants.PRI_EVENT_RESTART_ACK:
                restarts.onRestartAcknowledged(ChannelId.timeslot(ev.channel()));
                break;
            case PriConstants.PRI_EVENT_INFO_RECEIVED: {
                PriCall call = known(ev.getPointer(RING_CALL), type);
                if (call != null) {
                    span.emit(new PriEvent.DigitsReceived(call, ev.getString(RING_CALLEDNUM, STR_LEN), false));
                }
                break;
            }
            case PriConstants.PRI_EVENT_KEYPAD_DIGIT: {
                PriCall call = known(ev.getPointer(DIGIT_CALL), type);
                if (call != null) {
                    span.emit(new PriEvent.DigitsReceived(call, ev.getString(DIGIT_DIGITS, KEYPAD_LEN), true));
                }
                break;
            }
            case PriConstants.PRI_EVENT_FACILITY:
                onFacility();
                break;
            case PriConstants.PRI_EVENT_HOLD:
            case PriConstants.PRI_EVENT_HOLD_ACK:
            case PriConstants.PRI_EVENT_HOLD_REJ:
            case PriConstants.PRI_EVENT_RETRIEVE:
            case PriConstants.PRI_EVENT_RETRIEVE_ACK:
            case PriConstants.PRI_EVENT_RETRIEVE_REJ:
                onHoldOrRetrieve(type);
                break;
            default:
                LOG.debug("{}: ignoring libpri event {} ({})", config.name(), type, lib.pri_event2str(type));
        }
    }

    /** HOLD / RETRIEVE and their answers (ETS 300 139), all with the call at the same offset. */
    private void onHoldOrRetrieve(int type) {
        PriCall call = known(ev.getPointer(PriEventFlyweight.HOLD_CALL), type);
        if (call == null) {
            return;
        }
        int ts = ChannelId.timeslot(ev.channel());
        switch (type) {
            case PriConstants.PRI_EVENT_HOLD -> span.emit(new PriEvent.HoldRequested(call));
            case PriConstants.PRI_EVENT_HOLD_ACK -> span.emit(new PriEvent.HoldAcknowledged(call));
            case PriConstants.PRI_EVENT_HOLD_REJ ->
                span.emit(new PriEvent.HoldRejected(call, ev.getInt(PriEventFlyweight.HOLD_REJ_CAUSE)));
            case PriConstants.PRI_EVENT_RETRIEVE -> span.emit(new PriEvent.RetrieveRequested(call, ts));
            case PriConstants.PRI_EVENT_RETRIEVE_ACK -> span.emit(new PriEvent.RetrieveAcknowledged(call, ts));
            default -> span.emit(new PriEvent.RetrieveRejected(call, ev.getInt(PriEventFlyweight.HOLD_REJ_CAUSE)));
        }
    }

    /** FACILITY: the subcommands the gateway uses (a transfer request on the network side). */
    private void onFacility() {
        Pointer subcmds = ev.getPointer(FACILITY_SUBCMDS);
        if (subcmds == null) {
            return;
        }
        int n = Math.min(subcmds.getInt(PriRedirectingFlyweight.SUBCMDS_COUNTER), 8);
        for (int i = 0; i < n; i++) {
            long base = PriRedirectingFlyweight.SUBCMDS_SUBCMD + (long) i * PriRedirectingFlyweight.SUBCMD_SIZE;
            if (subcmds.getInt(base) != PRI_SUBCMD_TRANSFER_CALL) {
                continue;
            }
            long u = base + PriRedirectingFlyweight.SUBCMD_U;
            PriCall c1 = calls.get(subcmds.getPointer(u + TRANSFER_CALL_1));
            PriCall c2 = calls.get(subcmds.getPointer(u + TRANSFER_CALL_2));
            int invokeId = subcmds.getInt(u + TRANSFER_INVOKE_ID);
            if (c1 == null || c2 == null) {
                LOG.info("{}: transfer request for calls we do not know: refused", config.name());
                Pointer h = subcmds.getPointer(u + TRANSFER_CALL_1);
                if (h != null) {
                    lib.pri_transfer_rsp(pri, h, invokeId, 0);
                }
                continue;
            }
            span.emit(new PriEvent.TransferRequested(c1, c2, invokeId));
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
        Redirecting redirecting = redirectingOf(called.digits());
        // Everything is copied: libpri may be called again from here on.
        PriCall stale = calls.remove(h);
        if (stale != null) {
            LOG.warn("{}: libpri reused the handle of {} for a new SETUP; dropping the old call", config.name(), stale);
            calls.release(stale, PriCause.NORMAL_TEMPORARY_FAILURE, ReleaseReason.REMOTE);
        }
        int cause = 0;
        if (!span.inService()) {
            cause = PriCause.NORMAL_CIRCUIT_CONGESTION;
        } else if (ts == ChannelId.ANY) {
            ts = calls.idleChannel();
            if (ts == ChannelId.ANY) {
                cause = PriCause.NORMAL_CIRCUIT_CONGESTION;
            }
        } else if (!config.hasBChannel(ts)) {
            cause = PriCause.IDENTIFIED_CHANNEL_NOTEXIST;
        } else if (calls.callOn(ts) != null && !yieldInGlare(calls.callOn(ts), ts)) {
            cause = PriCause.REQUESTED_CHAN_UNAVAIL;
        }
        if (cause != 0) {
            // All of these causes make libpri send RELEASE COMPLETE to a fresh SETUP.
            LOG.info("{}: rejecting SETUP to {} on channel {}: cause {}", config.name(), called.digits(), ts, cause);
            lib.pri_hangup(pri, h, cause);
            return;
        }
        PriCall call = new PriCall(span, PriCall.Direction.INCOMING, ts);
        call.handle = h;
        calls.put(h, call);
        span.emit(new PriEvent.IncomingCall(call, ts, exclusive, called, calling,
            callingName.isEmpty() ? null : callingName, complete, ctype, layer1, redirecting));
    }

    /**
     * The SETUP's redirecting party: libpri's REDIRECTING subcommand (number with presentation,
     * count, original called party), else the ring event's own redirecting number fields; null
     * when the SETUP has no Redirecting number. A value out of Q.931's range is logged and dropped
     * (the call goes on without it).
     */
    private Redirecting redirectingOf(String calledDigits) {
        Pointer r = PriRedirectingFlyweight.findInRing(ev.pointer());
        try {
            if (r != null && PriRedirectingFlyweight.valid(r, PriRedirectingFlyweight.FROM)) {
                PartyNumber from = number(r, PriRedirectingFlyweight.FROM);
                if (from.digits().isEmpty()) {
                    return null;
                }
                PartyNumber orig = PriRedirectingFlyweight.valid(r, PriRedirectingFlyweight.ORIG_CALLED)
                    ? number(r, PriRedirectingFlyweight.ORIG_CALLED) : null;
                if (orig != null && orig.digits().isEmpty()) {
                    orig = null;
                }
                int count = Math.max(1, Math.min(Redirecting.MAX_COUNT, r.getInt(PriRedirectingFlyweight.COUNT)));
                return new Redirecting(from, orig, r.getInt(PriRedirectingFlyweight.REASON) & 0xF, count);
            }
            String digits = ev.getString(PriRedirectingFlyweight.RING_REDIRECTINGNUM, STR_LEN);
            if (digits.isEmpty()) {
                return null;
            }
            int reason = ev.getInt(PriRedirectingFlyweight.RING_REDIRECTINGREASON);
            return Redirecting.by(PartyNumber.fromPlan(digits, ev.getInt(PriRedirectingFlyweight.RING_CALLINGPLANRDNIS), 0),
                reason < 0 ? Redirecting.REASON_UNKNOWN : reason & 0xF);
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: SETUP to {}: redirecting number ignored: {}", config.name(), calledDigits, e.getMessage());
            return null;
        }
    }

    private static PartyNumber number(Pointer r, int party) {
        return PartyNumber.fromPlan(PriRedirectingFlyweight.digits(r, party), PriRedirectingFlyweight.plan(r, party),
            PriRedirectingFlyweight.presentation(r, party) & 0x7F);
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
        if (!commands.hangupAndCheck(mine, PriCause.REQUESTED_CHAN_UNAVAIL)) {
            lib.pri_destroycall(pri, mine.handle);
        }
        calls.release(mine, PriCause.REQUESTED_CHAN_UNAVAIL, ReleaseReason.REMOTE);
        return true;
    }

    private void onDisconnect() {
        Pointer h = ev.getPointer(HANGUP_CALL);
        int cause = ev.getInt(HANGUP_CAUSE);
        PriCall call = calls.get(h);
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
        span.emit(new PriEvent.DisconnectRequested(call, cause));
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
        PriCall call = calls.get(h);
        lib.pri_hangup(pri, h, cause);
        if (call != null) {
            boolean local = call.hangupSent && !call.disconnectReceived;
            calls.release(call, cause, local ? ReleaseReason.LOCAL : ReleaseReason.REMOTE);
        }
    }

    private PriCall known(Pointer h, int type) {
        PriCall call = calls.get(h);
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
}
