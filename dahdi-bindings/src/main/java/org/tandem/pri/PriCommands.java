package org.tandem.pri;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.pri.PriEvent.ReleaseReason;
import org.tandem.pri.jna.LibPri;
import org.tandem.pri.jna.PriConstants;
import org.tandem.pri.jna.PriRedirectingFlyweight;
import org.tandem.tdm.SpanAlarms;
import org.tandem.tdm.TdmLaw;

/**
 * The command side of one span: what {@link PriSpan#setup} and the {@link PriCall} methods queued,
 * run against libpri. SETUP (channel hunting, refusal while the link or the span is down), the
 * per-call messages, and the hangup rules for unanswered calls: CALL PROCEEDING first where
 * {@code pri_hangup} alone would send nothing, and detection of the RELEASE COMPLETE after which
 * libpri forgets a call without an event ({@link #hangupAndCheck}).
 *
 * <p>PRI engine thread only (commands are run in order from the engine's queue). Owns no call
 * state: the calls are in the {@link PriCallTable}.
 */
final class PriCommands {
    /** The span's logger: these lines were PriSpan's before the split. */
    private static final Logger LOG = LoggerFactory.getLogger(PriSpan.class);

    private final PriSpan span;
    private final PriSpanConfig config;
    private final LibPri lib;
    private final Pointer pri;
    private final PriCallTable calls;
    private final ReleaseCompleteWatch watch;
    /** A SETUP's called number, calling number and name (libpri's fields hold 255 characters + NUL). */
    private final Memory calledBuf = new Memory(256);
    private final Memory callerBuf = new Memory(256);
    private final Memory nameBuf = new Memory(256);
    private int lastHangupRc;

    PriCommands(PriSpan span, PriSpanConfig config, LibPri lib, Pointer pri, PriCallTable calls,
                ReleaseCompleteWatch watch) {
        this.span = span;
        this.config = config;
        this.lib = lib;
        this.pri = pri;
        this.calls = calls;
        this.watch = watch;
    }

    void setup(PriCall call, OutgoingCall req) {
        int ts = req.channel();
        int cause = 0;
        if (!span.dChannelUp() || !span.inService()) {
            cause = PriCause.NETWORK_OUT_OF_ORDER;
        } else if (ts == ChannelId.ANY) {
            ts = calls.idleChannel();
            if (ts == ChannelId.ANY) {
                cause = PriCause.NORMAL_CIRCUIT_CONGESTION;
            }
        } else if (!config.hasBChannel(ts) || calls.callOn(ts) != null) {
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
                req.called().digits(), ts, cause, span.dChannelUp() ? "up" : "down", SpanAlarms.describe(span.alarms()));
            call.markReleased();
            span.emit(new PriEvent.CallReleased(call, cause, ReleaseReason.SETUP_FAILED));
            return;
        }
        call.handle = h;
        calls.put(h, call);
    }

    private int sendSetup(Pointer h, int ts, OutgoingCall req) {
        Pointer sr = lib.pri_sr_new();
        if (sr == null) {
            return -1;
        }
        // Native strings live until pri_setup has returned (libpri may keep the pointers until then):
        // the span's own buffers, reused by every SETUP (engine thread, one SETUP at a time).
        Memory called = cString(calledBuf, req.called().digits());
        Memory caller = cString(callerBuf, req.calling().digits());
        Memory name = req.callingName() == null ? null : cString(nameBuf, req.callingName());
        Memory redirecting = req.redirecting() == null ? null : redirecting(req.redirecting());
        try {
            lib.pri_sr_set_channel(sr, ts, 1, 0);
            lib.pri_sr_set_bearer(sr, PriConstants.PRI_TRANS_CAP_SPEECH,
                config.law() == TdmLaw.MULAW ? PriConstants.PRI_LAYER_1_ULAW : PriConstants.PRI_LAYER_1_ALAW);
            lib.pri_sr_set_called(sr, called, req.called().plan(), req.complete() ? 1 : 0);
            lib.pri_sr_set_caller(sr, caller, name, req.calling().plan(), req.calling().presentation());
            if (redirecting != null) {
                lib.pri_sr_set_redirecting_parties(sr, redirecting);
            }
            return lib.pri_setup(pri, h, sr);
        } finally {
            lib.pri_sr_free(sr);
            closeUnlessReused(called, calledBuf);
            closeUnlessReused(caller, callerBuf);
            closeUnlessReused(name, nameBuf);
            if (redirecting != null) {
                redirecting.close();
            }
        }
    }

    private static void closeUnlessReused(Memory m, Memory reused) {
        if (m != null && m != reused) {
            m.close();
        }
    }

    /** {@code struct pri_party_redirecting} of a diverted call's SETUP. */
    private static Memory redirecting(Redirecting r) {
        Memory m = PriRedirectingFlyweight.allocate();
        PartyNumber from = r.from();
        PriRedirectingFlyweight.setNumber(m, PriRedirectingFlyweight.FROM, from.digits(), from.plan(), from.presentation());
        if (r.originalCalled() != null) {
            PartyNumber oc = r.originalCalled();
            PriRedirectingFlyweight.setNumber(m, PriRedirectingFlyweight.ORIG_CALLED, oc.digits(), oc.plan(),
                oc.presentation());
        }
        m.setInt(PriRedirectingFlyweight.COUNT, r.count());
        m.setInt(PriRedirectingFlyweight.REASON, r.reason());
        m.setInt(PriRedirectingFlyweight.ORIG_REASON, r.reason());
        return m;
    }

    /** {@code s} as a C string in {@code reuse} when it fits (a SETUP's numbers always do), else in new memory. */
    private static Memory cString(Memory reuse, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        Memory m = b.length < reuse.size() ? reuse : new Memory(b.length + 1L);
        m.write(0, b, 0, b.length);
        m.setByte(b.length, (byte) 0);
        return m;
    }

    /** The call's own B-channel, exclusive, encoded for RETRIEVE (ts | explicit << 16): the same channel back. */
    private static int exclusive(PriCall call) {
        return call.channel == ChannelId.ANY ? 0 : call.channel | 1 << 16;
    }

    /** {@link PriSpan#transfer}: {@code pri_channel_bridge} of two live calls of this span. */
    void transfer(PriCall call1, PriCall call2) {
        if (call1.isReleased() || call2.isReleased() || call1.handle == null || call2.handle == null) {
            LOG.info("{}: transfer of {} and {} not sent: a call is already released", config.name(), call1, call2);
            return;
        }
        int rc = lib.pri_channel_bridge(call1.handle, call2.handle);
        if (rc != 0) {
            LOG.warn("{}: libpri refused the transfer of {} and {} (rc {}; switch type {}, supplementary services {})",
                config.name(), call1, call2, rc, config.switchType(), config.supplementaryServices());
        } else {
            LOG.info("{}: explicit call transfer of {} and {} requested", config.name(), call1, call2);
        }
    }

    void execute(PriCall call, PriSpan.Cmd cmd, int arg, String text) {
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
                calls.release(call, PriCause.NORMAL_TEMPORARY_FAILURE, ReleaseReason.LOCAL);
                break;
            case HOLD:
                rc = lib.pri_hold(pri, h);
                break;
            case HOLD_ACK:
                rc = lib.pri_hold_ack(pri, h);
                break;
            case HOLD_REJECT:
                rc = lib.pri_hold_rej(pri, h, arg);
                break;
            case RETRIEVE:
                rc = lib.pri_retrieve(pri, h, exclusive(call));
                break;
            case RETRIEVE_ACK:
                rc = lib.pri_retrieve_ack(pri, h, exclusive(call));
                break;
            case RETRIEVE_REJECT:
                rc = lib.pri_retrieve_rej(pri, h, arg);
                break;
            case TRANSFER_RESPONSE:
                rc = lib.pri_transfer_rsp(pri, h, arg, text == null ? 1 : 0);
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
            calls.release(call, cause, ReleaseReason.LOCAL);
        } else if (!span.dChannelUp() || !span.inService()) {
            // Nothing will answer on a dead link; libpri's T305/T308 would only retry into the void.
            lib.pri_destroycall(pri, call.handle);
            calls.release(call, cause, ReleaseReason.LOCAL);
        }
        return lastHangupRc;
    }

    /**
     * {@code pri_hangup}, watching what libpri writes for this call meanwhile. Returns true when
     * libpri cleared the call with RELEASE COMPLETE: it has then freed the call and will report
     * nothing more about it. libpri 1.6.0 does that for an unanswered call (any state before
     * CONNECT, incoming or outgoing) with causes 1, 34, 44, 81, 82 and in some states 88; for every
     * other cause it sends DISCONNECT (or RELEASE for 6, 7, 26) and reports the end of the clearing.
     * If no frame for the call went out at all (Q.921 window full: the message is queued), the
     * causes libpri clears with RELEASE COMPLETE in every unanswered state decide.
     */
    boolean hangupAndCheck(PriCall call, int cause) {
        int crv = lib.pri_get_crv(pri, call.handle, null) & 0x7FFF;
        watch.arm(crv);
        try {
            lastHangupRc = lib.pri_hangup(pri, call.handle, cause);
        } finally {
            watch.disarm();
        }
        if (watch.sentReleaseComplete()) {
            return true;
        }
        return !watch.sentAny() && !call.answered && PriCause.clearedWithReleaseComplete(cause);
    }
}
