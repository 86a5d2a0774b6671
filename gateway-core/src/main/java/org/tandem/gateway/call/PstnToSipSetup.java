package org.tandem.gateway.call;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.config.ChannelGroupConfig;
import org.tandem.config.RouteTarget;
import org.tandem.gateway.interwork.CallingIdentity;
import org.tandem.gateway.interwork.IdentityMapper;
import org.tandem.gateway.interwork.Q850Cause;
import org.tandem.gateway.interwork.Reason;
import org.tandem.gateway.interwork.SipIdentity;
import org.tandem.gateway.interwork.TypeOfNumber;
import org.tandem.gateway.ops.CallDirection;
import org.tandem.gateway.pstn.PartyNumbers;
import org.tandem.gateway.route.RouteDecision;
import org.tandem.gateway.route.RoutedNumber;
import org.tandem.gateway.route.SipUri;
import org.tandem.gateway.sdp.Direction;
import org.tandem.gateway.sdp.NegotiatedMedia;
import org.tandem.gateway.sdp.Negotiation;
import org.tandem.gateway.sdp.OfferAnswer;
import org.tandem.gateway.sdp.SdpOrigin;
import org.tandem.gateway.sdp.SessionDescription;
import org.tandem.gateway.sdp.SrtpPolicy;
import org.tandem.gateway.sip.OutboundInvite;
import org.tandem.gateway.sip.SipTrunk;
import org.tandem.pri.PriEvent;

/**
 * PSTN -> SIP set-up: a SETUP from the network takes its B-channel (yielding it on glare, as CPE
 * must), collects more digits when overlap receiving applies, is routed to a SIP trunk or URI (or
 * to a registered user's contacts, which {@link UserFork} rings) and
 * placed as an INVITE with the rewritten calling identity and our offer. The SIP peer's 180/183
 * (with early media), 200 and final refusal become PRI ALERTING/PROGRESS, CONNECT and a cause
 * (failover to the route's next target when it allows).
 *
 * <p>Runs on the {@link CallControlAgent} thread. Failures go to {@link CallRelease}; media to
 * {@link CallMedia}.
 */
final class PstnToSipSetup {
    private static final Logger LOG = LoggerFactory.getLogger(PstnToSipSetup.class);

    private final CallRegistry calls;
    private final ActiveConfig config;
    private final CallControl.Settings settings;
    private final OpsModelReporter ops;
    private final CallRelease release;
    private final CallMedia media;
    private final NoAnswerTimer noAnswer;
    private final UserFork users;

    PstnToSipSetup(CallRegistry calls, ActiveConfig config, CallControl.Settings settings, OpsModelReporter ops,
            CallRelease release, CallMedia media, NoAnswerTimer noAnswer, UserFork users) {
        this.calls = calls;
        this.config = config;
        this.settings = settings;
        this.ops = ops;
        this.release = release;
        this.media = media;
        this.noAnswer = noAnswer;
        this.users = users;
    }

    void onPstnIncoming(int spanNumber, PriEvent.IncomingCall ic) {
        Call c = calls.newCall(CallDirection.PSTN_TO_SIP);
        ops.attempt(c);
        c.calledIn = ic.called().digits();
        c.callingIn = ic.calling().digits();
        c.pstnCalling = PartyNumbers.callingIdentity(ic.calling(), ic.callingName());
        c.redirection = PartyNumbers.redirection(ic.redirecting());
        c.sipDone = true; // no SIP leg yet
        ChannelTable table = calls.table();
        ChannelTable.Channel ch = table.channel(spanNumber, ic.channel());
        if (ch == null) {
            LOG.warn("call {}: SETUP on span {} channel {} which is not a configured B-channel: cause 82", c.id,
                    spanNumber, ic.channel());
            ic.call().hangup(PstnLeg.CAUSE_CHANNEL_NOT_EXIST);
            release.startRelease(c, PstnLeg.CAUSE_CHANNEL_NOT_EXIST, "gateway");
            return;
        }
        Object holder = ch.occupant();
        if (holder instanceof PstnLeg mine && mine.call.direction == CallDirection.SIP_TO_PSTN && !mine.released) {
            // Glare (Q.931 5.7): our SETUP and the network's crossed on this channel. The network
            // chooses channels; as CPE we yield: our call leaves the channel (cause 44) and re-hunts.
            LOG.info("glare on {}: network SETUP for call {} takes the channel; call {} re-hunts", ch, c.id,
                    mine.call.id);
            // Our SETUP is still queued in the engine: it will fail with 44 on the now busy
            // channel, and the call re-hunts then. (Had libpri already sent it, PriSpan would have
            // yielded it, reported released with 44 before this SETUP: the channel is free here.)
            table.free(ch, mine);
            mine.displaced = true;
        }
        PstnLeg leg = new PstnLeg(c, ch, ic.call());
        calls.bindLeg(leg);
        c.pstn = leg;
        c.group = ch.group();
        c.causes = config.causesFor(null, c.group);
        if (!table.occupy(ch, leg)) {
            LOG.warn("call {}: channel {} still shows call {}; taking it for the network's SETUP", c.id, ch,
                    ch.occupant());
            table.free(ch, ch.occupant());
            table.occupy(ch, leg);
        }
        ops.started(c);
        if (calls.isDraining()) {
            release.startRelease(c, calls.drainCause(), "gateway");
            return;
        }
        if (calls.refusingNewCalls()) { // tandem ctl drain: 34, so the exchange hunts another route
            LOG.info("call {}: the gateway is drained by the operator: cause 34", c.id);
            release.startRelease(c, Q850Cause.NO_CIRCUIT_AVAILABLE, "gateway");
            return;
        }
        if (ch.isBlocked() || ch.isOutOfService()) { // the operator's block or ChannelFaults: 44, the exchange picks another
            LOG.info("call {}: channel {} is {}: cause 44", c.id, ch,
                    ch.isBlocked() ? "blocked by the operator" : "out of service after repeated failures");
            release.startRelease(c, PstnLeg.CAUSE_CHANNEL_UNAVAILABLE, "gateway");
            return;
        }
        ChannelGroupConfig g = config.group(c.group);
        if (!ic.complete() && (g.minDigits() == 0 || c.calledIn.length() < g.minDigits())) {
            // Overlap receiving: ask for more digits, route on sending complete (not reported by
            // libpri after SETUP), on reaching min_digits, or after the inter-digit timeout.
            c.transition(CallState.COLLECTING);
            c.overlapDigits = new StringBuilder(c.calledIn);
            leg.needMoreDigits();
            c.digitTimer = calls.agent().schedule(g.interdigitTimeoutMs(), () -> digitsDone(c));
            LOG.info("call {}: overlap receiving on {}, {} digit(s) so far", c.id, ch, c.calledIn.length());
            return;
        }
        routeToSip(c);
    }

    void onPstnDigits(PstnLeg leg, String digits, boolean keypad) {
        if (leg == null || leg.call.state() != CallState.COLLECTING || keypad) {
            return;
        }
        Call c = leg.call;
        c.overlapDigits.append(digits);
        c.calledIn = c.overlapDigits.toString();
        ChannelGroupConfig g = config.group(c.group);
        if (c.digitTimer != null) {
            c.digitTimer.cancel();
        }
        if (g.minDigits() > 0 && c.calledIn.length() >= g.minDigits()) {
            routeToSip(c);
        } else {
            c.digitTimer = calls.agent().schedule(g.interdigitTimeoutMs(), () -> digitsDone(c));
        }
    }

    private void digitsDone(Call c) {
        if (c.state() == CallState.COLLECTING) {
            LOG.debug("call {}: inter-digit timeout with '{}'", c.id, c.calledIn);
            routeToSip(c);
        }
    }

    /** PSTN -> SIP: route, CALL PROCEEDING, build the offer, place the INVITE. */
    private void routeToSip(Call c) {
        if (c.digitTimer != null) {
            c.digitTimer.cancel();
        }
        c.transition(CallState.ROUTING);
        Optional<RouteDecision> d = config.router().pstnToSip(c.calledIn, c.callingIn, c.group);
        if (d.isEmpty()) {
            release.startRelease(c, Q850Cause.NO_ROUTE_TO_DESTINATION, "gateway");
            return;
        }
        c.route = d.get();
        c.calledOut = c.route.called().digits();
        c.callingOut = c.route.calling().digits();
        c.pstn.proceeding(); // stop the network's T303/T310 while SIP works
        if (!media.reserveMedia(c, calls.span(c.pstn.channel.span()).config)) {
            return;
        }
        c.origin = SdpOrigin.create(settings.localAddress());
        c.localSdp = OfferAnswer.offer(c.policy, c.origin, Direction.SENDRECV);
        placeSip(c);
    }

    /** Sends the INVITE to the route's current target (a trunk, a sip: URI or a registered user's contacts). */
    void placeSip(Call c) {
        RouteTarget t = c.route.targets().get(c.targetIndex);
        SipTrunk trunk = null;
        String host;
        int port;
        String transport;
        String calledUser = calledUser(c);
        c.fork = null;
        c.user = "";
        SrtpPolicy srtp = CallSrtp.outgoing(
                t.kind() == RouteTarget.Kind.TRUNK ? config.config().trunks().get(t.name()) : null);
        if (srtp != SrtpPolicy.NONE || c.policy.srtp() != SrtpPolicy.NONE) { // fresh keys for each INVITE
            c.policy = c.policy.withSrtp(srtp);
            c.localSdp = OfferAnswer.offer(c.policy, c.origin, Direction.SENDRECV);
        }
        if (t.isRegisteredUser()) {
            users.place(c, t, calledUser, IdentityMapper.toSip(CallingIdentityRewrite.rewrittenCalling(c), false));
            return;
        }
        if (t.kind() == RouteTarget.Kind.TRUNK) {
            trunk = config.trunk(t.name());
            if (trunk == null) {
                LOG.error("call {}: route {} names unknown trunk {}", c.id, c.route.route(), t.name());
                release.failOrFailover(c, Q850Cause.NO_ROUTE_TO_DESTINATION, "gateway");
                return;
            }
            host = trunk.host();
            port = trunk.port();
            transport = trunk.transport();
        } else if (t.kind() == RouteTarget.Kind.URI) {
            SipUri u = SipUri.parse(t.name());
            if (u == null) {
                LOG.error("call {}: route {} target '{}' is not a sip: URI", c.id, c.route.route(), t.name());
                release.failOrFailover(c, Q850Cause.NO_ROUTE_TO_DESTINATION, "gateway");
                return;
            }
            host = u.host();
            port = u.port();
            transport = u.transport();
            if (u.user() != null) {
                calledUser = u.user();
            }
        } else {
            LOG.error("call {}: route {} sends a PSTN call to {}, which is not a SIP target", c.id, c.route.route(), t);
            release.failOrFailover(c, Q850Cause.NO_ROUTE_TO_DESTINATION, "gateway");
            return;
        }
        String trunkName = trunk == null ? null : trunk.name();
        c.trunk = trunkName;
        c.causes = config.causesFor(trunkName, c.group);
        CallingIdentity id = CallingIdentityRewrite.rewrittenCalling(c);
        SipIdentity identity = IdentityMapper.toSip(id, trunk != null);
        c.sipPeer = (trunkName != null ? trunkName + " " : "") + host + ":" + port;
        c.sip = calls.sip().invite(CallRedirection.toSip(config, c.redirection,
                new OutboundInvite(calledUser, host, port, transport, identity, c.localSdp, trunk)));
        c.sipDone = false;
        calls.bindSip(c);
        c.transition(CallState.SEIZING);
        ops.updated(c);
        // DEBUG: the call's one INFO line, at its end, repeats all this (CdrEmitter.endedLine).
        LOG.debug("call {}: {} -> {} via {} ({})", c.id, c.callingIn, calledUser, c.sipPeer, c.sip.callId());
    }

    private static String calledUser(Call c) {
        RoutedNumber called = c.route.called();
        String n = called.digits();
        if (!n.startsWith("+") && called.ton() == TypeOfNumber.INTERNATIONAL.code()) {
            return "+" + n;
        }
        return n;
    }

    void onSipProvisional(Call c, int status, SessionDescription sdp) {
        if (!c.isLive() || c.direction != CallDirection.PSTN_TO_SIP) {
            return;
        }
        boolean early = false;
        if (sdp != null && c.media == null) {
            Negotiation n = OfferAnswer.acceptAnswer(c.localSdp, sdp, c.policy);
            if (n instanceof Negotiation.Agreed a) {
                c.negotiated = a.media();
                early = media.attachMedia(c);
            }
        }
        if (status == 180 || early) {
            c.transition(CallState.ALERTING);
            noAnswer.arm(c);
            if (status == 180) {
                c.pstn.alerting(early);
            } else {
                c.pstn.progress(true);
            }
        } else {
            c.transition(CallState.PROCEEDING);
        }
    }

    void onSipAnswered(Call c, SessionDescription answer) {
        if (!c.isLive() || c.direction != CallDirection.PSTN_TO_SIP) {
            return;
        }
        if (answer != null) {
            Negotiation n = OfferAnswer.acceptAnswer(c.localSdp, answer, c.policy);
            if (n instanceof Negotiation.Agreed a) {
                NegotiatedMedia previous = c.negotiated;
                c.negotiated = a.media();
                if (c.media != null && a.media().remoteChangedFrom(previous)) {
                    c.media.updateRemote(new InetSocketAddress(a.media().remoteAddress(), a.media().remotePort()));
                }
                if (c.media != null && a.media().srtpChangedFrom(previous)) {
                    c.media.rekey(a.media().srtp()); // the 200's answer differs from the 183's
                }
            } else if (c.negotiated == null) {
                LOG.info("call {}: SDP answer in 200 not usable ({}); releasing", c.id,
                        ((Negotiation.NotAcceptable) n).reason());
                c.sipAnswered = true;
                release.startRelease(c, Q850Cause.BEARER_CAPABILITY_NOT_IMPLEMENTED, "gateway");
                return;
            }
        }
        if (c.negotiated == null || !media.attachMedia(c)) {
            c.sipAnswered = true;
            release.startRelease(c, Q850Cause.BEARER_CAPABILITY_NOT_IMPLEMENTED, "gateway");
            return;
        }
        c.sipAnswered = true;
        c.sipStatus = 200;
        c.answerMillis = calls.nowMillis();
        c.transition(CallState.CONNECTED);
        NoAnswerTimer.cancel(c);
        c.pstn.answer();
        media.checkSilentSinceEarlyMedia(c);
        ops.updated(c);
        LOG.debug("call {}: answered by {}", c.id, c.sipPeer);
    }

    void onSipRejected(Call c, int status, Reason reason) {
        c.sipDone = true;
        c.sipStatus = status;
        calls.unbindSip(c);
        if (!c.isLive()) {
            release.maybeFinish(c);
            return;
        }
        int cause = CallRelease.causeOf(reason, c.causes.toQ850(status));
        LOG.info("call {}: {} refused with {} -> cause {}", c.id, c.sipPeer, status, cause);
        release.failOrFailover(c, cause, "sip");
    }
}
