package org.tandem.gateway.call;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.media.MediaHandle;
import org.tandem.gateway.sip.CallHandle;
import org.tandem.gateway.sip.SipEvent;
import org.tandem.gateway.sip.SipSide;

/**
 * Attended transfer between two calls of ours (RFC 3515 REFER whose Refer-To carries an RFC 3891
 * {@code Replaces} naming the other call's dialog): a phone or trunk with two calls through the
 * gateway to PSTN parties X and Y asks us to connect X and Y and to leave both calls. The SIP side
 * has already checked that the Replaces names another confirmed dialog we hold
 * ({@link SipEvent.AttendedTransferRequested}).
 *
 * <p>Here: both calls must be connected PSTN calls with media and no transfer running (else 403,
 * both calls go on). The REFER gets 202 and NOTIFY 100; the two B-channels are then connected to
 * each other in the media engine, TDM to TDM ({@link MediaHandle#bridge}); once both media agents
 * have switched, the REFER's last NOTIFY says 200 and both SIP legs get a BYE. The two calls go
 * on as one PSTN-to-PSTN connection through the gateway, each keeping its B-channel and its CDR;
 * when either PSTN party hangs up, the other call is released with the same cause
 * ({@link #partnerOf}). If the switch-over fails, the NOTIFY says 500 and the calls stay as they
 * were.
 *
 * <p>Runs on the {@link CallControlAgent} thread.
 */
final class AttendedTransfer {
    private static final Logger LOG = LoggerFactory.getLogger(AttendedTransfer.class);

    private final CallRegistry calls;
    private final OpsModelReporter ops;

    AttendedTransfer(CallRegistry calls, OpsModelReporter ops) {
        this.calls = calls;
        this.ops = ops;
    }

    void onRequested(Call c1, SipEvent.AttendedTransferRequested t) {
        SipSide sip = calls.sip();
        Call c2 = calls.bySip(t.replaced().id());
        String refusal = refusal(c1, c2, t);
        if (refusal != null) {
            LOG.info("call {}: attended transfer REFER ({}) refused with 403: {}", c1.id, t.referTo(), refusal);
            sip.rejectRefer(t.call(), 403);
            return;
        }
        sip.acceptRefer(t.call());
        c1.joining = c2;
        c2.joining = c1;
        CallHandle h1 = c1.sip;
        CallHandle h2 = c2.sip;
        LOG.info("call {}: attended transfer: joining its PSTN party {} with call {}'s {} (TDM bridge)", c1.id,
                c1.pstn.channel, c2.id, c2.pstn.channel);
        MediaHandle.bridge(c1.media, c2.media).whenComplete((v, e) -> calls.agent().execute(() -> {
            if (e != null) {
                failed(c1, c2, h1, e);
            } else {
                joined(c1, c2, h1, h2);
            }
        }));
    }

    /** Why these two calls are not joined, or null when they are. */
    private static String refusal(Call c1, Call c2, SipEvent.AttendedTransferRequested t) {
        if (c2 == null || c2 == c1) {
            return "the replaced dialog " + t.replaced() + " carries no other call";
        }
        for (Call c : new Call[] {c1, c2}) {
            if (c.state() != CallState.CONNECTED || c.sip == null || c.sipDone) {
                return "call " + c.id + " is not established";
            }
            if (c.transfer != null || c.joining != null || c.joined != null) {
                return "call " + c.id + " is already being transferred";
            }
            if (c.media == null || c.pstn == null || c.pstn.released) {
                return "call " + c.id + " has no PSTN leg with media";
            }
        }
        if (c1.sip.id() != t.call().id() || c2.sip.id() != t.replaced().id()) {
            return "the dialogs are not the calls' current legs";
        }
        return null;
    }

    private void joined(Call c1, Call c2, CallHandle h1, CallHandle h2) {
        c1.joining = null;
        c2.joining = null;
        if (!c1.isLive() || !c2.isLive()) {
            // One side hung up while the agents switched: its release has taken (or will take)
            // the other with it (partnerOf); the transferor only needs the outcome.
            calls.sip().notifyRefer(h1, 487);
            return;
        }
        SipSide sip = calls.sip();
        sip.notifyRefer(h1, 200);
        for (Call c : new Call[] {c1, c2}) {
            if (!c.sipDone) {
                calls.unbindSip(c);
                sip.hangup(c.sip, null);
                c.sipDone = true;
            }
        }
        c1.joined = c2;
        c2.joined = c1;
        ops.updated(c1);
        ops.updated(c2);
        LOG.info("call {}: joined with call {} (B-channels {} and {} bridged); SIP legs {} and {} released", c1.id,
                c2.id, c1.pstn.channel, c2.pstn.channel, h1, h2);
    }

    private void failed(Call c1, Call c2, CallHandle h1, Throwable e) {
        c1.joining = null;
        c2.joining = null;
        LOG.warn("call {}: attended transfer with call {} failed: {}", c1.id, c2.id, e.toString());
        calls.sip().notifyRefer(h1, 500);
    }

    /**
     * A SIP event of a call being joined: the phone may hang up once it has the 202 (RFC 3515
     * 2.4.5); the joining goes on without that leg. True when handled here.
     */
    boolean onSipEvent(Call c, SipEvent event) {
        if (c.joining == null || !(event instanceof SipEvent.RemoteHangup) || event.call().id() != c.sip.id()) {
            return false;
        }
        LOG.info("call {}: the transferor hung up; joining with call {} goes on", c.id, c.joining.id);
        calls.unbindSip(c);
        c.sipDone = true;
        return true;
    }

    /**
     * The call this one is joined to (or being joined to), detached from it, when {@code c} is
     * being released: {@link CallRelease} releases it too. Null when there is none.
     */
    static Call partnerOf(Call c) {
        Call other = c.joined != null ? c.joined : c.joining;
        c.joined = null;
        c.joining = null;
        if (other != null) {
            other.joined = null;
            other.joining = null;
        }
        return other;
    }
}
