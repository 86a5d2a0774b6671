package org.tandem.gateway.call;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.config.RouteTarget;
import org.tandem.gateway.interwork.Q850Cause;
import org.tandem.gateway.interwork.Reason;
import org.tandem.gateway.ops.CallDirection;
import org.tandem.gateway.sip.SipSide;
import org.tandem.pri.PriCall;
import org.tandem.pri.PriEvent;

/**
 * Release and cause mapping: how a call ends. Failover to the route's next target when the
 * cause allows it, else {@link #startRelease} (both legs cleared with one Q.850 cause, mapped to
 * a SIP status through the call's cause map), then {@link #finish} once every leg has confirmed
 * (or the release guard forces it): maps cleaned, CDR emitted, drain completed. Also the release
 * events of both legs (PRI DISCONNECT/RELEASE, SIP CANCEL/BYE/session expiry/transaction timeout)
 * and drain.
 *
 * <p>Every call ends in {@link #finish}: both legs released (SIP final response or BYE/CANCEL sent
 * or received; every PRI leg reported released by libpri), the B-channel back in the channel
 * table, the media detached (RTP ports returned) and one CDR submitted. A guard timer forces the
 * end, with an error naming what was missing, if a leg never confirms.
 *
 * <p>Runs on the {@link CallControlAgent} thread. It owns no state of its own beyond the call's
 * outcome fields; the set-up classes and media are wired in once by {@link CallControl}.
 */
final class CallRelease {
    private static final Logger LOG = LoggerFactory.getLogger(CallRelease.class);

    private final CallRegistry calls;
    private final CallControl.Settings settings;
    private final OpsModelReporter ops;
    private final CdrEmitter cdr;
    // Wired once by CallControl's constructor (they need this class too).
    private CallMedia media;
    private SipToPstnSetup toPstn;
    private PstnToSipSetup toSip;
    private UserFork users;
    private CallTransfer transfers;
    private AttendedTransfer attended;

    CallRelease(CallRegistry calls, CallControl.Settings settings, OpsModelReporter ops, CdrEmitter cdr) {
        this.calls = calls;
        this.settings = settings;
        this.ops = ops;
        this.cdr = cdr;
    }

    /** Completes the wiring: media to detach, and the set-up classes failover and re-hunts go back to. */
    void wire(CallMedia callMedia, SipToPstnSetup sipToPstn, PstnToSipSetup pstnToSip, UserFork userFork) {
        this.media = callMedia;
        this.toPstn = sipToPstn;
        this.toSip = pstnToSip;
        this.users = userFork;
    }

    /** The transfers in progress, cancelled when their call is released. */
    void wire(CallTransfer callTransfer) {
        this.transfers = callTransfer;
    }

    /** Attended transfers: a call joined to another takes it along when released. */
    void wire(AttendedTransfer attendedTransfer) {
        this.attended = attendedTransfer;
    }

    // ------------------------------------------------------------------ drain

    /** Refuses new calls from now on and releases every call with {@code cause}; see {@link CallControl#drain}. */
    void drain(int cause, CompletableFuture<Void> drained) {
        calls.startDraining(cause, drained);
        List<Call> live = new ArrayList<>(calls.calls());
        if (!live.isEmpty()) {
            LOG.info("releasing {} call(s) with cause {} ({})", live.size(), cause, Q850Cause.name(cause));
        }
        for (Call c : live) {
            startRelease(c, cause, "gateway");
        }
        calls.checkDrained();
    }

    // ------------------------------------------------------------------ PRI leg released

    void onPstnDisconnect(PriCall call, int cause) {
        PstnLeg leg = calls.leg(call);
        if (leg == null) {
            call.hangup(cause);
            return;
        }
        leg.hangup(cause); // RELEASE in answer to DISCONNECT
        pstnFailed(leg, cause, false);
    }

    void onPstnReleased(PriCall call, int cause, PriEvent.ReleaseReason reason) {
        PstnLeg leg = calls.unbindLeg(call);
        if (leg == null) {
            return;
        }
        leg.released = true;
        leg.releaseCause = cause;
        LOG.debug("call {}: PRI leg on {} released, cause {} ({})", leg.call.id, leg.channel, cause, reason);
        // Before the channel is freed, so that a re-hunt does not pick the channel just refused.
        pstnFailed(leg, cause, reason == PriEvent.ReleaseReason.SETUP_FAILED);
        calls.table().free(leg.channel, leg);
        ops.ended(leg);
        maybeFinish(leg.call);
    }

    /**
     * The network cleared or refused a PRI leg (DISCONNECT, RELEASE, SETUP failure, alarm, RESTART).
     *
     * @param setupFailed the SETUP could not be sent (D-channel down or span in alarm since the hunt)
     */
    private void pstnFailed(PstnLeg leg, int cause, boolean setupFailed) {
        Call c = leg.call;
        if (!c.isLive() || leg != c.pstn) {
            return;
        }
        if (c.direction == CallDirection.PSTN_TO_SIP) {
            // The PRI leg is the caller: it gave up (or its span failed). Never a reason to fail over.
            c.cancelledByCaller = !c.sipAnswered;
            startRelease(c, cause, "pstn");
            return;
        }
        if (toPstn.rehuntIfRefused(c, leg, cause, setupFailed)) {
            return;
        }
        failOrFailover(c, cause, "pstn");
    }

    // ------------------------------------------------------------------ SIP leg ended

    void onSipCancelled(Call c, Reason reason) {
        c.sipDone = true;
        c.sipStatus = 487;
        c.cancelledByCaller = true;
        startRelease(c, causeOf(reason, Q850Cause.NORMAL_CLEARING), "sip");
    }

    void onSipHangup(Call c, Reason reason) {
        c.sipDone = true;
        if (!c.sipAnswered && c.direction == CallDirection.SIP_TO_PSTN) {
            c.cancelledByCaller = true;
        }
        startRelease(c, causeOf(reason, Q850Cause.NORMAL_CLEARING), "sip");
    }

    void onSessionExpired(Call c) {
        // RFC 4028 10: the peer stopped refreshing; the SIP side sent BYE. Free the B-channel.
        LOG.info("call {}: session timer expired, releasing", c.id);
        c.sipDone = true;
        startRelease(c, Q850Cause.RECOVERY_ON_TIMER_EXPIRY, "sip");
    }

    void onTransactionTimeout(Call c, String method) {
        LOG.info("call {}: SIP {} transaction timed out, releasing", c.id, method);
        c.sipDone = true;
        if (c.direction == CallDirection.PSTN_TO_SIP && !c.sipAnswered) {
            c.sipStatus = 408;
            failOrFailover(c, Q850Cause.RECOVERY_ON_TIMER_EXPIRY, "sip");
        } else {
            startRelease(c, Q850Cause.RECOVERY_ON_TIMER_EXPIRY, "sip");
        }
    }

    /** The Q.850 cause of a Reason header when it carries a usable one, else {@code fallback}. */
    static int causeOf(Reason reason, int fallback) {
        return reason != null && reason.isQ850() && Q850Cause.isValid(reason.cause()) && reason.cause() > 0
                ? reason.cause() : fallback;
    }

    // ------------------------------------------------------------------ failover and release

    /** Tries the next target of the route when the cause allows it, else releases the call. */
    void failOrFailover(Call c, int cause, String by) {
        if (!c.isLive()) {
            return;
        }
        boolean noMediaYet = !c.earlyMediaSent && !c.sipAnswered;
        if (c.route != null && c.state().isEarly() && noMediaYet && !calls.isDraining()
                && c.route.failsOver(c.targetIndex, cause)) {
            c.targetIndex++;
            RouteTarget next = c.route.targets().get(c.targetIndex);
            LOG.info("call {}: cause {} on target {}, failing over to {}", c.id, cause,
                    c.route.targets().get(c.targetIndex - 1), next);
            if (c.pstn != null && c.direction == CallDirection.SIP_TO_PSTN) {
                c.pstn.hangup(cause);
                c.oldLegs.add(c.pstn);
                c.pstn = null;
            }
            c.transition(CallState.ROUTING);
            if (c.direction == CallDirection.SIP_TO_PSTN) {
                toPstn.placePstn(c);
            } else {
                if (c.media != null) {
                    // Early media from the failed target: start afresh with the next one.
                    media.detachMedia(c);
                }
                toSip.placeSip(c);
            }
            return;
        }
        startRelease(c, cause, by);
    }

    /**
     * Starts clearing both legs with {@code cause} (Q.850). Idempotent: the first cause and the
     * first releasing side are kept for the CDR.
     */
    void startRelease(Call c, int cause, String by) {
        if (!c.isLive()) {
            maybeFinish(c);
            return;
        }
        if (c.cause == 0) {
            c.cause = cause;
        }
        if (c.releasedBy.isEmpty()) {
            c.releasedBy = by;
        }
        if (c.digitTimer != null) {
            c.digitTimer.cancel();
        }
        NoAnswerTimer.cancel(c);
        c.transition(CallState.RELEASING);
        SipSide s = calls.sip();
        if (transfers != null && s != null) {
            transfers.abandon(c, Reason.q850(c.cause));
        }
        Call partner = attended == null ? null : attended.released(c);
        if (!c.sipDone && s != null && users.releaseAll(c, Reason.q850(c.cause))) {
            c.sipStatus = 487; // our CANCELs of the user's ringing contacts
        } else if (!c.sipDone && c.sip != null && s != null) {
            Reason reason = Reason.q850(c.cause);
            if (c.sip.inbound() && !c.sipAnswered) {
                int status = c.rejectStatus != 0 ? c.rejectStatus : c.causes.toSipStatus(c.cause);
                c.sipStatus = status;
                s.reject(c.sip, status, reason);
            } else {
                if (!c.sip.inbound() && !c.sipAnswered) {
                    c.sipStatus = 487; // our CANCEL
                }
                s.hangup(c.sip, reason);
            }
        }
        c.sipDone = true;
        if (c.pstn != null) {
            c.pstn.hangup(c.cause);
        }
        for (PstnLeg l : c.oldLegs) {
            l.hangup(c.cause);
        }
        media.detachMedia(c);
        if (c.ports != null) {
            c.ports.close();
            c.ports = null;
        }
        c.guardTimer = calls.agent().schedule(settings.releaseGuardMs(), () -> forceFinish(c));
        LOG.debug("call {}: releasing, cause {} ({}) by {}", c.id, c.cause, Q850Cause.name(c.cause), c.releasedBy);
        if (partner != null) {
            startRelease(partner, c.cause, c.releasedBy); // the PSTN party it was joined to
        }
        maybeFinish(c);
    }

    /** Ends a releasing call once nothing of it is left (legs confirmed, media detached). */
    void maybeFinish(Call c) {
        if (c.state() == CallState.RELEASING && c.fullyReleased()) {
            finish(c);
        }
    }

    /** The release guard expired: frees what did not confirm and ends the call anyway. */
    private void forceFinish(Call c) {
        if (c.state() != CallState.RELEASING) {
            return;
        }
        LOG.error("call {}: legs did not confirm release within {} ms (sip done {}, pri {}, media done {}); "
                + "ending it anyway", c.id, settings.releaseGuardMs(), c.sipDone, c.pstn, c.mediaDone);
        List<PstnLeg> all = new ArrayList<>(c.oldLegs);
        if (c.pstn != null) {
            all.add(c.pstn);
        }
        for (PstnLeg l : all) {
            if (!l.released) {
                l.released = true;
                calls.unbindLeg(l.pri);
                calls.table().free(l.channel, l);
                ops.ended(l);
            }
        }
        c.mediaDone = true;
        finish(c);
    }

    private void finish(Call c) {
        c.transition(CallState.RELEASED);
        if (c.guardTimer != null) {
            c.guardTimer.cancel();
        }
        if (c.sip != null) {
            calls.unbindSip(c);
        }
        calls.remove(c);
        cdr.emit(c);
        calls.checkDrained();
    }
}
