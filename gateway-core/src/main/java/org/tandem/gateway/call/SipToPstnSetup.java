package org.tandem.gateway.call;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.config.UserConfig;
import org.tandem.config.RouteTarget;
import org.tandem.config.SpanConfig;
import org.tandem.gateway.interwork.CallingIdentity;
import org.tandem.gateway.interwork.IdentityMapper;
import org.tandem.gateway.interwork.Q850Cause;
import org.tandem.gateway.ops.CallDirection;
import org.tandem.gateway.ops.GatewayModel;
import org.tandem.gateway.pstn.PartyNumbers;
import org.tandem.gateway.route.RouteDecision;
import org.tandem.gateway.route.RoutedNumber;
import org.tandem.gateway.sdp.Direction;
import org.tandem.gateway.sdp.Negotiation;
import org.tandem.gateway.sdp.OfferAnswer;
import org.tandem.gateway.sdp.SdpOrigin;
import org.tandem.gateway.sdp.SessionDescription;
import org.tandem.gateway.sip.SipEvent;
import org.tandem.pri.OutgoingCall;
import org.tandem.pri.PartyNumber;
import org.tandem.pri.PriCall;

/**
 * SIP -> PSTN set-up: an INVITE that passed the SIP side's toll-fraud check is routed, gets its
 * RTP ports and SDP answer (or our offer, when the INVITE had none), a B-channel hunted in the
 * target group and a PRI SETUP; a channel lost to glare or refused by the network is re-hunted.
 * The network's CALL PROCEEDING / ALERTING / PROGRESS / CONNECT become SIP 180, 183 with early
 * media, and 200; the ACK brings the answer to an offerless INVITE.
 *
 * <p>Runs on the {@link CallControlAgent} thread. Failures go to {@link CallRelease}; media to
 * {@link CallMedia}.
 */
final class SipToPstnSetup {
    private static final Logger LOG = LoggerFactory.getLogger(SipToPstnSetup.class);

    private final CallRegistry calls;
    private final ActiveConfig config;
    private final CallControl.Settings settings;
    private final GatewayModel model;
    private final OpsModelReporter ops;
    private final CallRelease release;
    private final CallMedia media;
    private final NoAnswerTimer noAnswer;
    private final RedirectServer redirects;

    SipToPstnSetup(CallRegistry calls, ActiveConfig config, CallControl.Settings settings, GatewayModel model,
            OpsModelReporter ops, CallRelease release, CallMedia media, NoAnswerTimer noAnswer) {
        this.calls = calls;
        this.config = config;
        this.settings = settings;
        this.model = model;
        this.ops = ops;
        this.release = release;
        this.media = media;
        this.noAnswer = noAnswer;
        this.redirects = new RedirectServer(calls, release);
    }

    /** Redirect-server mode ({@code [route] redirect}): the registrar's contacts. */
    RedirectServer redirects() {
        return redirects;
    }

    /** SIP -> PSTN: an INVITE passed the SIP side's toll-fraud check. */
    void onSipIncoming(SipEvent.IncomingCall e) {
        Call c = calls.newCall(CallDirection.SIP_TO_PSTN);
        c.sip = e.call();
        calls.bindSip(c);
        c.sipPeer = (e.trunk() != null ? e.trunk() + " " : "") + hostPort(e.source());
        c.calledIn = e.calledUser() == null ? "" : e.calledUser();
        CallingIdentity calling = e.trunk() == null && e.authenticatedUser() != null
                ? IdentityMapper.forAuthenticatedUser(e.identity(), numbersOf(e.authenticatedUser()))
                : IdentityMapper.toPstn(e.identity(), e.trunk() != null);
        c.pstnCalling = calling;
        c.callingIn = IdentityMapper.sipUser(calling);
        c.trunk = e.trunk();
        c.user = e.trunk() == null && e.authenticatedUser() != null ? e.authenticatedUser() : "";
        c.causes = config.causesFor(e.trunk(), null);
        c.redirection = CallRedirection.fromSip(config, c.id, e);
        ops.attempt(c);
        if (calls.isDraining() || calls.refusingNewCalls()) {
            c.rejectStatus = 503; // a drain that began while the SIP side let this INVITE through
            release.startRelease(c, calls.isDraining() ? calls.drainCause() : Q850Cause.TEMPORARY_FAILURE, "gateway");
            return;
        }
        if (e.trunk() == null && e.authenticatedUser() == null) {
            // Toll-fraud protection: the SIP side should never hand us such a call; refuse anyway.
            LOG.warn("call {}: INVITE from {} to {} is neither from a trusted trunk nor authenticated: 403",
                    c.id, hostPort(e.source()), c.calledIn);
            c.rejectStatus = 403;
            release.startRelease(c, Q850Cause.CALL_REJECTED, "gateway");
            return;
        }
        Optional<RouteDecision> d = config.router().sipToPstn(c.calledIn, c.callingIn, e.trunk());
        if (d.isEmpty()) {
            release.startRelease(c, Q850Cause.NO_ROUTE_TO_DESTINATION, "gateway");
            return;
        }
        c.route = d.get();
        c.calledOut = c.route.called().digits();
        c.callingOut = c.route.calling().digits();
        c.transition(CallState.ROUTING);
        if (c.route.redirect() != null) {
            redirects.redirect(c); // redirect-server mode: 302, the call is not carried
            return;
        }
        RouteTarget first = c.route.targets().get(0);
        String group = first.kind() == RouteTarget.Kind.GROUP ? first.name() : null;
        SpanConfig law = group == null ? null : config.firstSpanOf(group);
        if (law == null) {
            LOG.error("call {}: route {} target {} is not a channel group with spans", c.id, c.route.route(), first);
            release.startRelease(c, Q850Cause.NO_ROUTE_TO_DESTINATION, "gateway");
            return;
        }
        if (!media.reserveMedia(c, law)) {
            return;
        }
        c.policy = c.policy.withSrtp(CallSrtp.incoming(e.transport(),
                e.trunk() == null ? null : config.config().trunks().get(e.trunk())));
        c.origin = SdpOrigin.create(settings.localAddress());
        if (e.offer() == null) {
            c.offerless = true;
            c.localSdp = OfferAnswer.offer(c.policy, c.origin, Direction.SENDRECV);
        } else {
            Negotiation n = OfferAnswer.answer(e.offer(), c.policy, c.origin);
            if (n instanceof Negotiation.NotAcceptable na) {
                LOG.info("call {}: SDP offer not acceptable: {}", c.id, na.reason());
                c.rejectStatus = 488;
                release.startRelease(c, Q850Cause.BEARER_CAPABILITY_NOT_IMPLEMENTED, "gateway");
                return;
            }
            Negotiation.Agreed a = (Negotiation.Agreed) n;
            c.localSdp = a.localSdp();
            c.negotiated = a.media();
        }
        placePstn(c);
    }

    /** The numbers a {@code [user NAME]} owns (none for another kind of digest user). */
    private List<String> numbersOf(String user) {
        UserConfig u = config.config().users().get(user);
        return u == null ? List.of() : u.numbers();
    }

    /** SIP -> PSTN: hunt a channel in the current target group and send SETUP. */
    void placePstn(Call c) {
        RouteTarget t = c.route.targets().get(c.targetIndex);
        ChannelTable table = calls.table();
        if (t.kind() != RouteTarget.Kind.GROUP || !table.hasGroup(t.name())) {
            LOG.error("call {}: route {} target {} is not a channel group", c.id, c.route.route(), t);
            release.failOrFailover(c, Q850Cause.NO_ROUTE_TO_DESTINATION, "gateway");
            return;
        }
        ChannelTable.Channel ch = table.seize(t.name(), null);
        if (ch == null) {
            LOG.info("call {}: no usable B-channel in group {}: cause 34", c.id, t.name());
            model.counters().rejectNoChannel();
            model.overload().refused("B-channels of group " + t.name());
            release.failOrFailover(c, Q850Cause.NO_CIRCUIT_AVAILABLE, "gateway");
            return;
        }
        model.overload().admitted("B-channels of group " + t.name());
        c.group = t.name();
        c.causes = config.causesFor(c.trunk, c.group);
        CallRegistry.SpanInfo span = calls.span(ch.span());
        RoutedNumber calledOut = c.route.called();
        PartyNumber called = PartyNumbers.called(calledOut.digits(), calledOut.ton(), calledOut.npi());
        CallingIdentity calling = CallingIdentityRewrite.rewrittenCalling(c);
        PartyNumber callingNumber = PartyNumbers.calling(calling);
        // Overlap sending ([span N] overlap_send_digits): the first digits in the SETUP without
        // Sending Complete, the rest in INFORMATION once the exchange asks (SETUP ACKNOWLEDGE).
        int inSetup = span.config.overlapSendDigits();
        String pending = null;
        PartyNumber first = called;
        if (inSetup > 0 && called.digits().length() > inSetup) {
            pending = called.digits().substring(inSetup);
            first = new PartyNumber(called.digits().substring(0, inSetup), called.ton(), called.npi(),
                    called.presentation());
        }
        OutgoingCall setup = new OutgoingCall(ch.chanpos(), first, callingNumber, calling.displayName(),
                pending == null);
        if (c.redirection != null) {
            setup = setup.withRedirecting(PartyNumbers.redirecting(c.redirection));
        }
        PriCall pri = span.pri.setup(setup);
        PstnLeg leg = new PstnLeg(c, ch, pri);
        leg.overlapDigits = pending;
        table.occupy(ch, leg);
        calls.bindLeg(leg);
        c.pstn = leg;
        c.transition(CallState.SEIZING);
        ops.started(c);
        // DEBUG: the call's one INFO line, at its end, repeats all this (CdrEmitter.endedLine).
        LOG.debug("call {}: {} -> {} on {} ({} from {})", c.id, c.callingIn, called.digits(), ch,
                c.sip.callId(), c.sipPeer);
    }

    /**
     * SETUP ACKNOWLEDGE to our overlap SETUP: the digits held back go out in INFORMATION (Q.931
     * 5.1.3). A SETUP ACKNOWLEDGE to an en-bloc SETUP needs nothing.
     */
    void onPstnSetupAcknowledged(PstnLeg leg) {
        if (leg == null || leg.released || leg.overlapDigits == null || !leg.call.isLive()) {
            return;
        }
        String digits = leg.overlapDigits;
        leg.overlapDigits = null;
        LOG.info("call {}: SETUP ACKNOWLEDGE: sending {} more digit(s) in INFORMATION", leg.call.id, digits.length());
        leg.pri.sendDigits(digits);
    }

    /**
     * The network refused or took the call's channel before anything reached the SIP caller:
     * re-hunts in the same group when the cause and the retry budget allow it.
     *
     * @param setupFailed the SETUP could not be sent (D-channel down or span in alarm since the hunt)
     * @return true when the call re-hunted; false leaves failover or release to the caller
     */
    boolean rehuntIfRefused(Call c, PstnLeg leg, int cause, boolean setupFailed) {
        if (c.state().isEarly() && !c.earlyMediaSent && c.glareRetries < settings.maxGlareRetries()
                && (cause == PstnLeg.CAUSE_CHANNEL_UNAVAILABLE || leg.displaced || setupFailed)) {
            // Our channel was taken (glare, or the network refused it), or its span failed between
            // the hunt and the SETUP: hunt again in the same group (other spans, other channels).
            c.glareRetries++;
            c.oldLegs.add(leg);
            c.pstn = null;
            leg.hangup(cause);
            c.transition(CallState.ROUTING);
            LOG.info("call {}: channel {} refused with cause {}, re-hunting (attempt {})", c.id, leg.channel,
                    cause, c.glareRetries);
            placePstn(c);
            return true;
        }
        return false;
    }

    /** PROCEEDING / ALERTING / PROGRESS from the network on a SIP -> PSTN call. */
    void onPstnProgress(PstnLeg leg, CallState next, boolean inband, boolean alerting) {
        if (leg == null || leg != leg.call.pstn || !leg.call.isLive()) {
            return;
        }
        Call c = leg.call;
        if (c.direction != CallDirection.SIP_TO_PSTN) {
            return;
        }
        if (c.state() == CallState.SEIZING || c.state() == CallState.PROCEEDING) {
            c.transition(next);
        }
        if (inband && !c.offerless) {
            // RFC 3398 7.2.5 / Q.931 progress indicator #8: tones or announcements are on the
            // B-channel, so the SIP caller must hear them: 183 with SDP and the media attached now.
            if (!c.earlyMediaSent) {
                if (media.attachMedia(c)) {
                    c.earlyMediaSent = true;
                    c.transition(CallState.ALERTING);
                    calls.sip().progress(c.sip, 183, c.localSdp);
                }
            }
        } else if (alerting && !c.ringingSent && !c.earlyMediaSent) {
            c.ringingSent = true;
            calls.sip().progress(c.sip, 180, null);
        }
        if (alerting || c.earlyMediaSent) {
            noAnswer.arm(c);
        }
    }

    void onPstnAnswered(PstnLeg leg) {
        if (leg == null || leg != leg.call.pstn || !leg.call.isLive()) {
            return;
        }
        Call c = leg.call;
        if (c.direction != CallDirection.SIP_TO_PSTN) {
            return;
        }
        leg.connected = true;
        if (!c.offerless && !media.attachMedia(c)) {
            return;
        }
        c.transition(CallState.CONNECTED);
        NoAnswerTimer.cancel(c);
        c.answerMillis = calls.nowMillis();
        c.sipAnswered = true;
        c.sipStatus = 200;
        calls.sip().answer(c.sip, c.localSdp);
        media.checkSilentSinceEarlyMedia(c);
        ops.updated(c);
        LOG.debug("call {}: answered on {}", c.id, leg.channel);
    }

    /** The ACK of our 200 to an offerless INVITE carries the SIP caller's answer: attach the media. */
    void onSipAcked(Call c, SessionDescription answer) {
        if (!c.offerless || c.media != null || !c.isLive()) {
            return;
        }
        Negotiation n = answer == null ? new Negotiation.NotAcceptable("ACK carried no SDP answer")
                : OfferAnswer.acceptAnswer(c.localSdp, answer, c.policy);
        if (n instanceof Negotiation.Agreed a) {
            c.negotiated = a.media();
            media.attachMedia(c);
        } else {
            LOG.info("call {}: answer in ACK not usable ({}); releasing", c.id,
                    ((Negotiation.NotAcceptable) n).reason());
            release.startRelease(c, Q850Cause.BEARER_CAPABILITY_NOT_IMPLEMENTED, "gateway");
        }
    }

    private static String hostPort(InetSocketAddress a) {
        return a == null ? "" : a.getAddress() != null ? a.getAddress().getHostAddress() + ":" + a.getPort()
                : a.getHostString() + ":" + a.getPort();
    }
}
