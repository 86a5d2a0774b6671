package org.tandem.gateway.app;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.config.GatewayConfig;
import org.tandem.config.GeneralConfig;
import org.tandem.config.SimConfig;
import org.tandem.config.SipConfig;
import org.tandem.config.SnmpConfig;
import org.tandem.config.TlsConfig;
import org.tandem.config.SpanConfig;
import org.tandem.config.dahdi.KernelSettingsCheck;
import org.tandem.config.dahdi.ObservedChannel;
import org.tandem.config.dahdi.ObservedSpan;
import org.tandem.gateway.call.CallControl;
import org.tandem.gateway.call.CallControlAgent;
import org.tandem.gateway.cdr.CdrWriter;
import org.tandem.gateway.interwork.Q850Cause;
import org.tandem.gateway.media.MediaConfig;
import org.tandem.gateway.media.MediaEngine;
import org.tandem.gateway.ops.ControlException;
import org.tandem.gateway.ops.GatewayControl;
import org.tandem.gateway.ops.GatewayModel;
import org.tandem.gateway.ops.GatewayState;
import org.tandem.gateway.ops.LineCoding;
import org.tandem.gateway.ops.LineType;
import org.tandem.gateway.ops.SpanDefinition;
import org.tandem.gateway.pstn.PstnSignalling;
import org.tandem.gateway.presence.PresenceService;
import org.tandem.gateway.registrar.RegistrarService;
import org.tandem.gateway.security.RequestGate;
import org.tandem.gateway.security.SourceRateLimit;
import org.tandem.gateway.sip.SipSettings;
import org.tandem.gateway.sip.TlsSettings;
import org.tandem.gateway.sip.SipUserAgent;
import org.tandem.gateway.snmp.SnmpAgentSettings;
import org.tandem.gateway.snmp.TandemSnmpAgent;
import org.tandem.jna.libc.Posix;
import org.tandem.pri.ChannelId;
import org.tandem.pri.PriEngine;
import org.tandem.pri.PriSpan;
import org.tandem.pri.PriTimer;
import org.tandem.simexchange.ExchangeConfig;
import org.tandem.simexchange.SimExchange;
import org.tandem.simexchange.TestLine;
import org.tandem.tdm.SpanAlarms;
import org.tandem.tdm.SpanType;
import org.tandem.tdm.TdmBackend;
import org.tandem.tdm.TdmSpan;
import org.tandem.tdm.dahdi.ChannelDirectory;
import org.tandem.tdm.dahdi.ChannelInfo;
import org.tandem.tdm.dahdi.DahdiBackend;
import org.tandem.tdm.dahdi.DahdiControl;
import org.tandem.tdm.dahdi.SpanView;
import org.tandem.tdm.sim.SimulatedCard;

/**
 * The running gateway, assembled from a validated configuration: the PRI engine, the TDM backend
 * (the simulated card and exchange, or DAHDI), the spans, the media engine, call control, the SIP
 * side, the CDR writer and the SNMP agent. {@link #start} brings them up in dependency order and
 * {@link #close} takes them down in reverse after draining calls.
 *
 * <p>Hook for further operations services (the {@code tandem ctl} console server): they get the
 * {@link #control()} interface and the {@link #model()} after start, as {@link Extension}s in
 * {@link Options#extensions()}, and are closed first on shutdown.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    /** Something started with the gateway and stopped before it (e.g. the console server). */
    public interface Extension extends AutoCloseable {
        /** Called once the gateway runs; may throw to refuse the start. */
        void start(Gateway gateway) throws Exception;

        @Override
        void close();
    }

    /**
     * What the configuration file does not say, mostly for tests.
     *
     * @param priTimers libpri timer overrides for the gateway's spans (and the simulated exchange's)
     * @param sessionExpiresS RFC 4028 interval override, or 0 for {@code [sip] session_expires_s}
     * @param minSeS Min-SE override, or 0 for {@code [sip] min_se_s}
     * @param readyWaitMs how long start waits for the D-channels before reporting ready
     * @param drainTimeoutMs how long close waits for calls to be released
     * @param extensions started after the gateway, closed before it
     * @param noAnswerMs ringing limit before release with cause 19 (0: none); no INI key yet
     * @param rtpTimeoutMs no RTP from the SIP peer this long releases an answered call with cause
     *     102 (0: never); no INI key yet
     */
    public record Options(Map<PriTimer, Integer> priTimers, int sessionExpiresS, int minSeS, long readyWaitMs,
            long drainTimeoutMs, List<Extension> extensions, long noAnswerMs, int rtpTimeoutMs) {
        public Options {
            priTimers = Map.copyOf(priTimers);
            extensions = List.copyOf(extensions);
        }

        public static Options defaults() {
            return new Options(Map.of(), 0, 0, 5_000, 10_000, List.of(),
                    CallControl.Settings.DEFAULT_NO_ANSWER_MS, (int) CallControl.Settings.DEFAULT_RTP_TIMEOUT_MS);
        }

        public Options withPriTimers(Map<PriTimer, Integer> timers) {
            return new Options(timers, sessionExpiresS, minSeS, readyWaitMs, drainTimeoutMs, extensions, noAnswerMs,
                    rtpTimeoutMs);
        }

        public Options withSessionTimer(int expiresS, int minS) {
            return new Options(priTimers, expiresS, minS, readyWaitMs, drainTimeoutMs, extensions, noAnswerMs,
                    rtpTimeoutMs);
        }

        /** Ringing limit and RTP timeout (ms, 0 disables either). */
        public Options withCallTimers(long noAnswer, int rtpTimeout) {
            return new Options(priTimers, sessionExpiresS, minSeS, readyWaitMs, drainTimeoutMs, extensions, noAnswer,
                    rtpTimeout);
        }

        public Options withExtensions(List<Extension> more) {
            List<Extension> all = new ArrayList<>(extensions);
            all.addAll(more);
            return new Options(priTimers, sessionExpiresS, minSeS, readyWaitMs, drainTimeoutMs, all, noAnswerMs,
                    rtpTimeoutMs);
        }
    }

    private final GatewayConfig config;
    private final Options options;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Map<Integer, SimExchange> exchanges = new LinkedHashMap<>();
    private GatewayModel model;
    private CdrWriter cdr;
    private CallControlAgent agent;
    private CallControl control;
    private MediaEngine media;
    private PriEngine engine;
    private SimulatedCard card;
    private TdmBackend backend;
    private RegistrarService registrar;
    private PresenceService presence;
    private volatile SipUserAgent sip; // volatile: the request gate's trust reads its live trunks
    private TandemSnmpAgent snmp;
    private OverloadGuard overload;
    private String readyLine;
    private volatile boolean closed;

    private Gateway(GatewayConfig config, Options options) {
        this.config = config;
        this.options = options;
    }

    /**
     * Starts everything; on failure, stops what was started and throws with what failed.
     *
     * @param reloader re-reads the configuration for {@code tandem ctl reload}
     */
    public static Gateway start(GatewayConfig config, Options options, Supplier<Optional<GatewayConfig>> reloader)
            throws Exception {
        Gateway g = new Gateway(config, options);
        try {
            g.startAll(reloader);
            return g;
        } catch (Exception | Error e) {
            g.stopAll();
            throw e;
        }
    }

    private void startAll(Supplier<Optional<GatewayConfig>> reloader) throws Exception {
        GeneralConfig general = config.general();
        SipConfig sipConfig = config.sip();
        InetAddress bind = InetAddress.getByName(sipConfig.listen().host());

        model = new GatewayModel(general.name(), System::currentTimeMillis);
        for (SpanConfig s : config.spans()) {
            model.addSpan(spanDefinition(s));
        }
        cdr = new CdrWriter(home(config.cdr().dir()), Clock.systemUTC());
        cdr.start();
        started.add(() -> cdr.close(10_000));

        MediaConfig mc = MediaConfig.from(config.rtp(), bind);
        media = new MediaEngine(new MediaConfig(mc.bindAddress(), mc.portFirst(), mc.portLast(), mc.dscp(),
                mc.jitterMinMs(), mc.jitterMaxMs(), mc.agents(), options.rtpTimeoutMs()));
        media.countSpanOctets(model.spanOctets());
        started.add(media);

        agent = new CallControlAgent("call-control", System::nanoTime);
        control = new CallControl(agent, config, media, model, cdr::submit, System::currentTimeMillis,
                CallControl.Settings.defaults(bind.getHostAddress(), config.rtp().ptimeMs())
                        .withTimers(options.noAnswerMs(), options.rtpTimeoutMs()), reloader);
        agent.start();
        started.add(agent);

        backend = openBackend();
        engine = PriEngine.start("pri");
        started.add(engine); // closed before the card (started later, stopped earlier)
        PstnSignalling signalling = new PstnSignalling(engine, agent, control.priSink());
        Map<PriTimer, Integer> timers = options.priTimers();
        List<TdmSpan> tdmSpans = new ArrayList<>();
        for (SpanConfig s : config.spans()) {
            TdmSpan tdm = backend.openSpan(s.number(), spanType(s), s.dchannel(), s.bchannels().stream().toArray());
            tdmSpans.add(tdm);
            model.setSpanAlarms(s.number(), tdm.alarms()); // NOTOPEN until now
            PriSpan pri = signalling.addSpan(s, tdm, timers);
            control.addSpan(s, pri, tdm);
            if (card != null && config.sim().spans().contains(s.number())) {
                exchanges.put(s.number(), SimExchange.attach(engine, card, s.number(), spanType(s),
                        exchangeConfig(config.sim(), spanType(s), timers)
                                .withSupplementaryServices(s.supplementaryServices())));
            }
        }
        if (card != null) {
            control.setSimControls(simControls());
        }
        started.add(org.tandem.gateway.ops.SpanErrorPoller.start(model, tdmSpans)); // DAHDI SPANSTAT counters

        startRegistrar();
        if (registrar != null) {
            control.setLocation(registrar::snapshot); // routes to user:NAME / users
        }
        startPresence();
        overload = OverloadGuard.start(config.overload(), agent, model); // [overload], docs/SECURITY.md
        if (overload != null) {
            started.add(overload);
        }
        SipSettings sipSettings = sipSettings();
        sip = SipUserAgent.start(sipSettings, agent, control.sipSink(), registrar, requestGate(sipSettings), presence);
        started.add(sip);
        control.setSipSide(sip);
        LiveReload.wire(control, sip, registrar, model); // reload: trunks, users; drain: SIP 503s, state
        if (presence != null) {
            presence.start();
        }
        TrunkRegistering.start(sip, config, model); // [trunk] register = yes

        startSnmp();
        started.add(org.tandem.gateway.metrics.MetricsEndpoint.start(config.metrics(), model, registrar));

        for (Extension e : options.extensions()) {
            e.start(this);
            started.add(e);
        }
        boolean up = waitForSpans(options.readyWaitMs());
        model.setGatewayState(GatewayState.RUNNING);
        readyLine = readyLine(up);
        LOG.info(readyLine);
    }

    // ------------------------------------------------------------------ backends

    private TdmBackend openBackend() throws IOException {
        if (config.general().backend() == GeneralConfig.Backend.SIM) {
            card = new SimulatedCard();
            started.add(card);
            return card.backend();
        }
        Path root = config.dahdi().deviceDir();
        DahdiBackend dahdi = new DahdiBackend(Posix.system(), root, 160);
        started.add(dahdi);
        checkKernelSettings(root, dahdi.directory());
        return dahdi;
    }

    /** Refuses to start when DAHDI's span/channel setup differs from the INI (one line per difference). */
    private void checkKernelSettings(Path root, ChannelDirectory directory) throws IOException {
        List<ObservedSpan> spans = new ArrayList<>();
        List<ObservedChannel> channels = new ArrayList<>();
        try (DahdiControl ctl = new DahdiControl(Posix.system(), root)) {
            for (SpanConfig s : config.spans()) {
                SpanView v;
                try {
                    v = ctl.view(s.number(), directory);
                } catch (org.tandem.jna.libc.PosixException | org.tandem.tdm.TdmException e) {
                    // A span the kernel does not have: leave it out of what was observed, so the
                    // comparison lists it together with every other difference instead of
                    // stopping at the first.
                    LOG.debug("span {}: no kernel view: {}", s.number(), e.getMessage());
                    continue;
                }
                spans.add(new ObservedSpan(v.spanno(), v.spanType(), v.lineconfig(), v.totalChannels()));
                for (ChannelInfo ci : v.channels()) {
                    channels.add(new ObservedChannel(ci.channo(), true, ci.spanno(), ci.chanpos(), ci.sigtype()));
                }
            }
        }
        List<String> diffs = KernelSettingsCheck.compare(config, spans, channels);
        if (!diffs.isEmpty()) {
            throw new IOException("DAHDI's configuration differs from " + config.source() + ":\n  "
                    + String.join("\n  ", diffs));
        }
    }

    private static ExchangeConfig exchangeConfig(SimConfig sim, SpanType type, Map<PriTimer, Integer> timers) {
        Map<String, TestLine> plan = new LinkedHashMap<>();
        plan.put(sim.milliwatt(), TestLine.MILLIWATT);
        plan.put(sim.loop(), TestLine.LOOPBACK);
        plan.put(sim.busy(), TestLine.BUSY);
        plan.put(sim.unallocated(), TestLine.UNALLOCATED);
        plan.put(sim.congestion(), TestLine.CONGESTION);
        plan.put(sim.noAnswer(), TestLine.NO_ANSWER);
        ExchangeConfig defaults = ExchangeConfig.defaults(type);
        return new ExchangeConfig(plan, defaults.switchType(), timers);
    }

    private CallControl.SimControls simControls() {
        return new CallControl.SimControls() {
            @Override
            public String originate(String from, String to) throws ControlException {
                SimExchange ex = exchanges.values().stream().findFirst()
                        .orElseThrow(() -> new ControlException("no span is wired to the simulated exchange"));
                ex.originate(from, to, ChannelId.ANY);
                return "exchange on span " + exchanges.keySet().iterator().next() + " calls " + to + " from " + from;
            }

            @Override
            public void alarm(int span, boolean red) throws ControlException {
                if (config.span(span).isEmpty()) {
                    throw new ControlException("no span " + span);
                }
                if (red) {
                    card.raiseAlarm(span, SpanAlarms.RED);
                } else {
                    card.clearAlarms(span);
                }
            }

            @Override
            public void breakChannel(int span, int chanpos, boolean broken) {
                card.setBroken(span, chanpos, broken);
            }
        };
    }

    // ------------------------------------------------------------------ SIP and SNMP settings

    /** Scanner User-Agents, locked-out guessers and sources over their rate get no answer (docs/SECURITY.md). */
    private RequestGate requestGate(SipSettings settings) {
        org.tandem.gateway.sip.LiveTrunks atStart = new org.tandem.gateway.sip.LiveTrunks(settings.trunks());
        java.util.function.Predicate<java.net.InetAddress> trusted = a -> (sip != null ? sip.trunks() : atStart).trusts(a);
        return new RequestGate(registrar == null ? null : registrar.lockout(), config.sip().dropUserAgents(),
                new SourceRateLimit(config.sip().sourceRateLimit(), trusted, System::nanoTime),
                overload == null ? null : overload.control());
    }

    private SipSettings sipSettings() {
        SipConfig s = config.sip();
        Set<String> transports = new LinkedHashSet<>();
        for (SipConfig.Transport t : s.transports()) {
            transports.add(t.token());
        }
        int expires = options.sessionExpiresS() > 0 ? options.sessionExpiresS() : s.sessionExpiresS();
        int minSe = options.minSeS() > 0 ? options.minSeS() : s.minSeS();
        // Trust comes from the [trunk] sections only (the shipped file trusts loopback there), so
        // what an operator reads in the INI is all that reaches the PSTN.
        return new SipSettings(s.listen().host(), s.listen().port(), transports, s.userAgent(), s.dscp(), 4, 5000,
                5000, expires, minSe, false, new ArrayList<>(CallControl.sipTrunks(config).values()), Map.of(),
                config.general().name(), tlsSettings(s.tls()),
                org.tandem.gateway.sip.TcpLimits.of(s.tcp()));
    }

    /** [sip] tls_*, or null without tls_listen; a handshake gets 5 s each way (not a key yet). */
    static TlsSettings tlsSettings(TlsConfig t) {
        if (t == null) {
            return null;
        }
        TlsSettings.ClientCertificates clients = switch (t.verifyClients() == null ? TlsConfig.VerifyClients.NONE
                : t.verifyClients()) {
            case NONE -> TlsSettings.ClientCertificates.NONE;
            case OPTIONAL -> TlsSettings.ClientCertificates.OPTIONAL;
            case REQUIRED -> TlsSettings.ClientCertificates.REQUIRED;
        };
        return new TlsSettings(t.listen().host(), t.listen().port(), t.certificate(), t.key(), t.ca(), clients, 5000);
    }

    /**
     * With {@code [user NAME]} sections: the registrar thread, its bindings restored before SIP
     * listens; closed (final save) after SIP stops, being started before it.
     */
    private void startRegistrar() throws IOException, InterruptedException {
        if (config.users().isEmpty()) {
            return;
        }
        registrar = new RegistrarService(config, home(config.registrar().bindingsFile()), System::currentTimeMillis);
        started.add(registrar);
        registrar.start();
    }

    /**
     * With users and {@code [presence] enabled}: the presence thread, reading the ops model's and
     * the registrar's snapshots; its ticks start once SIP can send its NOTIFYs, and it is closed
     * after SIP stops.
     */
    private void startPresence() {
        if (registrar == null || !config.presence().enabled()) {
            return;
        }
        presence = new PresenceService(config.presence(), registrar.newAuthenticator(), registrar.lockout(),
                registrar.users(), model::snapshot, registrar::snapshot, System::currentTimeMillis);
        started.add(presence);
    }

    private void startSnmp() throws IOException {
        SnmpConfig s = config.snmp();
        if (!s.enabled()) {
            LOG.info("SNMP agent off ([snmp] enabled = no, or nobody could query it)");
            return;
        }
        SnmpAgentSettings settings = SnmpSettingsMapper.map(s, config.general().name(),
                home(Path.of("var/snmp-engine-boots")));
        snmp = new TandemSnmpAgent(settings, model, Main.class.getPackage().getImplementationVersion() == null
                ? "dev" : Main.class.getPackage().getImplementationVersion(), registrar);
        snmp.start();
        started.add(snmp);
    }

    // ------------------------------------------------------------------ state

    private boolean waitForSpans(long waitMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        while (true) {
            try {
                if (control.allSpansUp().get(1, TimeUnit.SECONDS)) {
                    return true;
                }
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("call control did not answer: {}", e.toString());
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(50);
        }
    }

    private String readyLine(boolean spansUp) {
        SipConfig s = config.sip();
        StringBuilder b = new StringBuilder("Tandem ready: SIP ");
        List<String> t = new ArrayList<>();
        for (SipConfig.Transport tr : s.transports()) {
            t.add(tr.token());
        }
        b.append(String.join("+", t)).append(' ').append(s.listen()).append(", RTP ")
                .append(config.rtp().ports()).append(", spans ");
        List<String> spans = new ArrayList<>();
        for (SpanConfig sc : config.spans()) {
            spans.add(sc.number() + " (" + sc.type().token().toUpperCase(java.util.Locale.ROOT) + " "
                    + sc.signalling().token() + " " + config.general().backend().token() + ")");
        }
        b.append(String.join(", ", spans));
        b.append(spansUp ? ", D-channels up" : ", D-channels NOT all up yet");
        if (snmp != null) {
            b.append(", SNMP ").append(config.snmp().listen());
        }
        b.append(", CDRs ").append(home(config.cdr().dir()));
        if (registrar != null) {
            b.append(", registrar ").append(config.users().size()).append(" user(s)");
        }
        return b.toString();
    }

    /** The ready line logged at start (also for tests). */
    public String readyLine() {
        return readyLine;
    }

    public GatewayConfig config() {
        return config;
    }

    public GatewayModel model() {
        return model;
    }

    /** The operator's control interface (console server, tests). */
    public GatewayControl control() {
        return control;
    }

    public CallControl callControl() {
        return control;
    }

    /** The registrar, or null when no {@code [user NAME]} is configured. */
    public RegistrarService registrar() {
        return registrar;
    }

    /** The presence thread, or null when it does not run (no users, or [presence] enabled = no). */
    public PresenceService presence() {
        return presence;
    }

    /** The SIP side (its request gate's counters, legs). */
    public SipUserAgent sip() {
        return sip;
    }

    public CdrWriter cdrWriter() {
        return cdr;
    }

    public MediaEngine media() {
        return media;
    }

    /** The simulated card, or null with DAHDI. */
    public SimulatedCard simCard() {
        return card;
    }

    /** The simulated exchange on a span, or null. */
    public SimExchange exchange(int span) {
        return exchanges.get(span);
    }

    private static SpanType spanType(SpanConfig s) {
        return s.type() == SpanConfig.Type.T1 ? SpanType.T1 : SpanType.E1;
    }

    private static SpanDefinition spanDefinition(SpanConfig s) {
        LineType lt = switch (s.framing()) {
            case ESF -> LineType.DSX1_ESF;
            case D4 -> LineType.DSX1_D4;
            default -> s.crc4() ? LineType.E1_CRC : LineType.E1;
        };
        LineCoding lc = switch (s.coding()) {
            case HDB3 -> LineCoding.HDB3;
            case AMI -> LineCoding.AMI;
            case B8ZS -> LineCoding.B8ZS;
        };
        return new SpanDefinition(s.number(), "span" + s.number(), lt, lc, s.signalling().token(),
                s.bchannels().stream().boxed().toList());
    }

    /** A path from the configuration, relative to the Tandem home ({@code tandem.home}). */
    static Path home(Path p) {
        if (p.isAbsolute()) {
            return p;
        }
        String h = System.getProperty("tandem.home");
        return h == null ? p.toAbsolutePath() : Path.of(h).resolve(p);
    }

    // ------------------------------------------------------------------ shutdown

    /**
     * Graceful stop: new calls refused (SIP 503, PRI cause 41), active calls released with cause 41
     * (PRI DISCONNECT; SIP BYE with {@code Reason: Q.850;cause=41}), CDRs flushed, then every
     * component closed in reverse order of start.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("Tandem stopping: refusing new calls, releasing active calls");
        if (model != null) {
            model.setGatewayState(GatewayState.STOPPING);
        }
        if (sip != null) {
            sip.beginShutdown();
        }
        if (control != null) {
            try {
                control.drain(Q850Cause.TEMPORARY_FAILURE).get(options.drainTimeoutMs(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warn("calls still not released after {} ms; stopping anyway", options.drainTimeoutMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                LOG.warn("draining calls failed: {}", e.getCause().toString());
            }
        }
        stopAll();
        LOG.info("Tandem stopped");
    }

    private void stopAll() {
        for (int i = started.size() - 1; i >= 0; i--) {
            AutoCloseable c = started.get(i);
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", c, e.toString());
            }
        }
        started.clear();
    }
}
