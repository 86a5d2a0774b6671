package org.tandem.gateway.call;

import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.interwork.CallingIdentity;
import org.tandem.gateway.interwork.IdentityMapper;
import org.tandem.gateway.interwork.NumberingPlan;
import org.tandem.gateway.interwork.Presentation;
import org.tandem.gateway.interwork.Reason;
import org.tandem.gateway.interwork.Screening;
import org.tandem.gateway.interwork.TypeOfNumber;
import org.tandem.gateway.ops.CallDirection;
import org.tandem.gateway.sdp.Direction;
import org.tandem.gateway.sdp.MediaPolicy;
import org.tandem.gateway.sdp.Negotiation;
import org.tandem.gateway.sdp.OfferAnswer;
import org.tandem.gateway.sdp.SdpOrigin;
import org.tandem.gateway.sdp.SessionDescription;
import org.tandem.gateway.sip.CallHandle;
import org.tandem.gateway.sip.OutboundInvite;
import org.tandem.gateway.sip.ReferTarget;
import org.tandem.gateway.sip.SipEvent;
import org.tandem.gateway.sip.SipSide;
import org.tandem.gateway.sip.SipTrunk;

/**
 * Blind transfer of a call's SIP leg (RFC 3515 REFER, the SIP peer being the transferor): the
 * gateway, as a B2BUA, calls the Refer-To target with a new INVITE and, once it answers, points the
 * running media session (same RTP port, same B-channel, same codec) at the new peer and drops the
 * transferor's dialog; the PSTN leg never notices. The transferor hears how it went through the
 * REFER's NOTIFYs (100 Trying, then the new INVITE's final status).
 *
 * <p>The trust rule: a target is called only when its host and port are those of a configured
 * {@code [trunk]} (the INVITE then goes through that trunk, with its credentials and cause map),
 * as a PSTN -> SIP call would; anything else is refused with 403 and the call goes on. A REFER
 * must not turn the gateway into a relay towards hosts nobody configured (toll fraud, RFC 3515 5).
 *
 * <p>While the new INVITE runs the call stays on the transferor's leg. A failure (refusal, no
 * answer within the ringing limit, an unusable SDP answer) is told to the transferor and changes
 * nothing; if the transferor has already hung up (common in blind transfer), the call is released
 * instead. Runs on the {@link CallControlAgent} thread.
 */
final class CallTransfer {
    private static final Logger LOG = LoggerFactory.getLogger(CallTransfer.class);

    /** One transfer in progress: the transferor's leg, the new INVITE and what it offered. */
    static final class Pending {
        final CallHandle transferor;
        final CallHandle target;
        final SipTrunk trunk;
        final String peer;
        final SessionDescription offer;
        final SdpOrigin origin;
        final MediaPolicy policy;
        boolean transferorGone;
        CallControlAgent.Timer ringTimer;

        Pending(CallHandle transferor, CallHandle target, SipTrunk trunk, String peer, SessionDescription offer,
                SdpOrigin origin, MediaPolicy policy) {
            this.transferor = transferor;
            this.target = target;
            this.trunk = trunk;
            this.peer = peer;
            this.offer = offer;
            this.origin = origin;
            this.policy = policy;
        }
    }

    private final CallRegistry calls;
    private final ActiveConfig config;
    private final CallControl.Settings settings;
    private final OpsModelReporter ops;
    private final CallRelease release;

    CallTransfer(CallRegistry calls, ActiveConfig config, CallControl.Settings settings, OpsModelReporter ops,
            CallRelease release) {
        this.calls = calls;
        this.config = config;
        this.settings = settings;
        this.ops = ops;
        this.release = release;
    }

    /** A REFER in the call's dialog: refuse it (403) or accept it and call the target. */
    void onTransferRequested(Call c, SipEvent.TransferRequested t) {
        SipSide sip = calls.sip();
        String refusal = refusal(c, t);
        if (refusal != null) {
            LOG.info("call {}: REFER to {} refused with 403: {}", c.id, t.referTo(), refusal);
            sip.rejectRefer(t.call(), 403);
            return;
        }
        ReferTarget target = t.target();
        SipTrunk trunk = config.trunkAt(target.host(), target.port());
        SdpOrigin origin = SdpOrigin.create(settings.localAddress());
        // The running media session keeps its codec: offer only that law (and telephone-event).
        MediaPolicy p = c.policy;
        MediaPolicy policy = CallMedia.runningPolicy(p, c.negotiated.codec(),
                CallSrtp.outgoing(config.config().trunks().get(trunk.name())));
        SessionDescription offer = OfferAnswer.offer(policy, origin, Direction.SENDRECV);
        sip.acceptRefer(t.call());
        OutboundInvite invite = OutboundInvite.toTrunk(trunk, target.user(),
                IdentityMapper.toSip(pstnParty(c), true), offer);
        if (target.replaces() != null) {
            invite = invite.withReplaces(target.replaces()); // the REFER named the target's dialog
        }
        CallHandle h = sip.invite(invite);
        String peer = trunk.name() + " " + trunk.host() + ":" + trunk.port();
        Pending pending = new Pending(c.sip, h, trunk, peer, offer, origin, policy);
        c.transfer = pending;
        calls.bindSipHandle(h, c);
        if (settings.noAnswerMs() > 0) {
            pending.ringTimer = calls.agent().schedule(settings.noAnswerMs(), () -> noAnswer(c, pending));
        }
        LOG.info("call {}: REFER from {} accepted: calling {} via {} ({})", c.id, c.sipPeer, target.user(), peer,
                h.callId());
    }

    /** Why this REFER is not followed, or null when it is. */
    private String refusal(Call c, SipEvent.TransferRequested t) {
        if (c.state() != CallState.CONNECTED || c.sip == null || c.sip.id() != t.call().id()) {
            return "the call is not established on this leg";
        }
        if (c.transfer != null) {
            return "a transfer of this call is already running";
        }
        if (c.media == null || c.negotiated == null || c.policy == null || c.pstn == null) {
            return "the call has no media session to move";
        }
        ReferTarget target = t.target();
        if (target.user() == null) {
            return "Refer-To names no user (number) to call";
        }
        if (config.trunkAt(target.host(), target.port()) == null) {
            return target.host() + ":" + target.port() + " is not a configured trunk";
        }
        return null;
    }

    /**
     * The party the transfer target talks to: the PSTN end of the call (the called number of a
     * SIP -> PSTN call, the rewritten caller of a PSTN -> SIP one).
     */
    private static CallingIdentity pstnParty(Call c) {
        if (c.direction == CallDirection.PSTN_TO_SIP) {
            return CallingIdentityRewrite.rewrittenCalling(c);
        }
        return new CallingIdentity(c.calledOut, null, TypeOfNumber.UNKNOWN, NumberingPlan.ISDN_E164,
                Presentation.ALLOWED, Screening.NETWORK_PROVIDED);
    }

    /**
     * Events of a call with a transfer running: the new INVITE's outcome, and the transferor's
     * BYE (the transfer goes on). True when handled here.
     */
    boolean onSipEvent(Call c, SipEvent event) {
        Pending p = c.transfer;
        if (p == null) {
            return false;
        }
        long id = event.call().id();
        if (id == p.transferor.id() && event instanceof SipEvent.RemoteHangup) {
            // RFC 3515 2.4.5 lets the transferor go once it has the 202: the transfer carries on.
            p.transferorGone = true;
            calls.unbindSipHandle(p.transferor);
            LOG.info("call {}: transferor hung up; transfer to {} goes on", c.id, p.peer);
            return true;
        }
        if (id != p.target.id()) {
            return false;
        }
        if (event instanceof SipEvent.Answered a) {
            answered(c, p, a.answer());
        } else if (event instanceof SipEvent.Rejected r) {
            failed(c, p, r.status(), "refused with " + r.status());
        } else if (event instanceof SipEvent.TransactionTimeout) {
            failed(c, p, 408, "no response");
        } else if (event instanceof SipEvent.Provisional) {
            LOG.debug("call {}: transfer target {} is ringing", c.id, p.peer);
        } else {
            return false;
        }
        return true;
    }

    private void answered(Call c, Pending p, SessionDescription answer) {
        SipSide sip = calls.sip();
        Negotiation n = answer == null ? new Negotiation.NotAcceptable("no SDP answer in the 200")
                : OfferAnswer.acceptAnswer(p.offer, answer, p.policy);
        if (!(n instanceof Negotiation.Agreed a) || a.media().payloadType() != c.negotiated.payloadType()) {
            String why = n instanceof Negotiation.NotAcceptable x ? x.reason() : "another codec";
            LOG.info("call {}: transfer target {} answered with unusable media ({}): BYE", c.id, p.peer, why);
            calls.unbindSipHandle(p.target);
            sip.hangup(p.target, null);
            end(c, p, 488, why);
            return;
        }
        cancelTimer(p);
        c.transfer = null;
        if (!p.transferorGone) {
            sip.notifyRefer(p.transferor, 200);
            sip.hangup(p.transferor, null);
            calls.unbindSipHandle(p.transferor);
        }
        // The same media session, RTP port and B-channel: only the far end of RTP changes.
        c.media.updateRemote(new InetSocketAddress(a.media().remoteAddress(), a.media().remotePort()));
        if (a.media().srtpChangedFrom(c.negotiated)) {
            c.media.rekey(a.media().srtp());
        }
        c.media.setDirection(CallMedia.mediaDirection(a.media().direction()));
        c.sip = p.target;
        c.sipDone = false;
        c.trunk = p.trunk.name();
        c.causes = config.causesFor(c.trunk, c.group);
        c.sipPeer = p.peer;
        c.localSdp = p.offer;
        c.origin = p.origin;
        c.policy = p.policy;
        c.negotiated = a.media();
        ops.updated(c);
        LOG.info("call {}: transferred to {} ({})", c.id, p.peer, p.target.callId());
    }

    private void failed(Call c, Pending p, int status, String why) {
        calls.unbindSipHandle(p.target);
        end(c, p, status, why);
    }

    /** The ringing limit ran out: CANCEL the new INVITE, the transfer failed (487). */
    private void noAnswer(Call c, Pending p) {
        if (c.transfer != p) {
            return;
        }
        calls.unbindSipHandle(p.target);
        calls.sip().hangup(p.target, null);
        end(c, p, 487, "no answer in " + settings.noAnswerMs() + " ms");
    }

    /** A failed transfer: the transferor is told and keeps the call, or, gone, the call ends. */
    private void end(Call c, Pending p, int status, String why) {
        cancelTimer(p);
        c.transfer = null;
        LOG.info("call {}: transfer to {} failed ({}){}", c.id, p.peer, why,
                p.transferorGone ? "; the transferor is gone: releasing" : "; the call goes on");
        if (p.transferorGone) {
            c.sipDone = true;
            c.sipStatus = c.sipStatus == 0 ? status : c.sipStatus;
            release.startRelease(c, c.causes.toQ850(status), "sip");
        } else {
            calls.sip().notifyRefer(p.transferor, status);
        }
    }

    /**
     * The call is being released while a transfer runs (either side hung up): the new INVITE is
     * cancelled (or its dialog ended) and the transferor told 487. Called by {@link CallRelease}.
     */
    void abandon(Call c, Reason reason) {
        Pending p = c.transfer;
        if (p == null) {
            return;
        }
        cancelTimer(p);
        c.transfer = null;
        calls.unbindSipHandle(p.target);
        SipSide sip = calls.sip();
        sip.hangup(p.target, reason);
        if (!p.transferorGone) {
            sip.notifyRefer(p.transferor, 487);
        }
        LOG.info("call {}: released while transferring to {}; new INVITE cancelled", c.id, p.peer);
    }

    private static void cancelTimer(Pending p) {
        if (p.ringTimer != null) {
            p.ringTimer.cancel();
            p.ringTimer = null;
        }
    }
}
