package org.tandem.gateway.call;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.config.CauseMapConfig;
import org.tandem.config.ChannelGroupConfig;
import org.tandem.config.GatewayConfig;
import org.tandem.config.RouteTarget;
import org.tandem.config.SpanConfig;
import org.tandem.config.TrunkConfig;
import org.tandem.gateway.cdr.CallRecord;
import org.tandem.gateway.cdr.Disposition;
import org.tandem.gateway.interwork.CallingIdentity;
import org.tandem.gateway.interwork.CauseMap;
import org.tandem.gateway.interwork.IdentityMapper;
import org.tandem.gateway.interwork.NumberingPlan;
import org.tandem.gateway.interwork.Q850Cause;
import org.tandem.gateway.interwork.Reason;
import org.tandem.gateway.interwork.SipIdentity;
import org.tandem.gateway.interwork.TypeOfNumber;
import org.tandem.gateway.media.MediaDirection;
import org.tandem.gateway.media.MediaHandle;
import org.tandem.gateway.media.MediaListener;
import org.tandem.gateway.media.MediaProxy;
import org.tandem.gateway.media.MediaSessionSpec;
import org.tandem.gateway.media.MediaStats;
import org.tandem.gateway.ops.ActiveCall;
import org.tandem.gateway.ops.CallDirection;
import org.tandem.gateway.ops.ChannelRef;
import org.tandem.gateway.ops.ControlException;
import org.tandem.gateway.ops.GatewayControl;
import org.tandem.gateway.ops.GatewayModel;
import org.tandem.gateway.pstn.PartyNumbers;
import org.tandem.gateway.pstn.PstnSignalling;
import org.tandem.gateway.route.RouteDecision;
import org.tandem.gateway.route.RoutedNumber;
import org.tandem.gateway.route.Router;
import org.tandem.gateway.route.SipUri;
import org.tandem.gateway.route.Trunks;
import org.tandem.gateway.sdp.Direction;
import org.tandem.gateway.sdp.G711;
import org.tandem.gateway.sdp.MediaPolicy;
import org.tandem.gateway.sdp.NegotiatedMedia;
import org.tandem.gateway.sdp.Negotiation;
import org.tandem.gateway.sdp.OfferAnswer;
import org.tandem.gateway.sdp.SdpOrigin;
import org.tandem.gateway.sdp.SessionDescription;
import org.tandem.gateway.sip.CallHandle;
import org.tandem.gateway.sip.OutboundInvite;
import org.tandem.gateway.sip.SipEvent;
import org.tandem.gateway.sip.SipSide;
import org.tandem.gateway.sip.SipTrunk;
import org.tandem.pri.OutgoingCall;
import org.tandem.pri.PartyNumber;
import org.tandem.pri.PriCall;
import org.tandem.pri.PriEvent;
import org.tandem.pri.PriSpan;
import org.tandem.tdm.BChannel;
import org.tandem.tdm.TdmException;
import org.tandem.tdm.SpanAlarms;
import org.tandem.tdm.TdmLaw;
import org.tandem.tdm.TdmSpan;

/**
 * Call control: maps SIP dialogs to PRI calls and back. Every method that touches a call runs on
 * the {@link CallControlAgent} thread: SIP events, PRI events, media completions, console requests
 * and timers all arrive there as messages, so no call state is ever shared. It talks back only
 * through command interfaces that queue and return: {@link SipSide}, {@link PriSpan}/{@link PriCall},
 * {@link MediaProxy}/{@link MediaHandle}, {@link GatewayModel}, and the CDR sink.
 *
 * <p>Every call ends in {@link #finish}: both legs released (SIP final response or BYE/CANCEL sent
 * or received; every PRI leg reported released by libpri), the B-channel back in the channel
 * table, the media detached (RTP ports returned) and one CDR submitted. A guard timer forces the
 * end, with an error naming what was missing, if a leg never confirms. docs/CALLS.md has the
 * decisions (causes, early media, glare, overlap, failover).
 */
public final class CallControl implements GatewayControl, MediaListener {
    private static final Logger LOG = LoggerFactory.getLogger(CallControl.class);
    /** How often the RTP figures of answered calls are refreshed in the ops model (SNMP, console). */
    private static final long STATS_INTERVAL_MS = 5_000;
    /** Our dynamic payload type for telephone-event in offers (RFC 4733). */
    private static final int TELEPHONE_EVENT_PT = 101;
    /** Q.850 44, requested circuit/channel not available: what glare and a refused channel cost. */
    private static final int CAUSE_CHANNEL_UNAVAILABLE = 44;
    /** Q.850 82, identified channel does not exist. */
    private static final int CAUSE_CHANNEL_NOT_EXIST = 82;

    /**
     * Tuning of call control.
     *
     * @param localAddress address in our SDP (the RTP bind address)
     * @param ptimeMs packetisation we ask for ({@code [rtp] ptime})
     * @param releaseGuardMs longest wait for legs to confirm release before the call is forced to end
     * @param maxGlareRetries re-hunts of one call after losing a channel to the network (glare)
     * @param noAnswerMs how long a call may ring (from the first ALERTING/180/183) before the
     *     gateway gives up with cause 19 "no answer from user (user alerted)"; 0 disables
     * @param rtpTimeoutMs the media engine's RTP timeout ({@code MediaConfig.rtpTimeoutMs}, 0 when
     *     off): an answered call whose peer sends no RTP that long is released with cause 102
     */
    public record Settings(String localAddress, int ptimeMs, long releaseGuardMs, int maxGlareRetries,
            long noAnswerMs, long rtpTimeoutMs) {
        /**
         * Default ringing limit: 180 s, the minimum Q.931 gives the network's own T301 (call
         * received, waiting for CONNECT), so the gateway never cuts a call the exchange would still ring.
         */
        public static final long DEFAULT_NO_ANSWER_MS = 180_000;

        public static Settings defaults(String localAddress, int ptimeMs) {
            return new Settings(localAddress, ptimeMs, 40_000, 3, DEFAULT_NO_ANSWER_MS, DEFAULT_RTP_TIMEOUT_MS);
        }

        /** Default RTP timeout, the media engine's ({@code MediaConfig.from}). */
        public static final long DEFAULT_RTP_TIMEOUT_MS = 30_000;

        public Settings withTimers(long noAnswer, long rtpTimeout) {
            return new Settings(localAddress, ptimeMs, releaseGuardMs, maxGlareRetries, noAnswer, rtpTimeout);
        }
    }

    /** What the simulated backend lets an operator do; null with real cards. */
    public interface SimControls {
        /** The exchange originates a call towards the gateway; returns a description. */
        String originate(String from, String to) throws ControlException;

        /** Raises a red alarm on a span, or clears it. */
        void alarm(int span, boolean red) throws ControlException;
    }

    /** The resource name overload is reported under when RTP port pairs run out. */
    private static final String RTP_PORTS = "RTP ports";

    private final CallControlAgent agent;
    private final MediaProxy media;
    private final GatewayModel model;
    private final Consumer<CallRecord> cdr;
    private final LongSupplier clockMillis;
    private final Settings settings;
    private final Supplier<Optional<GatewayConfig>> reloader;
    private final ChannelTable table = new ChannelTable();
    private final Map<Integer, SpanInfo> spans = new LinkedHashMap<>();
    private final Map<Long, Call> sipCalls = new HashMap<>();
    private final Map<PriCall, PstnLeg> legs = new IdentityHashMap<>();
    private final Map<MediaHandle, Call> mediaCalls = new IdentityHashMap<>();
    private final Map<String, Call> calls = new LinkedHashMap<>();
    private volatile SipSide sip;
    private volatile SimControls sim;

    private GatewayConfig config;
    private Router router;
    private Map<String, CauseMap> trunkCauses = Map.of();
    private Map<String, CauseMap> groupCauses = Map.of();
    private Map<String, SipTrunk> trunks = Map.of();
    private long callSequence;
    private boolean draining;
    private int drainCause = Q850Cause.TEMPORARY_FAILURE;
    private CompletableFuture<Void> drained;

    private static final class SpanInfo {
        final SpanConfig config;
        final PriSpan pri;
        final TdmSpan tdm;

        SpanInfo(SpanConfig config, PriSpan pri, TdmSpan tdm) {
            this.config = config;
            this.pri = pri;
            this.tdm = tdm;
        }
    }

    /**
     * @param reloader re-reads and validates the configuration for {@link #reload}; empty when it
     *                 is invalid (the reloader logs why)
     */
    public CallControl(CallControlAgent agent, GatewayConfig config, MediaProxy media, GatewayModel model,
            Consumer<CallRecord> cdr, LongSupplier clockMillis, Settings settings,
            Supplier<Optional<GatewayConfig>> reloader) {
        this.agent = agent;
        this.media = media;
        this.model = model;
        this.cdr = cdr;
        this.clockMillis = clockMillis;
        this.settings = settings;
        this.reloader = reloader;
        applyConfig(config);
        for (ChannelGroupConfig g : config.groups().values()) {
            List<int[]> channels = new ArrayList<>();
            for (SpanConfig s : config.spans()) {
                if (s.group().equals(g.name())) {
                    s.bchannels().stream().forEach(ts -> channels.add(new int[] {s.number(), ts}));
                }
            }
            table.addGroup(g.name(), g.hunting(), channels);
        }
        agent.execute(() -> agent.schedule(STATS_INTERVAL_MS, this::refreshStats));
    }

    /** Asks the media agents for the live figures of answered calls, for the ops model. */
    private void refreshStats() {
        for (Call c : calls.values()) {
            MediaHandle h = c.media;
            if (h != null && c.answerMillis != 0 && c.isLive()) {
                h.stats().whenComplete((st, e) -> {
                    if (st != null) {
                        agent.execute(() -> {
                            if (c.isLive()) {
                                c.liveStats = st;
                                modelUpdated(c);
                            }
                        });
                    }
                });
            }
        }
        agent.schedule(STATS_INTERVAL_MS, this::refreshStats);
    }

    // ------------------------------------------------------------------ wiring (before start)

    /** The executor SIP, PRI and media events must be delivered on. */
    public CallControlAgent agent() {
        return agent;
    }

    public void setSipSide(SipSide sipSide) {
        this.sip = sipSide;
    }

    public void setSimControls(SimControls controls) {
        this.sim = controls;
    }

    /** Registers a started span (its libpri instance and its TDM channels). */
    public void addSpan(SpanConfig span, PriSpan pri, TdmSpan tdm) {
        agent.execute(() -> spans.put(span.number(), new SpanInfo(span, pri, tdm)));
    }

    /** The sink the PRI adapter delivers to (already on the agent thread). */
    public PstnSignalling.Sink priSink() {
        return this::onPriEvent;
    }

    /** The SIP side's event sink; the SIP side runs it on {@link #agent()}, so it handles at once. */
    public Consumer<SipEvent> sipSink() {
        return this::handleSip;
    }

    /** Delivers a SIP event from any thread: queues it to the agent thread. */
    public void onSipEvent(SipEvent event) {
        agent.execute(() -> handleSip(event));
    }

    /** The SIP trunks as the SIP side needs them (outbound targets and trusted sources). */
    public static Map<String, SipTrunk> sipTrunks(GatewayConfig config) {
        Map<String, SipTrunk> out = new LinkedHashMap<>();
        for (TrunkConfig t : config.trunks().values()) {
            out.put(t.name(), Trunks.sipTrunk(t));
        }
        return out;
    }

    private void applyConfig(GatewayConfig c) {
        this.config = c;
        this.router = new Router(c);
        Map<String, CauseMap> tc = new HashMap<>();
        for (TrunkConfig t : c.trunks().values()) {
            if (t.causes() != null) {
                tc.put(t.name(), causeMap(c.causeMaps().get(t.causes())));
            }
        }
        Map<String, CauseMap> gc = new HashMap<>();
        for (ChannelGroupConfig g : c.groups().values()) {
            if (g.causes() != null) {
                gc.put(g.name(), causeMap(c.causeMaps().get(g.causes())));
            }
        }
        this.trunkCauses = tc;
        this.groupCauses = gc;
        this.trunks = sipTrunks(c);
    }

    private static CauseMap causeMap(CauseMapConfig c) {
        return c == null ? CauseMap.rfc3398() : CauseMap.rfc3398().withOverrides(c.q850ToSip(), c.sipToQ850());
    }

    /** Trunk's map for calls of a trunk, else the group's, else RFC 3398 as is. */
    private CauseMap causesFor(String trunk, String group) {
        CauseMap m = trunk == null ? null : trunkCauses.get(trunk);
        if (m == null && group != null) {
            m = groupCauses.get(group);
        }
        return m == null ? CauseMap.rfc3398() : m;
    }

    // ------------------------------------------------------------------ life cycle

    /**
     * Refuses new calls from now on (SIP 503, PRI cause {@code cause}) and releases every call with
     * {@code cause}. Completes when no call is left.
     */
    public CompletableFuture<Void> drain(int cause) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        agent.execute(() -> {
            draining = true;
            drainCause = cause;
            drained = f;
            List<Call> live = new ArrayList<>(calls.values());
            if (!live.isEmpty()) {
                LOG.info("releasing {} call(s) with cause {} ({})", live.size(), cause, Q850Cause.name(cause));
            }
            for (Call c : live) {
                startRelease(c, cause, "gateway");
            }
            checkDrained();
        });
        return f;
    }

    private void checkDrained() {
        if (drained != null && calls.isEmpty()) {
            drained.complete(null);
        }
    }

    /** Calls not yet finished; for tests and the ready/shutdown logs (read on any thread: approximate). */
    public CompletableFuture<Integer> liveCalls() {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        agent.execute(() -> f.complete(calls.size()));
        return f;
    }

    /** Channels with a call on them; 0 when every channel is idle. */
    public CompletableFuture<Integer> busyChannels() {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        agent.execute(() -> f.complete(table.occupiedCount()));
        return f;
    }

    /** True when every span's D-channel is up and in service. */
    public CompletableFuture<Boolean> allSpansUp() {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        agent.execute(() -> {
            boolean up = !spans.isEmpty();
            for (int s : spans.keySet()) {
                up &= table.spanUsable(s);
            }
            f.complete(up);
        });
        return f;
    }

    // ------------------------------------------------------------------ PRI events

    private void onPriEvent(int spanNumber, PriSpan span, PriEvent event) {
        if (event instanceof PriEvent.DChannelUp) {
            table.setDChannelUp(spanNumber, true);
            modelDChannel(spanNumber, true);
            LOG.info("span {}: D-channel up", spanNumber);
        } else if (event instanceof PriEvent.DChannelDown) {
            // Calls survive T309; libpri then releases them with cause 27 (CallReleased).
            table.setDChannelUp(spanNumber, false);
            modelDChannel(spanNumber, false);
            LOG.warn("span {}: D-channel down; no new calls on it", spanNumber);
        } else if (event instanceof PriEvent.SpanAlarm a) {
            table.setInService(spanNumber, a.inService());
            try {
                model.setSpanAlarms(spanNumber, a.alarms());
            } catch (IllegalArgumentException e) {
                LOG.debug("span {} not in the ops model", spanNumber);
            }
            LOG.warn("span {}: alarms {} ({})", spanNumber, SpanAlarms.describe(a.alarms()),
                    a.inService() ? "in service" : "out of service, calls released");
        } else if (event instanceof PriEvent.IncomingCall ic) {
            onPstnIncoming(spanNumber, ic);
        } else if (event instanceof PriEvent.SetupAcknowledged sa) {
            LOG.debug("span {}: SETUP ACK on {}", spanNumber, sa.channel());
        } else if (event instanceof PriEvent.Proceeding p) {
            onPstnProgress(leg(p.call()), CallState.PROCEEDING, p.inbandAvailable(), false);
        } else if (event instanceof PriEvent.Alerting a) {
            onPstnProgress(leg(a.call()), CallState.ALERTING, a.inbandAvailable(), true);
        } else if (event instanceof PriEvent.Progress p) {
            onPstnProgress(leg(p.call()), CallState.ALERTING, p.inbandAvailable(), false);
        } else if (event instanceof PriEvent.Answered a) {
            onPstnAnswered(leg(a.call()));
        } else if (event instanceof PriEvent.DisconnectRequested d) {
            onPstnDisconnect(d.call(), d.cause());
        } else if (event instanceof PriEvent.CallReleased r) {
            onPstnReleased(r.call(), r.cause(), r.reason());
        } else if (event instanceof PriEvent.ChannelRestarted r) {
            LOG.debug("span {}: channel {} restarted by the far end", spanNumber, r.channel());
        } else if (event instanceof PriEvent.RestartAcknowledged r) {
            LOG.debug("span {}: RESTART of channel {} acknowledged", spanNumber, r.channel());
        } else if (event instanceof PriEvent.DigitsReceived dr) {
            onPstnDigits(leg(dr.call()), dr.digits(), dr.keypad());
        }
    }

    private PstnLeg leg(PriCall call) {
        return legs.get(call);
    }

    private void modelDChannel(int span, boolean up) {
        try {
            model.setDChannelUp(span, up);
        } catch (IllegalArgumentException e) {
            LOG.debug("span {} not in the ops model", span);
        }
    }

    private void onPstnIncoming(int spanNumber, PriEvent.IncomingCall ic) {
        Call c = newCall(CallDirection.PSTN_TO_SIP);
        c.calledIn = ic.called().digits();
        c.callingIn = ic.calling().digits();
        c.pstnCalling = PartyNumbers.callingIdentity(ic.calling(), ic.callingName());
        c.sipDone = true; // no SIP leg yet
        ChannelTable.Channel ch = table.channel(spanNumber, ic.channel());
        if (ch == null) {
            LOG.warn("call {}: SETUP on span {} channel {} which is not a configured B-channel: cause 82", c.id,
                    spanNumber, ic.channel());
            ic.call().hangup(CAUSE_CHANNEL_NOT_EXIST);
            startRelease(c, CAUSE_CHANNEL_NOT_EXIST, "gateway");
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
        legs.put(ic.call(), leg);
        c.pstn = leg;
        c.group = ch.group();
        c.causes = causesFor(null, c.group);
        if (!table.occupy(ch, leg)) {
            LOG.warn("call {}: channel {} still shows call {}; taking it for the network's SETUP", c.id, ch,
                    ch.occupant());
            table.free(ch, ch.occupant());
            table.occupy(ch, leg);
        }
        modelStarted(c);
        if (draining) {
            startRelease(c, drainCause, "gateway");
            return;
        }
        if (ch.isBlocked()) {
            LOG.info("call {}: channel {} is blocked by the operator: cause 44", c.id, ch);
            startRelease(c, CAUSE_CHANNEL_UNAVAILABLE, "gateway");
            return;
        }
        ChannelGroupConfig g = config.groups().get(c.group);
        if (!ic.complete() && (g.minDigits() == 0 || c.calledIn.length() < g.minDigits())) {
            // Overlap receiving: ask for more digits, route on sending complete (not reported by
            // libpri after SETUP), on reaching min_digits, or after the inter-digit timeout.
            c.transition(CallState.COLLECTING);
            c.overlapDigits = new StringBuilder(c.calledIn);
            leg.needMoreDigits();
            c.digitTimer = agent.schedule(g.interdigitTimeoutMs(), () -> digitsDone(c));
            LOG.info("call {}: overlap receiving on {}, {} digit(s) so far", c.id, ch, c.calledIn.length());
            return;
        }
        routeToSip(c);
    }

    private void onPstnDigits(PstnLeg leg, String digits, boolean keypad) {
        if (leg == null || leg.call.state() != CallState.COLLECTING || keypad) {
            return;
        }
        Call c = leg.call;
        c.overlapDigits.append(digits);
        c.calledIn = c.overlapDigits.toString();
        ChannelGroupConfig g = config.groups().get(c.group);
        if (c.digitTimer != null) {
            c.digitTimer.cancel();
        }
        if (g.minDigits() > 0 && c.calledIn.length() >= g.minDigits()) {
            routeToSip(c);
        } else {
            c.digitTimer = agent.schedule(g.interdigitTimeoutMs(), () -> digitsDone(c));
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
        Optional<RouteDecision> d = router.pstnToSip(c.calledIn, c.callingIn, c.group);
        if (d.isEmpty()) {
            startRelease(c, Q850Cause.NO_ROUTE_TO_DESTINATION, "gateway");
            return;
        }
        c.route = d.get();
        c.calledOut = c.route.called().digits();
        c.callingOut = c.route.calling().digits();
        c.pstn.proceeding(); // stop the network's T303/T310 while SIP works
        if (!reserveMedia(c, spans.get(c.pstn.channel.span()).config)) {
            return;
        }
        c.origin = SdpOrigin.create(settings.localAddress());
        c.localSdp = OfferAnswer.offer(c.policy, c.origin, Direction.SENDRECV);
        placeSip(c);
    }

    private void placeSip(Call c) {
        RouteTarget t = c.route.targets().get(c.targetIndex);
        SipTrunk trunk = null;
        String host;
        int port;
        String transport;
        String calledUser = calledUser(c);
        if (t.kind() == RouteTarget.Kind.TRUNK) {
            trunk = trunks.get(t.name());
            if (trunk == null) {
                LOG.error("call {}: route {} names unknown trunk {}", c.id, c.route.route(), t.name());
                failOrFailover(c, Q850Cause.NO_ROUTE_TO_DESTINATION, "gateway");
                return;
            }
            host = trunk.host();
            port = trunk.port();
            transport = trunk.transport();
        } else if (t.kind() == RouteTarget.Kind.URI) {
            SipUri u = SipUri.parse(t.name());
            if (u == null) {
                LOG.error("call {}: route {} target '{}' is not a sip: URI", c.id, c.route.route(), t.name());
                failOrFailover(c, Q850Cause.NO_ROUTE_TO_DESTINATION, "gateway");
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
            failOrFailover(c, Q850Cause.NO_ROUTE_TO_DESTINATION, "gateway");
            return;
        }
        String trunkName = trunk == null ? null : trunk.name();
        c.trunk = trunkName;
        c.causes = causesFor(trunkName, c.group);
        CallingIdentity id = rewrittenCalling(c);
        SipIdentity identity = IdentityMapper.toSip(id, trunk != null);
        c.sipPeer = (trunkName != null ? trunkName + " " : "") + host + ":" + port;
        c.sip = sip.invite(new OutboundInvite(calledUser, host, port, transport, identity, c.localSdp, trunk));
        c.sipDone = false;
        sipCalls.put(c.sip.id(), c);
        c.transition(CallState.SEIZING);
        modelUpdated(c);
        LOG.info("call {}: {} -> {} via {} ({})", c.id, c.callingIn, calledUser, c.sipPeer, c.sip.callId());
    }

    /** The calling identity of a PSTN call after the route's rewrite. */
    private CallingIdentity rewrittenCalling(Call c) {
        CallingIdentity received = c.pstnCalling != null ? c.pstnCalling : CallingIdentity.unavailable();
        if (received.number().isEmpty() && c.callingOut.isEmpty()) {
            return received;
        }
        RoutedNumber r = c.route.calling();
        String number = r.digits();
        TypeOfNumber ton = received.typeOfNumber();
        if (number.startsWith("+")) {
            number = number.substring(1);
            ton = TypeOfNumber.INTERNATIONAL;
        }
        if (r.ton() >= 0) {
            ton = TypeOfNumber.fromCode(r.ton());
        }
        NumberingPlan npi = r.npi() >= 0 ? NumberingPlan.fromCode(r.npi()) : received.numberingPlan();
        return received.withNumber(number, ton, npi);
    }

    private static String calledUser(Call c) {
        RoutedNumber called = c.route.called();
        String n = called.digits();
        if (!n.startsWith("+") && called.ton() == TypeOfNumber.INTERNATIONAL.code()) {
            return "+" + n;
        }
        return n;
    }

    /** PROCEEDING / ALERTING / PROGRESS from the network on a SIP -> PSTN call. */
    private void onPstnProgress(PstnLeg leg, CallState next, boolean inband, boolean alerting) {
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
                if (attachMedia(c)) {
                    c.earlyMediaSent = true;
                    c.transition(CallState.ALERTING);
                    sip.progress(c.sip, 183, c.localSdp);
                }
            }
        } else if (alerting && !c.ringingSent && !c.earlyMediaSent) {
            c.ringingSent = true;
            sip.progress(c.sip, 180, null);
        }
        if (alerting || c.earlyMediaSent) {
            armNoAnswer(c);
        }
    }

    /**
     * Starts the ringing limit once the called user is being alerted (either direction). On expiry
     * the call is released with cause 19 (Q.850 "no answer from user (user alerted)"): RFC 3398
     * maps it to 480 for an inbound INVITE; an outbound INVITE is CANCELled with that Reason, and
     * the PRI leg gets DISCONNECT 19.
     */
    private void armNoAnswer(Call c) {
        if (settings.noAnswerMs() <= 0 || c.noAnswerTimer != null) {
            return;
        }
        c.noAnswerTimer = agent.schedule(settings.noAnswerMs(), () -> {
            c.noAnswerTimer = null;
            if (c.isLive() && !c.sipAnswered && c.state() != CallState.CONNECTED) {
                LOG.info("call {}: no answer within {} ms of alerting, releasing with cause 19", c.id,
                        settings.noAnswerMs());
                startRelease(c, Q850Cause.NO_ANSWER, "gateway");
            }
        });
    }

    private static void cancelNoAnswer(Call c) {
        if (c.noAnswerTimer != null) {
            c.noAnswerTimer.cancel();
            c.noAnswerTimer = null;
        }
    }

    private void onPstnAnswered(PstnLeg leg) {
        if (leg == null || leg != leg.call.pstn || !leg.call.isLive()) {
            return;
        }
        Call c = leg.call;
        if (c.direction != CallDirection.SIP_TO_PSTN) {
            return;
        }
        leg.connected = true;
        if (!c.offerless && !attachMedia(c)) {
            return;
        }
        c.transition(CallState.CONNECTED);
        cancelNoAnswer(c);
        c.answerMillis = clockMillis.getAsLong();
        c.sipAnswered = true;
        c.sipStatus = 200;
        sip.answer(c.sip, c.localSdp);
        checkSilentSinceEarlyMedia(c);
        modelUpdated(c);
        LOG.info("call {}: answered on {}", c.id, leg.channel);
    }

    private void onPstnDisconnect(PriCall call, int cause) {
        PstnLeg leg = legs.get(call);
        if (leg == null) {
            call.hangup(cause);
            return;
        }
        leg.hangup(cause); // RELEASE in answer to DISCONNECT
        pstnFailed(leg, cause, false);
    }

    private void onPstnReleased(PriCall call, int cause, PriEvent.ReleaseReason reason) {
        PstnLeg leg = legs.remove(call);
        if (leg == null) {
            return;
        }
        leg.released = true;
        leg.releaseCause = cause;
        LOG.debug("call {}: PRI leg on {} released, cause {} ({})", leg.call.id, leg.channel, cause, reason);
        // Before the channel is freed, so that a re-hunt does not pick the channel just refused.
        pstnFailed(leg, cause, reason == PriEvent.ReleaseReason.SETUP_FAILED);
        table.free(leg.channel, leg);
        modelEnded(leg);
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
        if (c.state().isEarly() && !c.earlyMediaSent && c.glareRetries < settings.maxGlareRetries()
                && (cause == CAUSE_CHANNEL_UNAVAILABLE || leg.displaced || setupFailed)) {
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
            return;
        }
        failOrFailover(c, cause, "pstn");
    }

    // ------------------------------------------------------------------ SIP events

    private void handleSip(SipEvent event) {
        if (event instanceof SipEvent.IncomingCall ic) {
            onSipIncoming(ic);
            return;
        }
        Call c = sipCalls.get(event.call().id());
        if (c == null) {
            LOG.debug("SIP event for a call already ended: {}", event);
            return;
        }
        if (event instanceof SipEvent.Acked a) {
            onSipAcked(c, a.answer());
        } else if (event instanceof SipEvent.Cancelled x) {
            c.sipDone = true;
            c.sipStatus = 487;
            c.cancelledByCaller = true;
            startRelease(c, causeOf(x.reason(), Q850Cause.NORMAL_CLEARING), "sip");
        } else if (event instanceof SipEvent.RemoteHangup h) {
            c.sipDone = true;
            if (!c.sipAnswered && c.direction == CallDirection.SIP_TO_PSTN) {
                c.cancelledByCaller = true;
            }
            startRelease(c, causeOf(h.reason(), Q850Cause.NORMAL_CLEARING), "sip");
        } else if (event instanceof SipEvent.Reoffer r) {
            onSipReoffer(c, r.offer());
        } else if (event instanceof SipEvent.Provisional p) {
            onSipProvisional(c, p.status(), p.sdp());
        } else if (event instanceof SipEvent.Answered a) {
            onSipAnswered(c, a.answer());
        } else if (event instanceof SipEvent.Rejected r) {
            onSipRejected(c, r.status(), r.reason());
        } else if (event instanceof SipEvent.SessionExpired) {
            // RFC 4028 10: the peer stopped refreshing; the SIP side sent BYE. Free the B-channel.
            LOG.info("call {}: session timer expired, releasing", c.id);
            c.sipDone = true;
            startRelease(c, Q850Cause.RECOVERY_ON_TIMER_EXPIRY, "sip");
        } else if (event instanceof SipEvent.TransactionTimeout t) {
            LOG.info("call {}: SIP {} transaction timed out, releasing", c.id, t.method());
            c.sipDone = true;
            if (c.direction == CallDirection.PSTN_TO_SIP && !c.sipAnswered) {
                c.sipStatus = 408;
                failOrFailover(c, Q850Cause.RECOVERY_ON_TIMER_EXPIRY, "sip");
            } else {
                startRelease(c, Q850Cause.RECOVERY_ON_TIMER_EXPIRY, "sip");
            }
        }
    }

    private static int causeOf(Reason reason, int fallback) {
        return reason != null && reason.isQ850() && Q850Cause.isValid(reason.cause()) && reason.cause() > 0
                ? reason.cause() : fallback;
    }

    /** SIP -> PSTN: an INVITE passed the SIP side's toll-fraud check. */
    private void onSipIncoming(SipEvent.IncomingCall e) {
        Call c = newCall(CallDirection.SIP_TO_PSTN);
        c.sip = e.call();
        sipCalls.put(e.call().id(), c);
        c.sipPeer = (e.trunk() != null ? e.trunk() + " " : "") + hostPort(e.source());
        c.calledIn = e.calledUser() == null ? "" : e.calledUser();
        CallingIdentity calling = IdentityMapper.toPstn(e.identity(), e.trunk() != null);
        c.pstnCalling = calling;
        c.callingIn = IdentityMapper.sipUser(calling);
        c.trunk = e.trunk();
        c.causes = causesFor(e.trunk(), null);
        modelAttempt(c);
        if (draining) {
            c.rejectStatus = 503;
            startRelease(c, drainCause, "gateway");
            return;
        }
        if (e.trunk() == null && e.authenticatedUser() == null) {
            // Toll-fraud protection: the SIP side should never hand us such a call; refuse anyway.
            LOG.warn("call {}: INVITE from {} to {} is neither from a trusted trunk nor authenticated: 403",
                    c.id, hostPort(e.source()), c.calledIn);
            c.rejectStatus = 403;
            startRelease(c, Q850Cause.CALL_REJECTED, "gateway");
            return;
        }
        Optional<RouteDecision> d = router.sipToPstn(c.calledIn, c.callingIn, e.trunk());
        if (d.isEmpty()) {
            startRelease(c, Q850Cause.NO_ROUTE_TO_DESTINATION, "gateway");
            return;
        }
        c.route = d.get();
        c.calledOut = c.route.called().digits();
        c.callingOut = c.route.calling().digits();
        c.transition(CallState.ROUTING);
        RouteTarget first = c.route.targets().get(0);
        String group = first.kind() == RouteTarget.Kind.GROUP ? first.name() : null;
        SpanConfig law = group == null ? null : firstSpanOf(group);
        if (law == null) {
            LOG.error("call {}: route {} target {} is not a channel group with spans", c.id, c.route.route(), first);
            startRelease(c, Q850Cause.NO_ROUTE_TO_DESTINATION, "gateway");
            return;
        }
        if (!reserveMedia(c, law)) {
            return;
        }
        c.origin = SdpOrigin.create(settings.localAddress());
        if (e.offer() == null) {
            c.offerless = true;
            c.localSdp = OfferAnswer.offer(c.policy, c.origin, Direction.SENDRECV);
        } else {
            Negotiation n = OfferAnswer.answer(e.offer(), c.policy, c.origin);
            if (n instanceof Negotiation.NotAcceptable na) {
                LOG.info("call {}: SDP offer not acceptable: {}", c.id, na.reason());
                c.rejectStatus = 488;
                startRelease(c, Q850Cause.BEARER_CAPABILITY_NOT_IMPLEMENTED, "gateway");
                return;
            }
            Negotiation.Agreed a = (Negotiation.Agreed) n;
            c.localSdp = a.localSdp();
            c.negotiated = a.media();
        }
        placePstn(c);
    }

    private SpanConfig firstSpanOf(String group) {
        for (SpanConfig s : config.spans()) {
            if (s.group().equals(group)) {
                return s;
            }
        }
        return null;
    }

    /** SIP -> PSTN: hunt a channel in the current target group and send SETUP. */
    private void placePstn(Call c) {
        RouteTarget t = c.route.targets().get(c.targetIndex);
        if (t.kind() != RouteTarget.Kind.GROUP || !table.hasGroup(t.name())) {
            LOG.error("call {}: route {} target {} is not a channel group", c.id, c.route.route(), t);
            failOrFailover(c, Q850Cause.NO_ROUTE_TO_DESTINATION, "gateway");
            return;
        }
        ChannelTable.Channel ch = table.seize(t.name(), null);
        if (ch == null) {
            LOG.info("call {}: no usable B-channel in group {}: cause 34", c.id, t.name());
            model.counters().rejectNoChannel();
            model.overload().refused("B-channels of group " + t.name());
            failOrFailover(c, Q850Cause.NO_CIRCUIT_AVAILABLE, "gateway");
            return;
        }
        model.overload().admitted("B-channels of group " + t.name());
        c.group = t.name();
        c.causes = causesFor(c.trunk, c.group);
        SpanInfo span = spans.get(ch.span());
        RoutedNumber calledOut = c.route.called();
        PartyNumber called = PartyNumbers.called(calledOut.digits(), calledOut.ton(), calledOut.npi());
        CallingIdentity calling = rewrittenCalling(c);
        PartyNumber callingNumber = PartyNumbers.calling(calling);
        PriCall pri = span.pri.setup(new OutgoingCall(ch.chanpos(), called, callingNumber, calling.displayName(), true));
        PstnLeg leg = new PstnLeg(c, ch, pri);
        table.occupy(ch, leg);
        legs.put(pri, leg);
        c.pstn = leg;
        c.transition(CallState.SEIZING);
        modelStarted(c);
        LOG.info("call {}: {} -> {} on {} ({} from {})", c.id, c.callingIn, called.digits(), ch,
                c.sip.callId(), c.sipPeer);
    }

    private void onSipAcked(Call c, SessionDescription answer) {
        if (!c.offerless || c.media != null || !c.isLive()) {
            return;
        }
        Negotiation n = answer == null ? new Negotiation.NotAcceptable("ACK carried no SDP answer")
                : OfferAnswer.acceptAnswer(c.localSdp, answer, c.policy);
        if (n instanceof Negotiation.Agreed a) {
            c.negotiated = a.media();
            attachMedia(c);
        } else {
            LOG.info("call {}: answer in ACK not usable ({}); releasing", c.id,
                    ((Negotiation.NotAcceptable) n).reason());
            startRelease(c, Q850Cause.BEARER_CAPABILITY_NOT_IMPLEMENTED, "gateway");
        }
    }

    private void onSipReoffer(Call c, SessionDescription offer) {
        c.origin = c.origin.next();
        Negotiation n = OfferAnswer.answer(offer, c.policy, c.origin);
        if (n instanceof Negotiation.Agreed a) {
            NegotiatedMedia previous = c.negotiated;
            c.negotiated = a.media();
            c.localSdp = a.localSdp();
            if (c.media != null) {
                if (a.media().remoteChangedFrom(previous)) {
                    c.media.updateRemote(new InetSocketAddress(a.media().remoteAddress(), a.media().remotePort()));
                }
                c.media.setDirection(mediaDirection(a.media().direction()));
            }
            sip.answerReoffer(c.sip, a.localSdp());
            LOG.info("call {}: re-offer accepted ({})", c.id, a.media().direction().attribute());
        } else {
            sip.rejectReoffer(c.sip, 488);
        }
    }

    private void onSipProvisional(Call c, int status, SessionDescription sdp) {
        if (!c.isLive() || c.direction != CallDirection.PSTN_TO_SIP) {
            return;
        }
        boolean early = false;
        if (sdp != null && c.media == null) {
            Negotiation n = OfferAnswer.acceptAnswer(c.localSdp, sdp, c.policy);
            if (n instanceof Negotiation.Agreed a) {
                c.negotiated = a.media();
                early = attachMedia(c);
            }
        }
        if (status == 180 || early) {
            c.transition(CallState.ALERTING);
            armNoAnswer(c);
            if (status == 180) {
                c.pstn.alerting(early);
            } else {
                c.pstn.progress(true);
            }
        } else {
            c.transition(CallState.PROCEEDING);
        }
    }

    private void onSipAnswered(Call c, SessionDescription answer) {
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
            } else if (c.negotiated == null) {
                LOG.info("call {}: SDP answer in 200 not usable ({}); releasing", c.id,
                        ((Negotiation.NotAcceptable) n).reason());
                c.sipAnswered = true;
                startRelease(c, Q850Cause.BEARER_CAPABILITY_NOT_IMPLEMENTED, "gateway");
                return;
            }
        }
        if (c.negotiated == null || !attachMedia(c)) {
            c.sipAnswered = true;
            startRelease(c, Q850Cause.BEARER_CAPABILITY_NOT_IMPLEMENTED, "gateway");
            return;
        }
        c.sipAnswered = true;
        c.sipStatus = 200;
        c.answerMillis = clockMillis.getAsLong();
        c.transition(CallState.CONNECTED);
        cancelNoAnswer(c);
        c.pstn.answer();
        checkSilentSinceEarlyMedia(c);
        modelUpdated(c);
        LOG.info("call {}: answered by {}", c.id, c.sipPeer);
    }

    private void onSipRejected(Call c, int status, Reason reason) {
        c.sipDone = true;
        c.sipStatus = status;
        sipCalls.remove(c.sip.id());
        if (!c.isLive()) {
            maybeFinish(c);
            return;
        }
        int cause = causeOf(reason, c.causes.toQ850(status));
        LOG.info("call {}: {} refused with {} -> cause {}", c.id, c.sipPeer, status, cause);
        failOrFailover(c, cause, "sip");
    }

    // ------------------------------------------------------------------ failover and release

    /** Tries the next target of the route when the cause allows it, else releases the call. */
    private void failOrFailover(Call c, int cause, String by) {
        if (!c.isLive()) {
            return;
        }
        boolean noMediaYet = !c.earlyMediaSent && !c.sipAnswered;
        if (c.route != null && c.state().isEarly() && noMediaYet && !draining
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
                placePstn(c);
            } else {
                if (c.media != null) {
                    // Early media from the failed target: start afresh with the next one.
                    detachMedia(c);
                }
                placeSip(c);
            }
            return;
        }
        startRelease(c, cause, by);
    }

    /**
     * Starts clearing both legs with {@code cause} (Q.850). Idempotent: the first cause and the
     * first releasing side are kept for the CDR.
     */
    private void startRelease(Call c, int cause, String by) {
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
        cancelNoAnswer(c);
        c.transition(CallState.RELEASING);
        SipSide s = sip;
        if (!c.sipDone && c.sip != null && s != null) {
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
        detachMedia(c);
        if (c.ports != null) {
            c.ports.close();
            c.ports = null;
        }
        c.guardTimer = agent.schedule(settings.releaseGuardMs(), () -> forceFinish(c));
        LOG.info("call {}: releasing, cause {} ({}) by {}", c.id, c.cause, Q850Cause.name(c.cause), c.releasedBy);
        maybeFinish(c);
    }

    private void maybeFinish(Call c) {
        if (c.state() == CallState.RELEASING && c.fullyReleased()) {
            finish(c);
        }
    }

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
                legs.remove(l.pri);
                table.free(l.channel, l);
                modelEnded(l);
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
            sipCalls.remove(c.sip.id());
        }
        calls.remove(c.id);
        long end = clockMillis.getAsLong();
        MediaStats st = c.stats;
        PstnLeg last = c.pstn != null ? c.pstn : c.oldLegs.isEmpty() ? null : c.oldLegs.get(c.oldLegs.size() - 1);
        Disposition disposition = c.answerMillis != 0 ? Disposition.ANSWERED
                : c.cancelledByCaller ? Disposition.CANCELLED
                : c.rejectStatus == 403 ? Disposition.REJECTED
                : Disposition.fromUnansweredCause(c.cause);
        long start = Math.min(c.startMillis, end);
        CallRecord r = new CallRecord(c.id, c.direction, start, c.answerMillis == 0 ? 0 : Math.max(start,
                Math.min(c.answerMillis, end)), end, c.callingIn, c.calledIn, c.callingOut, c.calledOut,
                last == null ? 0 : last.channel.span(), last == null ? 0 : last.channel.chanpos(),
                c.sip == null ? "" : c.sip.callId(), c.sipPeer, c.cause, c.sipStatus, disposition, c.releasedBy,
                st == null ? 0 : st.packetsSent(), st == null ? 0 : st.packetsReceived(),
                st == null ? 0 : st.packetsLost(), st == null ? 0 : Math.round(st.jitterMs() * 1000));
        try {
            cdr.accept(r);
        } catch (RuntimeException e) {
            LOG.error("call {}: CDR sink failed", c.id, e);
        }
        model.counters().completed(c.direction, c.answerMillis != 0, c.cause);
        if (st != null) {
            model.counters().rtp(st.packetsSent(), st.packetsReceived(), st.packetsLost());
        }
        LOG.info("call {}: ended {} cause {} sip {} ({} ms{})", c.id, disposition, c.cause, c.sipStatus,
                end - c.startMillis, c.answerMillis != 0 ? ", answered" : "");
        checkDrained();
    }

    // ------------------------------------------------------------------ media

    /**
     * Takes the call's RTP port pair and sets its media policy (the law of {@code lawOf}'s span
     * preferred, to avoid transcoding). False, with the call released (cause 47) and the overload
     * detector told, when the port range is exhausted.
     */
    private boolean reserveMedia(Call c, SpanConfig lawOf) {
        try {
            c.ports = media.allocatePorts();
            model.overload().admitted(RTP_PORTS);
        } catch (IOException e) {
            LOG.warn("call {}: no RTP port pair: {}", c.id, e.getMessage());
            model.overload().refused(RTP_PORTS);
            startRelease(c, Q850Cause.RESOURCE_UNAVAILABLE, "gateway");
            return false;
        }
        c.policy = new MediaPolicy(g711(lawOf), true, true, TELEPHONE_EVENT_PT, settings.ptimeMs(),
                settings.localAddress(), c.ports.rtpPort());
        return true;
    }

    /** Attaches the call's media to its B-channel once; false (and the call released) on failure. */
    private boolean attachMedia(Call c) {
        if (c.media != null) {
            return true;
        }
        if (c.negotiated == null || c.pstn == null || c.ports == null) {
            LOG.error("call {}: cannot attach media (negotiated {}, leg {}, ports {})", c.id, c.negotiated, c.pstn,
                    c.ports);
            startRelease(c, Q850Cause.TEMPORARY_FAILURE, "gateway");
            return false;
        }
        SpanInfo span = spans.get(c.pstn.channel.span());
        BChannel b = span.tdm.bChannel(c.pstn.channel.chanpos());
        int ptime = c.negotiated.sendPtimeMs();
        if (ptime != 10 && ptime != 20 && ptime != 30) {
            ptime = settings.ptimeMs();
        }
        MediaSessionSpec spec;
        try {
            spec = new MediaSessionSpec(c.id, b, PstnSignalling.law(span.config), c.ports,
                    new InetSocketAddress(c.negotiated.remoteAddress(), c.negotiated.remotePort()),
                    c.negotiated.payloadType(), c.negotiated.telephoneEventPt(), ptime,
                    mediaDirection(c.negotiated.direction()));
        } catch (IllegalArgumentException e) {
            LOG.warn("call {}: media not possible: {}", c.id, e.getMessage());
            startRelease(c, Q850Cause.BEARER_CAPABILITY_NOT_IMPLEMENTED, "gateway");
            return false;
        }
        try {
            prepareBChannel(span.config, b);
        } catch (TdmException e) {
            LOG.error("call {}: B-channel {}/{} cannot be set up for the call: {}", c.id,
                    c.pstn.channel.span(), c.pstn.channel.chanpos(), e.getMessage());
            startRelease(c, Q850Cause.TEMPORARY_FAILURE, "gateway");
            return false;
        }
        c.ports = null; // the engine owns them now
        c.mediaDone = false;
        MediaHandle h = media.attach(spec, this);
        c.media = h;
        mediaCalls.put(h, c);
        h.attached().whenComplete((v, e) -> {
            if (e != null) {
                agent.execute(() -> {
                    LOG.warn("call {}: media attach failed: {}", c.id, e.getMessage());
                    startRelease(c, Q850Cause.TEMPORARY_FAILURE, "gateway");
                });
            }
        });
        return true;
    }

    /**
     * Per-call B-channel set-up, what a DAHDI PRI driver does on every call: the span's law, audio
     * mode (so law, gains and the echo canceller apply), and the echo canceller with the span's
     * tail ({@code echocanceller}/{@code echo_tail_ms}, 8 taps per ms) or off. Done on the
     * call-control thread before the media agent takes the channel. The simulated card records
     * these settings; on DAHDI they are SETLAW, AUDIOMODE and ECHOCANCEL_PARAMS.
     */
    private static void prepareBChannel(SpanConfig span, BChannel b) {
        b.setLaw(PstnSignalling.law(span));
        b.setAudioMode(true);
        b.setEchoCanceller(echoTaps(span));
    }

    static int echoTaps(SpanConfig span) {
        return span.echoCanceller() == SpanConfig.EchoCanceller.NONE ? 0 : span.echoTailMs() * 8;
    }

    /** Echo canceller off once the call has left the channel: idle channels carry no call. */
    private void releaseBChannel(Call c) {
        if (c.pstn == null) {
            return;
        }
        SpanInfo span = spans.get(c.pstn.channel.span());
        BChannel b = span == null ? null : span.tdm.bChannel(c.pstn.channel.chanpos());
        if (b == null || echoTaps(span.config) == 0) {
            return;
        }
        try {
            b.setEchoCanceller(0);
        } catch (TdmException e) {
            LOG.warn("call {}: echo canceller of B-channel {}/{} not switched off: {}", c.id,
                    c.pstn.channel.span(), c.pstn.channel.chanpos(), e.getMessage());
        }
    }

    private void detachMedia(Call c) {
        MediaHandle h = c.media;
        if (h == null) {
            return;
        }
        c.media = null;
        h.detach().whenComplete((stats, e) -> agent.execute(() -> {
            releaseBChannel(c);
            mediaCalls.remove(h);
            if (stats != null && c.stats == null) {
                c.stats = stats;
            }
            if (e != null) {
                LOG.warn("call {}: media detach failed: {}", c.id, e.getMessage());
            }
            c.mediaDone = true;
            maybeFinish(c);
        }));
    }

    @Override
    public void onDtmf(MediaHandle handle, char digit, int durationMs, boolean fromSpan) {
        LOG.debug("{}: DTMF '{}' {} ms from {}", handle.callId(), digit, durationMs, fromSpan ? "span" : "SIP");
    }

    /**
     * No RTP from the SIP peer for the media engine's timeout while the stream should receive
     * (a peer holding with {@code inactive} or {@code sendonly}-to-us is not timed: the media
     * agent only times receiving directions). An answered call is released with cause 102
     * (recovery on timer expiry): the peer or the path is dead, and a carrier does not bill or
     * hold a B-channel for a call nobody can hear. Before answer the event is only noted (a caller
     * need not send while it hears ringback); if the stream is still silent when the call is
     * answered, {@link #checkSilentSinceEarlyMedia} gives it one more timeout from the answer.
     */
    @Override
    public void onRtpTimeout(MediaHandle handle, long silentMs) {
        agent.execute(() -> {
            Call c = mediaCalls.get(handle);
            if (c == null || !c.isLive()) {
                return;
            }
            if (c.state() != CallState.CONNECTED) {
                LOG.info("call {}: no RTP from the SIP peer for {} ms before answer", c.id, silentMs);
                c.rtpSilentBeforeAnswer = true;
                return;
            }
            LOG.warn("call {}: no RTP from {} for {} ms, releasing with cause 102", c.id, c.sipPeer, silentMs);
            startRelease(c, Q850Cause.RECOVERY_ON_TIMER_EXPIRY, "gateway");
        });
    }

    /** A stream already timed out during early media gets one more timeout from the answer. */
    private void checkSilentSinceEarlyMedia(Call c) {
        if (!c.rtpSilentBeforeAnswer || c.media == null || settings.rtpTimeoutMs() <= 0) {
            return;
        }
        MediaHandle h = c.media;
        h.stats().thenAccept(atAnswer -> agent.execute(() -> agent.schedule(settings.rtpTimeoutMs(),
                () -> h.stats().thenAccept(later -> agent.execute(() -> {
                    if (c.isLive() && c.media == h && later.packetsReceived() == atAnswer.packetsReceived()) {
                        LOG.warn("call {}: no RTP from {} since before the answer, releasing with cause 102",
                                c.id, c.sipPeer);
                        startRelease(c, Q850Cause.RECOVERY_ON_TIMER_EXPIRY, "gateway");
                    }
                })))));
    }

    @Override
    public void onChannelLost(MediaHandle handle) {
        agent.execute(() -> {
            Call c = mediaCalls.get(handle);
            if (c != null && c.isLive()) {
                LOG.warn("call {}: B-channel lost under the call", c.id);
                startRelease(c, Q850Cause.TEMPORARY_FAILURE, "gateway");
            }
        });
    }

    private static MediaDirection mediaDirection(Direction d) {
        return MediaDirection.valueOf(d.name());
    }

    private static G711 g711(SpanConfig s) {
        return s.law() == SpanConfig.Law.ULAW ? G711.PCMU : G711.PCMA;
    }

    // ------------------------------------------------------------------ calls and the ops model

    private Call newCall(CallDirection direction) {
        Call c = new Call("c" + (++callSequence), direction, clockMillis.getAsLong());
        calls.put(c.id, c);
        if (direction == CallDirection.PSTN_TO_SIP) {
            modelAttempt(c);
        }
        return c;
    }

    private void modelAttempt(Call c) {
        model.counters().attempt(c.direction);
    }

    private ActiveCall active(Call c) {
        ActiveCall a = ActiveCall.started(c.id, c.direction, c.callingOut.isEmpty() ? c.callingIn : c.callingOut,
                c.calledOut.isEmpty() ? c.calledIn : c.calledOut, c.sip == null ? "" : c.sip.callId(), c.startMillis);
        if (c.liveStats != null) {
            a = a.withRtp(Math.max(0, c.liveStats.packetsLost()), Math.round(c.liveStats.jitterMs() * 1000));
        }
        return c.answerMillis != 0 ? a.withAnswer(c.answerMillis) : a;
    }

    private void modelStarted(Call c) {
        try {
            model.callStarted(c.pstn.channel.span(), c.pstn.channel.chanpos(), active(c));
        } catch (IllegalArgumentException e) {
            LOG.debug("channel {} not in the ops model", c.pstn.channel);
        }
    }

    private void modelUpdated(Call c) {
        if (c.pstn == null) {
            return;
        }
        try {
            model.callUpdated(c.pstn.channel.span(), c.pstn.channel.chanpos(), active(c));
        } catch (IllegalArgumentException e) {
            LOG.debug("channel {} not in the ops model", c.pstn.channel);
        }
    }

    private void modelEnded(PstnLeg leg) {
        try {
            if (leg.channel.occupant() == null) {
                model.callEnded(leg.channel.span(), leg.channel.chanpos());
            }
        } catch (IllegalArgumentException e) {
            LOG.debug("channel {} not in the ops model", leg.channel);
        }
    }

    private static String hostPort(InetSocketAddress a) {
        return a == null ? "" : a.getAddress() != null ? a.getAddress().getHostAddress() + ":" + a.getPort()
                : a.getHostString() + ":" + a.getPort();
    }

    // ------------------------------------------------------------------ GatewayControl (console)

    @Override
    public CompletionStage<String> block(ChannelRef target) {
        return onAgent(() -> setBlocked(target, true));
    }

    @Override
    public CompletionStage<String> unblock(ChannelRef target) {
        return onAgent(() -> setBlocked(target, false));
    }

    private String setBlocked(ChannelRef target, boolean blocked) throws ControlException {
        List<ChannelTable.Channel> chans = new ArrayList<>();
        if (target.wholeSpan()) {
            chans.addAll(table.spanChannels(target.span()));
        } else {
            ChannelTable.Channel ch = table.channel(target.span(), target.chanpos());
            if (ch != null) {
                chans.add(ch);
            }
        }
        if (chans.isEmpty()) {
            throw new ControlException("no B-channel " + target + " (spans " + spans.keySet() + ")");
        }
        int busy = 0;
        for (ChannelTable.Channel ch : chans) {
            table.setBlocked(ch, blocked);
            if (ch.occupant() != null) {
                busy++;
            }
            try {
                model.setChannelBlocked(ch.span(), ch.chanpos(), blocked);
            } catch (IllegalArgumentException e) {
                LOG.debug("channel {} not in the ops model", ch);
            }
        }
        String what = target.wholeSpan() ? "span " + target.span() + ": " + chans.size() + " channels"
                : "channel " + target;
        LOG.info("operator {} {}", blocked ? "blocked" : "unblocked", what);
        return what + (blocked ? " blocked" + (busy > 0 ? ", " + busy + " call(s) draining" : "") : " unblocked");
    }

    @Override
    public CompletionStage<String> hangup(String callId) {
        return onAgent(() -> {
            Call c = calls.get(callId);
            if (c == null || !c.isLive()) {
                throw new ControlException("no call " + callId + " in progress");
            }
            startRelease(c, Q850Cause.NORMAL_CLEARING, "gateway");
            return "call " + callId + " released (cause 16)";
        });
    }

    @Override
    public CompletionStage<ReloadReport> reload() {
        CompletableFuture<ReloadReport> f = new CompletableFuture<>();
        agent.execute(() -> {
            Optional<GatewayConfig> next;
            try {
                next = reloader.get();
            } catch (RuntimeException e) {
                f.completeExceptionally(new ControlException("reload failed: " + e.getMessage()));
                return;
            }
            if (next.isEmpty()) {
                f.completeExceptionally(new ControlException(
                        "the configuration has errors (see the log or run check-config); nothing changed"));
                return;
            }
            GatewayConfig n = next.get();
            GatewayConfig old = config; // before applyConfig replaces it, or no difference shows
            List<String> applied = new ArrayList<>();
            List<String> restart = new ArrayList<>();
            applyConfig(n);
            applied.add("routes: " + n.routes().size() + " (calls in progress keep their route)");
            applied.add("trunks: " + n.trunks().keySet() + " as outbound targets");
            applied.add("cause maps: " + n.causeMaps().keySet());
            if (!n.spans().equals(old.spans()) || !n.groups().equals(old.groups())) {
                restart.add("spans and channel groups");
            }
            if (!n.sip().equals(old.sip())) {
                restart.add("[sip]");
            }
            if (!n.rtp().equals(old.rtp())) {
                restart.add("[rtp]");
            }
            for (TrunkConfig t : n.trunks().values()) {
                TrunkConfig was = old.trunks().get(t.name());
                if (was == null || !was.trusted().equals(t.trusted())) {
                    restart.add("trusted addresses of trunk " + t.name() + " (the SIP side's toll-fraud check)");
                }
            }
            f.complete(new ReloadReport(applied, restart));
        });
        return f;
    }

    @Override
    public CompletionStage<String> simOriginate(String from, String to) {
        return onAgent(() -> {
            SimControls s = sim;
            if (s == null) {
                throw new ControlException("sim originate needs the simulated backend (backend = sim)");
            }
            return s.originate(from, to);
        });
    }

    @Override
    public CompletionStage<String> simAlarm(int span, boolean red) {
        return onAgent(() -> {
            SimControls s = sim;
            if (s == null) {
                throw new ControlException("sim alarm needs the simulated backend (backend = sim)");
            }
            s.alarm(span, red);
            return "span " + span + (red ? ": red alarm raised" : ": alarms cleared");
        });
    }

    @FunctionalInterface
    private interface ControlAction<T> {
        T run() throws ControlException;
    }

    private <T> CompletionStage<T> onAgent(ControlAction<T> action) {
        CompletableFuture<T> f = new CompletableFuture<>();
        agent.execute(() -> {
            try {
                f.complete(action.run());
            } catch (ControlException | RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }
}
