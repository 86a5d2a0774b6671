package org.tandem.gateway.call;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.media.MediaHandle;
import org.tandem.gateway.sip.CallHandle;
import org.tandem.gateway.sip.SipEvent;
import org.tandem.gateway.sip.SipSide;
import org.tandem.pri.PriCall;
import org.tandem.pri.PriSpan;
import org.tandem.pri.PriSpanConfig;
import org.tandem.pri.SwitchType;

/**
 * Attended transfer between two calls of ours (RFC 3515 REFER whose Refer-To carries an RFC 3891
 * {@code Replaces} naming the other call's dialog): a phone or trunk with two calls through the
 * gateway to PSTN parties X and Y asks us to connect X and Y and to leave both calls. The SIP side
 * has already checked that the Replaces names another confirmed dialog we hold
 * ({@link SipEvent.AttendedTransferRequested}).
 *
 * <p>Both calls must be connected PSTN calls with media and no transfer running (else 403, both
 * calls go on). The REFER gets 202 and NOTIFY 100, then one of two ways:
 * <ul>
 *   <li><b>ISDN explicit call transfer</b> when both B-channels are on the same span, with
 *   libpri's supplementary services on and a EuroISDN switch type ({@link PriSpan#transfer}:
 *   ETSI ECT): the exchange joins X and Y itself and clears both calls towards us, so both
 *   B-channels are free. The first of those clearings is taken as the exchange's success:
 *   NOTIFY 200, then both calls are released (BYE to both SIP legs). If the exchange has done
 *   nothing within {@link #ECT_WAIT_MS} (service not subscribed, refused), the gateway joins them
 *   itself as below.</li>
 *   <li><b>TDM bridge in the gateway</b> otherwise: the two B-channels are connected to each
 *   other in the media engine ({@link MediaHandle#bridge}); once both media agents have switched,
 *   NOTIFY 200 and BYE to both SIP legs. The two calls go on as one PSTN-to-PSTN connection, each
 *   with its B-channel and its CDR; when either PSTN party hangs up, the other call is released
 *   with the same cause. If the switch-over fails, NOTIFY 500 and the calls stay as they were.</li>
 * </ul>
 *
 * <p>Runs on the {@link CallControlAgent} thread. Both calls share one {@link Join}
 * ({@code Call.join}) until the end.
 */
final class AttendedTransfer {
    private static final Logger LOG = LoggerFactory.getLogger(AttendedTransfer.class);
    /** How long the exchange has to act on an explicit call transfer before the gateway bridges. */
    static final long ECT_WAIT_MS = 4_000;

    enum Stage { ECT_REQUESTED, BRIDGING, JOINED }

    /** Two calls being joined or joined: shared by both. */
    static final class Join {
        final Call c1;
        final Call c2;
        /** The REFER's leg, told the outcome; null once told. */
        CallHandle referLeg;
        Stage stage;
        CallControlAgent.Timer ectTimer;

        Join(Call c1, Call c2, CallHandle referLeg) {
            this.c1 = c1;
            this.c2 = c2;
            this.referLeg = referLeg;
        }

        Call other(Call c) {
            return c == c1 ? c2 : c1;
        }
    }

    private final CallRegistry calls;
    private final ActiveConfig config;
    private final OpsModelReporter ops;

    AttendedTransfer(CallRegistry calls, ActiveConfig config, OpsModelReporter ops) {
        this.calls = calls;
        this.config = config;
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
        Join j = new Join(c1, c2, t.call());
        c1.join = j;
        c2.join = j;
        if (ectPossible(c1.pstn.pri, c2.pstn.pri)) {
            j.stage = Stage.ECT_REQUESTED;
            LOG.info("call {}: attended transfer: explicit call transfer of {} and call {}'s {} asked of the exchange",
                    c1.id, c1.pstn.channel, c2.id, c2.pstn.channel);
            c1.pstn.pri.span().transfer(c1.pstn.pri, c2.pstn.pri);
            j.ectTimer = calls.agent().schedule(ECT_WAIT_MS, () -> ectTimedOut(j));
        } else {
            bridge(j);
        }
    }

    /**
     * An INVITE with Replaces naming the SIP leg of one of our calls: the new dialog takes that
     * leg's place (the PSTN leg, B-channel, RTP port and codec stay; RTP goes to the new peer) and
     * the old leg gets a BYE. Only from the old leg's trunk or authenticated user (RFC 3891 6.1
     * leaves authorization to us: no one else may take over a call), only for a connected call
     * with media and no transfer running (else 603), with an offer in the running codec (else 488).
     */
    void onReplacingCall(SipEvent.ReplacingCall rc) {
        SipSide sip = calls.sip();
        SipEvent.IncomingCall ic = rc.invite();
        Call c = calls.bySip(rc.replaced().id());
        if (c == null) {
            sip.reject(rc.call(), 481, null);
            return;
        }
        boolean sameTrunk = c.trunk != null && c.trunk.equals(ic.trunk());
        boolean sameUser = !c.user.isEmpty() && c.user.equals(ic.authenticatedUser());
        if (!sameTrunk && !sameUser) {
            LOG.warn("call {}: INVITE with Replaces from {} (trunk {}, user {}) refused with 403: not the replaced"
                    + " leg's trunk or user", c.id, ic.source(), ic.trunk(), ic.authenticatedUser());
            sip.reject(rc.call(), 403, null);
            return;
        }
        if (c.state() != CallState.CONNECTED || c.sip == null || c.sip.id() != rc.replaced().id() || c.media == null
                || c.negotiated == null || c.transfer != null || c.join != null) {
            LOG.info("call {}: INVITE with Replaces refused with 603: the call is not established or busy", c.id);
            sip.reject(rc.call(), 603, null);
            return;
        }
        // the new dialog's SRTP, as for any INVITE on its transport and trunk (CallSrtp)
        org.tandem.gateway.sdp.SrtpPolicy srtp = CallSrtp.incoming(ic.transport(),
                ic.trunk() == null ? null : config.config().trunks().get(ic.trunk()));
        org.tandem.gateway.sdp.MediaPolicy running = CallMedia.runningPolicy(c.policy, c.negotiated.codec(), srtp);
        org.tandem.gateway.sdp.SdpOrigin origin = c.origin.next();
        org.tandem.gateway.sdp.Negotiation n = ic.offer() == null
                ? new org.tandem.gateway.sdp.Negotiation.NotAcceptable("no SDP offer")
                : org.tandem.gateway.sdp.OfferAnswer.answer(ic.offer(), running, origin);
        if (!(n instanceof org.tandem.gateway.sdp.Negotiation.Agreed a)
                || a.media().payloadType() != c.negotiated.payloadType()) {
            LOG.info("call {}: INVITE with Replaces refused with 488: no offer in the running codec", c.id);
            sip.reject(rc.call(), 488, null);
            return;
        }
        org.tandem.gateway.sdp.NegotiatedMedia previous = c.negotiated;
        CallHandle old = c.sip;
        calls.unbindSip(c);
        sip.answer(rc.call(), a.localSdp());
        sip.hangup(old, null);
        c.sip = rc.call();
        calls.bindSip(c);
        c.origin = origin;
        c.localSdp = a.localSdp();
        c.negotiated = a.media();
        c.policy = c.policy.withSrtp(srtp);
        c.sipPeer = ic.source() == null ? c.sipPeer
                : (ic.trunk() != null ? ic.trunk() + " " : "") + ic.source().getAddress().getHostAddress() + ":"
                        + ic.source().getPort();
        c.media.updateRemote(new java.net.InetSocketAddress(a.media().remoteAddress(), a.media().remotePort()));
        if (a.media().srtpChangedFrom(previous)) {
            c.media.rekey(a.media().srtp()); // the new peer's key (or plain RTP) from now on
        }
        c.media.setDirection(CallMedia.mediaDirection(a.media().direction()));
        ops.updated(c);
        LOG.info("call {}: its SIP leg {} replaced by {} (RFC 3891)", c.id, old, rc.call());
    }

    /** Same span, supplementary services on, a switch type whose ECT libpri speaks and we tested. */
    static boolean ectPossible(PriCall a, PriCall b) {
        if (a.span() != b.span()) {
            return false;
        }
        PriSpanConfig cfg = a.span().config();
        return cfg.supplementaryServices()
                && (cfg.switchType() == SwitchType.EUROISDN_E1 || cfg.switchType() == SwitchType.EUROISDN_T1);
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
            if (c.transfer != null || c.join != null) {
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

    private void ectTimedOut(Join j) {
        j.ectTimer = null;
        if (j.stage != Stage.ECT_REQUESTED || j.c1.join != j || j.c2.join != j) {
            return;
        }
        LOG.info("call {}: the exchange did not act on the explicit call transfer within {} ms: bridging in the gateway",
                j.c1.id, ECT_WAIT_MS);
        bridge(j);
    }

    private void bridge(Join j) {
        j.stage = Stage.BRIDGING;
        LOG.info("call {}: attended transfer: joining its PSTN party {} with call {}'s {} (TDM bridge)", j.c1.id,
                j.c1.pstn.channel, j.c2.id, j.c2.pstn.channel);
        MediaHandle.bridge(j.c1.media, j.c2.media).whenComplete((v, e) -> calls.agent().execute(() -> {
            if (j.c1.join != j || j.c2.join != j) {
                return; // released meanwhile: released() has told the transferor
            }
            if (e != null) {
                failed(j, e);
            } else {
                joined(j);
            }
        }));
    }

    private void joined(Join j) {
        j.stage = Stage.JOINED;
        SipSide sip = calls.sip();
        tell(j, 200);
        for (Call c : new Call[] {j.c1, j.c2}) {
            if (!c.sipDone) {
                calls.unbindSip(c);
                sip.hangup(c.sip, null);
                c.sipDone = true;
            }
            ops.updated(c);
        }
        LOG.info("call {}: joined with call {} (B-channels {} and {} bridged); both SIP legs released", j.c1.id,
                j.c2.id, j.c1.pstn.channel, j.c2.pstn.channel);
    }

    private void failed(Join j, Throwable e) {
        LOG.warn("call {}: attended transfer with call {} failed: {}", j.c1.id, j.c2.id, e.toString());
        j.c1.join = null;
        j.c2.join = null;
        tell(j, 500);
    }

    /** The REFER's last NOTIFY, once. */
    private void tell(Join j, int status) {
        if (j.referLeg != null) {
            calls.sip().notifyRefer(j.referLeg, status);
            j.referLeg = null;
        }
    }

    /**
     * A SIP event of a call being joined: the phone may hang up once it has the 202 (RFC 3515
     * 2.4.5); the joining goes on without that leg. True when handled here.
     */
    boolean onSipEvent(Call c, SipEvent event) {
        Join j = c.join;
        if (j == null || j.stage == Stage.JOINED || !(event instanceof SipEvent.RemoteHangup)
                || event.call().id() != c.sip.id()) {
            return false;
        }
        LOG.info("call {}: the transferor hung up; joining with call {} goes on", c.id, j.other(c).id);
        calls.unbindSip(c);
        c.sipDone = true;
        if (j.referLeg != null && j.referLeg.id() == event.call().id()) {
            j.referLeg = null; // nobody left to NOTIFY
        }
        return true;
    }

    /**
     * {@code c} is being released ({@link CallRelease#startRelease}, before its SIP leg is ended):
     * tells the transferor how it went and returns the other call, to be released too, or null.
     * While an explicit call transfer is asked of the exchange, a clearing from the PSTN side is
     * the exchange having done it: NOTIFY 200.
     */
    Call released(Call c) {
        Join j = c.join;
        if (j == null) {
            return null;
        }
        j.c1.join = null;
        j.c2.join = null;
        if (j.ectTimer != null) {
            j.ectTimer.cancel();
            j.ectTimer = null;
        }
        if (j.stage == Stage.ECT_REQUESTED && "pstn".equals(c.releasedBy)) {
            LOG.info("call {}: the exchange cleared it after the explicit call transfer: transferred", c.id);
            tell(j, 200);
        } else {
            tell(j, 487);
        }
        return j.other(c);
    }
}
