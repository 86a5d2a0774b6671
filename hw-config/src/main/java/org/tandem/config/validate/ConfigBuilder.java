package org.tandem.config.validate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.tandem.config.CauseMapConfig;
import org.tandem.config.CdrConfig;
import org.tandem.config.ChannelGroupConfig;
import org.tandem.config.ChannelSet;
import org.tandem.config.ConfigError;
import org.tandem.config.ConsoleConfig;
import org.tandem.config.OverloadConfig;
import org.tandem.config.DahdiConfig;
import org.tandem.config.GatewayConfig;
import org.tandem.config.GeneralConfig;
import org.tandem.config.Location;
import org.tandem.config.NumberRewrite;
import org.tandem.config.PresenceConfig;
import org.tandem.config.RegistrarConfig;
import org.tandem.config.RouteConfig;
import org.tandem.config.RtpConfig;
import org.tandem.config.SimConfig;
import org.tandem.config.SipConfig;
import org.tandem.config.SnmpConfig;
import org.tandem.config.SpanConfig;
import org.tandem.config.HostPort;
import org.tandem.config.MetricsConfig;
import org.tandem.config.TlsConfig;
import org.tandem.config.TrunkConfig;
import org.tandem.config.UserConfig;
import org.tandem.config.ini.IniDocument;
import org.tandem.config.ini.IniSection;

/**
 * Turns an {@link IniDocument} into a {@link GatewayConfig}: sorts sections into their kinds,
 * reads every key through the {@link Schema}, fills defaults, then runs the {@link CrossChecks}.
 * Errors go to {@link Problems}; the result is only meaningful when there are none.
 */
public final class ConfigBuilder {
    private final IniDocument doc;
    private final ValueContext ctx;
    private final Problems problems;
    private final Predicate<Path> deviceExists;
    private final Location fileLocation;
    private final Map<String, SectionReader> singletons = new HashMap<>();
    private final Map<String, List<Named>> named = new LinkedHashMap<>();

    /** A named section with its reader and NAME (an Integer for spans, a String otherwise). */
    record Named(Object name, SectionReader reader) {
    }

    public ConfigBuilder(IniDocument doc, ValueContext ctx, Problems problems,
            Predicate<Path> deviceExists) {
        this.doc = doc;
        this.ctx = ctx;
        this.problems = problems;
        this.deviceExists = deviceExists;
        this.fileLocation = Location.file(doc.source(), 0);
    }

    public GatewayConfig build() {
        classify();
        GeneralConfig general = general();
        DahdiConfig dahdi = dahdi();
        SipConfig sip = sip();
        RtpConfig rtp = rtp();
        Map<String, CauseMapConfig> causes = causeMaps();
        List<SpanConfig> spans = spans();
        Map<String, ChannelGroupConfig> groups = groups(spans);
        Map<String, TrunkConfig> trunks = trunks();
        List<RouteConfig> routes = routes();
        SnmpConfig snmp = snmp();
        CdrConfig cdr = new CdrConfig(single("cdr").get(Schema.Cdr.DIR), single("cdr").get(Schema.Cdr.FORMAT));
        SimConfig sim = sim(spans);
        ConsoleConfig console = new ConsoleConfig(single("console").get(Schema.Console.SOCKET));
        RegistrarConfig registrar = registrar(sip);
        Map<String, UserConfig> users = users();
        GatewayConfig config = new GatewayConfig(doc.source(), general, dahdi, sip, rtp, spans, groups,
                trunks, routes, causes, snmp, cdr, sim, console, registrar, users, presence(), overload(),
                new MetricsConfig(single("metrics").get(Schema.Metrics.LISTEN)));
        new CrossChecks(config, this, problems, deviceExists).run();
        warnNotActedOn();
        return config;
    }

    // ---- sections -------------------------------------------------------------------------

    private void classify() {
        Map<String, Location> seen = new HashMap<>();
        List<String> known = new ArrayList<>();
        for (SectionSpec s : Schema.SECTIONS) {
            known.add(s.kind());
        }
        for (IniSection section : doc.sections()) {
            String name = section.name();
            if (name.equals(IniSection.GLOBAL)) {
                for (var e : section.entries()) {
                    problems.add(e.location(), null, e.key(), "key outside any section",
                            "keys below a [section] header");
                }
                continue;
            }
            Location first = seen.putIfAbsent(name, section.location());
            if (first != null) {
                problems.add(section.location(), name, null, "section is given twice (first at " + first
                        + "); merge them into one", null);
                continue;
            }
            String[] parts = name.split("\\s+", 2);
            Optional<SectionSpec> spec = Schema.section(parts[0]);
            if (spec.isEmpty()) {
                String near = Suggest.nearest(parts[0], known);
                problems.add(new ConfigError(section.location(), name, null, "unknown section",
                        String.join(", ", Schema.SECTIONS.stream().map(SectionSpec::header).toList()),
                        near == null ? null : Schema.section(near).get().named() && parts.length > 1
                                ? near + " " + parts[1] : near));
                continue;
            }
            SectionSpec s = spec.get();
            if (!s.named()) {
                if (parts.length > 1) {
                    problems.add(section.location(), name, null, "[" + s.kind() + "] takes no name",
                            s.header());
                    continue;
                }
                singletons.put(s.kind(), new SectionReader(section, name, fileLocation, s, ctx, problems));
                continue;
            }
            if (parts.length < 2) {
                problems.add(section.location(), name, null, "section needs a "
                        + (s.kind().equals("span") ? "number" : "name"), s.header() + ", NAME "
                        + s.nameType().accepted());
                continue;
            }
            Object n;
            try {
                n = s.nameType().parse(parts[1].strip(), ctx);
            } catch (BadValue bad) {
                problems.add(section.location(), name, null, "section name " + bad.getMessage(),
                        s.header() + " with " + s.nameType().accepted());
                continue;
            }
            named.computeIfAbsent(s.kind(), k -> new ArrayList<>())
                    .add(new Named(n, new SectionReader(section, name, fileLocation, s, ctx, problems)));
        }
    }

    /** The reader of a singleton section; an empty one (all defaults) when the file has none. */
    SectionReader single(String kind) {
        return singletons.computeIfAbsent(kind, k -> new SectionReader(null, kind, fileLocation,
                Schema.section(kind).orElseThrow(), ctx, problems));
    }

    List<Named> all(String kind) {
        return named.getOrDefault(kind, List.of());
    }

    /** The reader of {@code [kind name]}, if present. */
    Optional<SectionReader> find(String kind, Object name) {
        return all(kind).stream().filter(n -> n.name().equals(name)).map(Named::reader).findFirst();
    }

    /** Warns about every key of {@link Schema#NOT_ACTED_ON} set to other than its default. */
    private void warnNotActedOn() {
        List<SectionReader> readers = new ArrayList<>(singletons.values());
        named.values().forEach(list -> list.forEach(n -> readers.add(n.reader())));
        readers.sort(Comparator.comparingInt(r -> r.sectionLocation().line()));
        for (SectionReader r : readers) {
            Schema.NOT_ACTED_ON.forEach((key, instead) -> {
                if (r.spec().key(key.name()).orElse(null) == key && r.differsFromDefault(key)) {
                    r.warn(key.name(), "accepted but not acted on yet: " + instead, null);
                }
            });
        }
    }

    // ---- singleton sections ---------------------------------------------------------------

    private GeneralConfig general() {
        SectionReader r = single("general");
        return new GeneralConfig(r.get(Schema.General.NAME), r.get(Schema.General.BACKEND),
                r.get(Schema.General.LOG_DIR));
    }

    private DahdiConfig dahdi() {
        SectionReader r = single("dahdi");
        return new DahdiConfig(r.get(Schema.Dahdi.DEVICE_DIR), r.get(Schema.Dahdi.TONEZONE),
                r.get(Schema.Dahdi.DCHANNEL_MODE));
    }

    private SipConfig sip() {
        SectionReader r = single("sip");
        List<SipConfig.Transport> transports = r.get(Schema.Sip.TRANSPORTS);
        return new SipConfig(r.get(Schema.Sip.LISTEN),
                transports == null ? null : transports.stream().distinct().toList(),
                r.get(Schema.Sip.USER_AGENT), orZero(r.get(Schema.Sip.T1)), orZero(r.get(Schema.Sip.T2)),
                orZero(r.get(Schema.Sip.T4)), orZero(r.get(Schema.Sip.SESSION_EXPIRES)),
                orZero(r.get(Schema.Sip.MIN_SE)), orZero(r.get(Schema.Sip.DSCP)),
                r.get(Schema.Sip.DROP_USER_AGENTS) == null ? List.of() : r.get(Schema.Sip.DROP_USER_AGENTS),
                orZero(r.get(Schema.Sip.SOURCE_RATE_LIMIT)), tls(r),
                new SipConfig.TcpBounds(orZero(r.get(Schema.Sip.TCP_MAX_PER_SOURCE)),
                        orZero(r.get(Schema.Sip.TCP_MAX_CONNECTIONS)), orZero(r.get(Schema.Sip.TCP_IDLE_TIMEOUT)),
                        orZero(r.get(Schema.Sip.TCP_MESSAGE_TIMEOUT))));
    }

    /** Null without tls_listen; CrossChecks reports the TLS keys that need it or each other. */
    private static TlsConfig tls(SectionReader r) {
        HostPort listen = r.get(Schema.Sip.TLS_LISTEN);
        if (listen == null) {
            return null;
        }
        return new TlsConfig(listen, r.get(Schema.Sip.TLS_CERTIFICATE), r.get(Schema.Sip.TLS_KEY),
                r.get(Schema.Sip.TLS_CA), r.get(Schema.Sip.TLS_VERIFY_CLIENTS));
    }

    private RtpConfig rtp() {
        SectionReader r = single("rtp");
        return new RtpConfig(r.get(Schema.Rtp.PORTS), orZero(r.get(Schema.Rtp.PTIME)),
                orZero(r.get(Schema.Rtp.JITTER_MIN)), orZero(r.get(Schema.Rtp.JITTER_MAX)),
                orZero(r.get(Schema.Rtp.DSCP)), orZero(r.get(Schema.Rtp.MEDIA_AGENTS)));
    }

    private SnmpConfig snmp() {
        SectionReader r = single("snmp");
        List<SnmpConfig.User> users = new ArrayList<>();
        for (Named n : all("snmp-user")) {
            SectionReader u = n.reader();
            users.add(new SnmpConfig.User((String) n.name(), u.get(Schema.SnmpUser.AUTH),
                    u.get(Schema.SnmpUser.AUTH_KEY), u.get(Schema.SnmpUser.PRIV),
                    u.get(Schema.SnmpUser.PRIV_KEY)));
        }
        List<SnmpConfig.TrapTarget> traps = new ArrayList<>();
        for (Named n : all("snmp-trap")) {
            SectionReader t = n.reader();
            var community = t.get(Schema.SnmpTrap.COMMUNITY);
            traps.add(new SnmpConfig.TrapTarget((String) n.name(), t.get(Schema.SnmpTrap.TARGET),
                    t.get(Schema.SnmpTrap.VERSION),
                    community != null ? community : r.get(Schema.Snmp.COMMUNITY),
                    t.get(Schema.SnmpTrap.USER)));
        }
        boolean enabled = r.isSet(Schema.Snmp.ENABLED) ? Boolean.TRUE.equals(r.get(Schema.Snmp.ENABLED))
                : r.isSet(Schema.Snmp.COMMUNITY) || !users.isEmpty();
        return new SnmpConfig(enabled, r.get(Schema.Snmp.LISTEN),
                r.get(Schema.Snmp.COMMUNITY), r.get(Schema.Snmp.LOCATION), r.get(Schema.Snmp.CONTACT),
                List.copyOf(users), List.copyOf(traps));
    }

    /** {@code [registrar]}; domains default to the {@code [sip] listen} host, the realm to the first domain. */
    private RegistrarConfig registrar(SipConfig sip) {
        SectionReader r = single("registrar");
        List<String> domains = r.isSet(Schema.Registrar.DOMAINS) ? r.get(Schema.Registrar.DOMAINS)
                : sip.listen() == null ? List.of() : List.of(sip.listen().host());
        domains = domains == null ? List.of() : domains.stream().distinct().toList();
        String realm = r.isSet(Schema.Registrar.REALM) ? r.get(Schema.Registrar.REALM)
                : domains.isEmpty() ? null : domains.get(0);
        List<RegistrarConfig.DigestAlgorithm> algorithms = r.get(Schema.Registrar.ALGORITHMS);
        return new RegistrarConfig(domains, realm, orZero(r.get(Schema.Registrar.MIN_EXPIRES)),
                orZero(r.get(Schema.Registrar.MAX_EXPIRES)), orZero(r.get(Schema.Registrar.DEFAULT_EXPIRES)),
                r.get(Schema.Registrar.BINDINGS_FILE),
                algorithms == null ? null : algorithms.stream().distinct().toList(),
                new RegistrarConfig.Lockout(orZero(r.get(Schema.Registrar.LOCKOUT_FAILURES)),
                        orZero(r.get(Schema.Registrar.LOCKOUT_WINDOW)), orZero(r.get(Schema.Registrar.LOCKOUT_BAN))));
    }

    /** {@code [overload]}: shedding of new INVITEs past capacity (docs/SECURITY.md). */
    private OverloadConfig overload() {
        SectionReader r = single("overload");
        return new OverloadConfig(Boolean.TRUE.equals(r.get(Schema.Overload.ENABLED)),
                orZero(r.get(Schema.Overload.QUEUE_LATENCY)), orZero(r.get(Schema.Overload.QUEUE_DEPTH)),
                orZero(r.get(Schema.Overload.CPU)), orZero(r.get(Schema.Overload.CHANNELS_BUSY)),
                orZero(r.get(Schema.Overload.LEAVE)), orZero(r.get(Schema.Overload.RETRY_AFTER)));
    }

    /** {@code [presence]}: SUBSCRIBE/NOTIFY for the users (docs/PRESENCE.md). */
    private PresenceConfig presence() {
        SectionReader r = single("presence");
        return new PresenceConfig(Boolean.TRUE.equals(r.get(Schema.Presence.ENABLED)),
                orZero(r.get(Schema.Presence.MIN_EXPIRES)), orZero(r.get(Schema.Presence.MAX_EXPIRES)),
                orZero(r.get(Schema.Presence.DEFAULT_EXPIRES)), orZero(r.get(Schema.Presence.MAX_SUBSCRIPTIONS)),
                orZero(r.get(Schema.Presence.MAX_PER_USER)));
    }

    private Map<String, UserConfig> users() {
        Map<String, UserConfig> out = new LinkedHashMap<>();
        for (Named n : all("user")) {
            String name = (String) n.name();
            SectionReader r = n.reader();
            List<String> numbers = r.get(Schema.User.NUMBERS);
            out.put(name, new UserConfig(name, r.get(Schema.User.PASSWORD),
                    numbers == null ? List.of() : numbers, r.get(Schema.User.FORK),
                    orZero(r.get(Schema.User.RING_TIME)), orZero(r.get(Schema.User.MAX_CONTACTS))));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private SimConfig sim(List<SpanConfig> spans) {
        SectionReader r = single("sim");
        List<Integer> simSpans = r.isSet(Schema.Sim.SPANS) ? r.get(Schema.Sim.SPANS)
                : spans.stream().map(SpanConfig::number).toList();
        return new SimConfig(simSpans == null ? List.of() : simSpans, r.get(Schema.Sim.LOOP),
                r.get(Schema.Sim.MILLIWATT), r.get(Schema.Sim.BUSY), r.get(Schema.Sim.UNALLOCATED),
                r.get(Schema.Sim.CONGESTION), r.get(Schema.Sim.NOANSWER), r.get(Schema.Sim.ORIGINATE_FROM));
    }

    // ---- named sections -------------------------------------------------------------------

    /**
     * Spans by number. DAHDI numbers channels across all spans in span order, so a span's first
     * channel follows the previous span's last one; after a span number the file skips (spans of
     * another card, say) it cannot be known and {@code first_channel} must say it.
     */
    private List<SpanConfig> spans() {
        List<Named> list = new ArrayList<>(all("span"));
        list.sort(Comparator.comparing(n -> (Integer) n.name()));
        List<SpanConfig> out = new ArrayList<>();
        int nextChannel = 1;
        int previous = 0;
        for (Named n : list) {
            int number = (Integer) n.name();
            SectionReader r = n.reader();
            SpanConfig.Type type = r.get(Schema.Span.TYPE);
            boolean t1 = type == SpanConfig.Type.T1;
            int firstChannel = firstChannel(r, number, previous, nextChannel);
            nextChannel = firstChannel + (type == null ? SpanConfig.Type.E1 : type).timeslots();
            previous = number;
            out.add(new SpanConfig(number, type,
                    orDefault(r, Schema.Span.FRAMING, t1 ? SpanConfig.Framing.ESF : SpanConfig.Framing.CCS),
                    orDefault(r, Schema.Span.CODING, t1 ? SpanConfig.LineCoding.B8ZS : SpanConfig.LineCoding.HDB3),
                    orDefault(r, Schema.Span.CRC4, !t1),
                    orDefault(r, Schema.Span.TIMING, number),
                    orZero(r.get(Schema.Span.LBO)),
                    orDefault(r, Schema.Span.BCHANNELS, t1 ? ChannelSet.range(1, 23)
                            : ChannelSet.of(concat(ChannelSet.range(1, 15), ChannelSet.range(17, 31)))),
                    orDefault(r, Schema.Span.DCHANNEL, t1 ? 24 : 16),
                    r.get(Schema.Span.SIGNALLING),
                    orDefault(r, Schema.Span.SWITCHTYPE, t1 ? SpanConfig.SwitchType.NI2
                            : SpanConfig.SwitchType.EUROISDN),
                    orDefault(r, Schema.Span.LAW, t1 ? SpanConfig.Law.ULAW : SpanConfig.Law.ALAW),
                    r.get(Schema.Span.ECHOCANCELLER),
                    r.get(Schema.Span.ECHOCANCELLER) == SpanConfig.EchoCanceller.NONE ? 0
                            : orZero(r.get(Schema.Span.ECHO_TAIL)),
                    r.get(Schema.Span.GROUP), firstChannel,
                    Boolean.TRUE.equals(r.get(Schema.Span.SUPPLEMENTARY_SERVICES)),
                    Boolean.TRUE.equals(r.get(Schema.Span.HOLD)),
                    orZero(r.get(Schema.Span.OVERLAP_SEND_DIGITS))));
        }
        return List.copyOf(out);
    }

    /** {@code first_channel} as given, or right after the previous span; reports what cannot be. */
    private static int firstChannel(SectionReader r, int number, int previous, int nextChannel) {
        String key = Schema.Span.FIRST_CHANNEL.name();
        if (number == previous) {
            r.error("span number " + number + " is used twice (also by an earlier [span] header)",
                    "each span number once");
            return nextChannel;
        }
        Integer given = r.isSet(Schema.Span.FIRST_CHANNEL) ? r.get(Schema.Span.FIRST_CHANNEL) : null;
        if (given != null) {
            if (given < nextChannel) {
                r.error(key, "channel " + given + " is already span " + previous + "'s (its channels end at "
                        + (nextChannel - 1) + "); DAHDI gives each span its own channels, in span order",
                        "first_channel = " + nextChannel + " or higher, or leave it out");
            }
            return given;
        }
        if (number != previous + 1) {
            boolean one = previous + 1 == number - 1;
            String missing = one ? "span " + (number - 1) : "spans " + (previous + 1) + "-" + (number - 1);
            r.error((previous == 0 ? "span " + number + " is the first span" : "span " + number
                    + " follows span " + previous) + ", but " + missing + (one ? " is" : " are") + " not configured: DAHDI numbers"
                    + " channels across all spans in order, so where span " + number + "'s channels start"
                    + " depends on spans this file does not describe",
                    (one ? "a [span " + (number - 1) + "] section" : "[span " + (previous + 1) + "] to [span "
                            + (number - 1) + "] sections") + ", or first_channel = DAHDI's channel number of"
                    + " span " + number + " timeslot 1 (dahdi_scan or /proc/dahdi/" + number + " shows it;"
                    + " 1 + 31 per E1 and 24 per T1 span before it)");
        }
        return nextChannel;
    }

    private static int[] concat(ChannelSet a, ChannelSet b) {
        return java.util.stream.IntStream.concat(a.stream(), b.stream()).toArray();
    }

    private Map<String, ChannelGroupConfig> groups(List<SpanConfig> spans) {
        Map<String, ChannelGroupConfig> out = new LinkedHashMap<>();
        for (Named n : all("group")) {
            String name = (String) n.name();
            SectionReader r = n.reader();
            out.put(name, new ChannelGroupConfig(name, r.get(Schema.Group.HUNTING),
                    orZero(r.get(Schema.Group.MIN_DIGITS)), orZero(r.get(Schema.Group.INTERDIGIT)),
                    r.get(Schema.Group.CAUSES), orZero(r.get(Schema.Group.FAULT_LIMIT)),
                    orZero(r.get(Schema.Group.FAULT_RETRY)),
                    spans.stream().filter(s -> name.equals(s.group())).map(SpanConfig::number).toList()));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private Map<String, TrunkConfig> trunks() {
        Map<String, TrunkConfig> out = new LinkedHashMap<>();
        for (Named n : all("trunk")) {
            String name = (String) n.name();
            SectionReader r = n.reader();
            var trusted = r.get(Schema.Trunk.TRUSTED);
            out.put(name, new TrunkConfig(name, r.get(Schema.Trunk.HOST), orZero(r.get(Schema.Trunk.PORT)),
                    r.get(Schema.Trunk.TRANSPORT), Boolean.TRUE.equals(r.get(Schema.Trunk.REGISTER)),
                    orZero(r.get(Schema.Trunk.REGISTER_EXPIRES)), r.get(Schema.Trunk.USERNAME),
                    r.get(Schema.Trunk.PASSWORD), r.get(Schema.Trunk.REALM),
                    trusted == null ? List.of() : trusted, r.get(Schema.Trunk.CAUSES),
                    r.get(Schema.Trunk.REDIRECTS), orZero(r.get(Schema.Trunk.MAX_REDIRECTS)),
                    r.get(Schema.Trunk.REDIRECTION_HEADERS), r.get(Schema.Trunk.PRACK),
                    !Boolean.FALSE.equals(r.get(Schema.Trunk.TLS_VERIFY)), r.get(Schema.Trunk.TLS_SERVER_NAME),
                    Boolean.TRUE.equals(r.get(Schema.Trunk.SIPS)), r.get(Schema.Trunk.SRTP)));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private List<RouteConfig> routes() {
        List<RouteConfig> out = new ArrayList<>();
        for (Named n : all("route")) {
            SectionReader r = n.reader();
            List<Integer> causes = r.get(Schema.Route.FAILOVER_CAUSES);
            List<String> fromTrunk = r.get(Schema.Route.FROM_TRUNK);
            List<String> fromGroup = r.get(Schema.Route.FROM_GROUP);
            var failover = r.get(Schema.Route.FAILOVER);
            out.add(new RouteConfig((String) n.name(), r.get(Schema.Route.DIRECTION),
                    orZero(r.get(Schema.Route.PRIORITY)), r.get(Schema.Route.MATCH_CALLED),
                    r.get(Schema.Route.MATCH_CALLING), fromTrunk == null ? List.of() : fromTrunk,
                    fromGroup == null ? List.of() : fromGroup,
                    rewrite(r, Schema.Route.REPLACE_CALLED, Schema.Route.STRIP_CALLED,
                            Schema.Route.PREFIX_CALLED, Schema.Route.CALLED_TON, Schema.Route.CALLED_NPI),
                    rewrite(r, Schema.Route.REPLACE_CALLING, Schema.Route.STRIP_CALLING,
                            Schema.Route.PREFIX_CALLING, Schema.Route.CALLING_TON, Schema.Route.CALLING_NPI),
                    r.get(Schema.Route.TARGET), failover == null ? List.of() : failover,
                    causes == null ? Set.of() : Set.copyOf(causes), r.get(Schema.Route.REDIRECT)));
        }
        // Stable: equal priorities keep file order.
        out.sort(Comparator.comparing((RouteConfig c) -> c.direction() == null ? 9 : c.direction().ordinal())
                .thenComparingInt(RouteConfig::priority));
        return List.copyOf(out);
    }

    private static NumberRewrite rewrite(SectionReader r, Key<NumberRewrite> replace, Key<Integer> strip,
            Key<String> prefix, Key<NumberRewrite.TypeOfNumber> ton, Key<NumberRewrite.NumberingPlan> npi) {
        NumberRewrite re = r.get(replace);
        String p = r.get(prefix);
        return new NumberRewrite(re == null ? null : re.replace(), re == null ? null : re.replacement(),
                orZero(r.get(strip)), p == null ? "" : p, r.get(ton), r.get(npi));
    }

    private Map<String, CauseMapConfig> causeMaps() {
        Map<String, CauseMapConfig> out = new LinkedHashMap<>();
        for (Named n : all("causes")) {
            SectionReader r = n.reader();
            Map<Integer, Integer> q850 = new LinkedHashMap<>();
            r.getAll(Schema.Causes.Q850_TO_SIP).forEach((k, v) -> {
                int cause = Integer.parseInt(k.substring("q850.".length()));
                if (cause > 127) {
                    r.error(k, "Q.850 cause " + cause + " is outside 1-127", "q850.N with N 1-127");
                } else {
                    q850.put(cause, v);
                }
            });
            Map<Integer, Integer> sip = new LinkedHashMap<>();
            r.getAll(Schema.Causes.SIP_TO_Q850).forEach((k, v) ->
                    sip.put(Integer.parseInt(k.substring("sip.".length())), v));
            out.put((String) n.name(), new CauseMapConfig((String) n.name(), Map.copyOf(q850), Map.copyOf(sip)));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private static <T> T orDefault(SectionReader r, Key<T> key, T fallback) {
        if (!r.isSet(key)) {
            return fallback;
        }
        T v = r.get(key);
        return v == null ? fallback : v;
    }

    private static int orZero(Integer v) {
        return v == null ? 0 : v;
    }
}
