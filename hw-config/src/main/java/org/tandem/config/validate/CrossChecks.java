package org.tandem.config.validate;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.tandem.config.GatewayConfig;
import org.tandem.config.GeneralConfig;
import org.tandem.config.HostPort;
import org.tandem.config.PresenceConfig;
import org.tandem.config.RegistrarConfig;
import org.tandem.config.RouteConfig;
import org.tandem.config.RouteTarget;
import org.tandem.config.SnmpConfig;
import org.tandem.config.SpanConfig;
import org.tandem.config.TrunkConfig;
import org.tandem.config.UserConfig;

/**
 * Rules that involve more than one key: channel plans against the span type, references between
 * sections, port clashes, and whether the chosen backend can run on this machine. Values that
 * were already reported as bad are null here and skipped, so one mistake gives one error.
 */
final class CrossChecks {
    private final GatewayConfig c;
    private final ConfigBuilder sections;
    private final Problems problems;
    private final Predicate<Path> deviceExists;

    CrossChecks(GatewayConfig config, ConfigBuilder sections, Problems problems,
            Predicate<Path> deviceExists) {
        this.c = config;
        this.sections = sections;
        this.problems = problems;
        this.deviceExists = deviceExists;
    }

    void run() {
        backend();
        sip();
        ports();
        mediaAgents();
        metricsPort();
        spans();
        groups();
        trunks();
        new TlsChecks(c, sections).run();
        routes();
        snmp();
        registrar();
        presence();
        users();
        sim();
    }

    private void backend() {
        if (c.general().backend() != GeneralConfig.Backend.DAHDI || c.dahdi().deviceDir() == null) {
            return;
        }
        Path dir = c.dahdi().deviceDir();
        if (!deviceExists.test(dir)) {
            SectionReader r = sections.single("general");
            r.error(Schema.General.BACKEND.name(), "backend is dahdi but " + dir + " does not exist:"
                    + " no DAHDI driver is loaded on this machine",
                    "load the dahdi kernel module and the card's driver; or run on the simulated span"
                            + " with '[general] backend = sim' in the file or --set general.backend=sim");
        }
        if (c.spans().isEmpty()) {
            sections.single("general").error(Schema.General.BACKEND.name(),
                    "backend is dahdi but no [span N] section is configured", "at least one [span N]");
        }
    }

    private void sip() {
        SectionReader r = sections.single("sip");
        var s = c.sip();
        if (s.listen() != null && s.listen().isWildcard()) {
            r.error(Schema.Sip.LISTEN.name(), s.listen().host() + " binds every interface, but the SIP side"
                    + " writes this address into Via and Contact and binds RTP to it, so peers need a"
                    + " concrete one", "this host's address on the SIP network, e.g. 192.0.2.10:"
                    + s.listen().port() + " or 127.0.0.1:" + s.listen().port());
        }
        if (s.t1Ms() > 0 && s.t2Ms() > 0 && s.t2Ms() < s.t1Ms()) {
            r.error(Schema.Sip.T2.name(), "t2_ms " + s.t2Ms() + " is below t1_ms " + s.t1Ms(),
                    "t2_ms >= t1_ms (RFC 3261 17.1.1.2)");
        }
        if (s.sessionExpiresS() > 0 && s.minSeS() > 0 && s.sessionExpiresS() < s.minSeS()) {
            r.error(Schema.Sip.SESSION_EXPIRES.name(), "session_expires_s " + s.sessionExpiresS()
                    + " is below min_se_s " + s.minSeS(), "session_expires_s >= min_se_s (RFC 4028)");
        }
        var tcp = s.tcp();
        if (tcp != null && tcp.maxPerSource() > 0 && tcp.maxConnections() > 0
                && tcp.maxPerSource() > tcp.maxConnections()) {
            r.error(Schema.Sip.TCP_MAX_PER_SOURCE.name(), "tcp_max_connections_per_source " + tcp.maxPerSource()
                    + " is above tcp_max_connections " + tcp.maxConnections() + ": one address could take them all",
                    "tcp_max_connections_per_source <= tcp_max_connections");
        }
        if (s.transports() != null && s.transports().isEmpty()) {
            r.error(Schema.Sip.TRANSPORTS.name(), "no transport to listen on", "udp, tcp or udp,tcp");
        }
        var rtp = c.rtp();
        if (rtp.jitterMinMs() > rtp.jitterMaxMs() && rtp.jitterMaxMs() > 0) {
            sections.single("rtp").error(Schema.Rtp.JITTER_MIN.name(), "jitter_min_ms " + rtp.jitterMinMs()
                    + " is above jitter_max_ms " + rtp.jitterMaxMs(), "jitter_min_ms <= jitter_max_ms");
        }
    }

    private void ports() {
        var ports = c.rtp().ports();
        HostPort sip = c.sip().listen();
        HostPort snmp = c.snmp().enabled() ? c.snmp().listen() : null;
        if (ports != null && sip != null && ports.contains(sip.port())) {
            sections.single("rtp").error(Schema.Rtp.PORTS.name(), "RTP ports " + ports
                    + " include the SIP port " + sip.port() + " of [sip] listen = " + sip,
                    "a range that leaves out " + sip.port());
        }
        if (ports != null && snmp != null && ports.contains(snmp.port())) {
            sections.single("rtp").error(Schema.Rtp.PORTS.name(), "RTP ports " + ports
                    + " include the SNMP port " + snmp.port() + " of [snmp] listen = " + snmp,
                    "a range that leaves out " + snmp.port());
        }
        if (sip != null && snmp != null && sip.port() == snmp.port() && sip.sameHostAs(snmp.host())) {
            sections.single("snmp").error(Schema.Snmp.LISTEN.name(), "SNMP and SIP both want UDP port "
                    + sip.port(), "another port for [snmp] listen");
        }
    }

    /**
     * More media agents than cores is valid (the file may be checked on another machine than the
     * one it runs on) but buys nothing: agents sharing a core take turns, so a warning, not an error.
     */
    private void mediaAgents() {
        int agents = c.rtp().mediaAgents();
        int cores = Runtime.getRuntime().availableProcessors();
        if (agents > cores) {
            sections.single("rtp").warn(Schema.Rtp.MEDIA_AGENTS.name(), "media_agents " + agents
                    + " is more than the " + cores + " core(s) this machine offers: agents sharing a core take"
                    + " turns and add no capacity", "at most " + cores + ", or 0 for one agent per core");
        }
    }

    /** The metrics endpoint (TCP) must not take SIP's TCP or TLS port. */
    private void metricsPort() {
        HostPort m = c.metrics().listen();
        if (m == null) {
            return;
        }
        HostPort sip = c.sip().listen();
        boolean tcp = c.sip().transports() == null
                || c.sip().transports().contains(org.tandem.config.SipConfig.Transport.TCP);
        HostPort tls = c.sip().tls() == null ? null : c.sip().tls().listen();
        for (HostPort taken : new HostPort[] {tcp ? sip : null, tls}) {
            if (taken != null && taken.port() == m.port() && m.sameHostAs(taken.host())) {
                sections.single("metrics").error(Schema.Metrics.LISTEN.name(), "the metrics endpoint and SIP"
                        + " both want TCP port " + m.port() + " ([sip] " + taken + ")",
                        "another port for [metrics] listen, e.g. 9464");
            }
        }
    }

    private void spans() {
        for (SpanConfig s : c.spans()) {
            SectionReader r = sections.find("span", s.number()).orElseThrow();
            if (s.type() == null) {
                continue;
            }
            boolean e1 = s.type() == SpanConfig.Type.E1;
            int max = s.timeslots();
            if (e1 ? s.framing() != SpanConfig.Framing.CCS && s.framing() != SpanConfig.Framing.CAS
                    : s.framing() != SpanConfig.Framing.ESF && s.framing() != SpanConfig.Framing.D4) {
                r.error(Schema.Span.FRAMING.name(), s.framing().token() + " is not " + an(s.type())
                        + " framing", e1 ? "ccs" : "esf, d4");
            } else if (s.framing() == SpanConfig.Framing.CAS) {
                r.error(Schema.Span.FRAMING.name(), "cas framing cannot carry ISDN PRI (the D-channel"
                        + " needs common channel signalling)", "ccs");
            }
            if (e1 ? s.coding() == SpanConfig.LineCoding.B8ZS : s.coding() == SpanConfig.LineCoding.HDB3) {
                r.error(Schema.Span.CODING.name(), s.coding().token() + " is not " + an(s.type())
                        + " line code", e1 ? "hdb3, ami" : "b8zs, ami");
            }
            if (!e1 && r.isSet(Schema.Span.CRC4) && s.crc4()) {
                r.error(Schema.Span.CRC4.name(), "CRC-4 exists on E1 only", "no (or leave it out) on t1");
            }
            if (s.bchannels().max() > max) {
                String outside = s.bchannels().stream().filter(ts -> ts > max)
                        .mapToObj(Integer::toString).collect(Collectors.joining(","));
                r.error(Schema.Span.BCHANNELS.name(), "timeslots " + compress(outside) + " do not exist on "
                        + an(s.type()) + " span" + (!e1 && s.bchannels().max() <= 31
                                ? " (E1 timeslots on a T1 span?)" : ""),
                        "timeslots within 1-" + max + (e1 ? ", usually 1-15,17-31" : ", usually 1-23"));
            }
            if (s.dchannel() > max) {
                r.error(Schema.Span.DCHANNEL.name(), "timeslot " + s.dchannel() + " does not exist on "
                        + an(s.type()) + " span", e1 ? "16" : "24");
            } else if (s.bchannels().contains(s.dchannel())) {
                r.error(Schema.Span.DCHANNEL.name(), "D-channel " + s.dchannel()
                        + " is also listed in bchannels = " + s.bchannels(),
                        "a timeslot outside bchannels (usually " + (e1 ? 16 : 24) + ")");
            }
            if (s.hold() && s.switchType() != SpanConfig.SwitchType.EUROISDN
                    && s.switchType() != SpanConfig.SwitchType.QSIG) {
                r.error(Schema.Span.HOLD.name(), "hold = yes with switchtype = " + s.switchType().token()
                        + ": libpri sends HOLD/RETRIEVE for euroisdn and qsig only",
                        "hold = no, or switchtype = euroisdn / qsig");
            }
            if (s.group() != null && !c.groups().containsKey(s.group())) {
                r.error(Schema.Span.GROUP.name(), "no [group " + s.group() + "] section",
                        names("group", c.groups().keySet()));
            }
        }
    }

    private void groups() {
        for (var g : c.groups().values()) {
            SectionReader r = sections.find("group", g.name()).orElseThrow();
            if (g.spans().isEmpty()) {
                r.error("no span belongs to this group", "group = " + g.name() + " in a [span N] section");
            }
            causesExist(r, g.causes());
        }
    }

    private void trunks() {
        for (TrunkConfig t : c.trunks().values()) {
            SectionReader r = sections.find("trunk", t.name()).orElseThrow();
            if (t.register() && (!r.isSet(Schema.Trunk.USERNAME) || !r.isSet(Schema.Trunk.PASSWORD))) {
                r.error(Schema.Trunk.REGISTER.name(), "register = yes needs username and password",
                        "username and password in this section, or register = no");
            }
            if (t.password() != null && t.username() == null && r.isSet(Schema.Trunk.PASSWORD)) {
                r.error(Schema.Trunk.PASSWORD.name(), "password without username", "username = NAME");
            }
            if (t.srtp() != TrunkConfig.Srtp.OFF && t.transport() != org.tandem.config.SipConfig.Transport.TLS) {
                r.error(Schema.Trunk.SRTP.name(), "srtp = " + t.srtp().token() + " over transport "
                        + t.transport().token() + " would send the SDES keys (RFC 4568 8.3) in the clear",
                        "transport = tls, or srtp = off");
            }
            causesExist(r, t.causes());
        }
    }

    private void causesExist(SectionReader r, String causes) {
        if (causes != null && !c.causeMaps().containsKey(causes)) {
            r.error("causes", "no [causes " + causes + "] section", names("causes", c.causeMaps().keySet()));
        }
    }

    private void routes() {
        for (RouteConfig route : c.routes()) {
            SectionReader r = sections.find("route", route.name()).orElseThrow();
            if (route.target() == null && route.redirect() == null) {
                r.error(Schema.Route.TARGET.name(), "required key is missing (unless redirect is set)",
                        Schema.Route.TARGET.type().accepted());
            }
            if (route.direction() == null) {
                continue;
            }
            boolean toPstn = route.direction() == RouteConfig.Direction.SIP_TO_PSTN;
            if (route.target() != null) {
                target(r, Schema.Route.TARGET.name(), route.target(), toPstn);
            }
            if (route.redirect() != null && !toPstn) {
                r.error(Schema.Route.REDIRECT.name(), "redirect-server mode answers SIP INVITEs: only a"
                        + " sip-to-pstn route can redirect", "direction = sip-to-pstn");
            }
            for (RouteTarget t : route.failover()) {
                target(r, Schema.Route.FAILOVER.name(), t, toPstn);
            }
            for (String trunk : route.fromTrunks()) {
                if (!c.trunks().containsKey(trunk)) {
                    r.error(Schema.Route.FROM_TRUNK.name(), "no [trunk " + trunk + "] section",
                            names("trunk", c.trunks().keySet()));
                }
            }
            for (String group : route.fromGroups()) {
                if (!c.groups().containsKey(group)) {
                    r.error(Schema.Route.FROM_GROUP.name(), "no [group " + group + "] section",
                            names("group", c.groups().keySet()));
                }
            }
            if (toPstn && !route.fromGroups().isEmpty()) {
                r.error(Schema.Route.FROM_GROUP.name(), "a sip-to-pstn route comes from a trunk, not a group",
                        "from_trunk");
            }
            if (!toPstn && !route.fromTrunks().isEmpty()) {
                r.error(Schema.Route.FROM_TRUNK.name(), "a pstn-to-sip route comes from a group, not a trunk",
                        "from_group");
            }
        }
    }

    private void target(SectionReader r, String key, RouteTarget t, boolean toPstn) {
        if (toPstn && t.kind() != RouteTarget.Kind.GROUP) {
            r.error(key, "a sip-to-pstn route must target a channel group, not " + t,
                    "group:NAME with " + names("group", c.groups().keySet()));
        } else if (!toPstn && t.kind() == RouteTarget.Kind.GROUP) {
            r.error(key, "a pstn-to-sip route must target a trunk, a SIP URI or registered users, not " + t,
                    "trunk:NAME, sip:URI, user:NAME or users");
        } else if (t.kind() == RouteTarget.Kind.GROUP && !c.groups().containsKey(t.name())) {
            r.error(key, "no [group " + t.name() + "] section for " + t, names("group", c.groups().keySet()));
        } else if (t.kind() == RouteTarget.Kind.TRUNK && !c.trunks().containsKey(t.name())) {
            r.error(key, "no [trunk " + t.name() + "] section for " + t, names("trunk", c.trunks().keySet()));
        } else if (t.kind() == RouteTarget.Kind.USER && !c.users().containsKey(t.name())) {
            r.error(key, "no [user " + t.name() + "] section for " + t, names("user", c.users().keySet()));
        } else if (t.kind() == RouteTarget.Kind.USERS && c.users().isEmpty()) {
            r.error(key, "'users' rings the registered owner of the called number, but no [user NAME]"
                    + " section is configured", "a [user NAME] with numbers, or trunk:NAME / sip:URI");
        }
    }

    private void snmp() {
        SnmpConfig s = c.snmp();
        SectionReader r = sections.single("snmp");
        if (s.enabled() && s.community() == null && s.users().isEmpty()
                && !r.isSet(Schema.Snmp.COMMUNITY)) {
            r.error(Schema.Snmp.ENABLED.name(), "the agent is enabled but nobody can query it: no"
                    + " community and no [snmp-user NAME]", "community = env:VAR, an [snmp-user NAME]"
                    + " section, or enabled = no");
        }
        for (SnmpConfig.TrapTarget t : s.traps()) {
            SectionReader tr = sections.find("snmp-trap", t.name()).orElseThrow();
            if (t.version() == SnmpConfig.Version.V3) {
                if (t.user() == null) {
                    tr.error(Schema.SnmpTrap.USER.name(), "v3 informs need a user", names("snmp-user",
                            s.users().stream().map(SnmpConfig.User::name).toList()));
                } else if (s.users().stream().noneMatch(u -> u.name().equals(t.user()))) {
                    tr.error(Schema.SnmpTrap.USER.name(), "no [snmp-user " + t.user() + "] section",
                            names("snmp-user", s.users().stream().map(SnmpConfig.User::name).toList()));
                }
            } else if (t.version() == SnmpConfig.Version.V2C && t.community() == null
                    && !tr.isSet(Schema.SnmpTrap.COMMUNITY) && !r.isSet(Schema.Snmp.COMMUNITY)) {
                tr.error(Schema.SnmpTrap.COMMUNITY.name(), "v2c traps need a community",
                        "community here or in [snmp]");
            }
        }
    }

    /** Expiry bounds in order (RFC 3261 10.3 step 7 can only shorten, or refuse with 423). */
    private void registrar() {
        RegistrarConfig g = c.registrar();
        SectionReader r = sections.single("registrar");
        if (g.domains().isEmpty() && r.isSet(Schema.Registrar.DOMAINS)) {
            r.error(Schema.Registrar.DOMAINS.name(), "no domain to serve", "the host names or addresses"
                    + " phones register to, e.g. 192.0.2.10, pbx.example.net");
        }
        String order = "min_expires_s <= default_expires_s <= max_expires_s";
        if (g.minExpiresS() > 0 && g.defaultExpiresS() > 0 && g.minExpiresS() > g.defaultExpiresS()) {
            r.error(Schema.Registrar.MIN_EXPIRES.name(), "min_expires_s " + g.minExpiresS()
                    + " is above default_expires_s " + g.defaultExpiresS(), order);
        }
        if (g.defaultExpiresS() > 0 && g.maxExpiresS() > 0 && g.defaultExpiresS() > g.maxExpiresS()) {
            r.error(Schema.Registrar.DEFAULT_EXPIRES.name(), "default_expires_s " + g.defaultExpiresS()
                    + " is above max_expires_s " + g.maxExpiresS(), order);
        }
        if (g.algorithms() != null && g.algorithms().isEmpty()) {
            r.error(Schema.Registrar.ALGORITHMS.name(), "no digest algorithm to offer", "sha-256,md5, sha-256 or md5");
        }
    }

    /** Expiry bounds in order, as for the registrar. */
    private void presence() {
        PresenceConfig p = c.presence();
        SectionReader r = sections.single("presence");
        String order = "min_expires_s <= default_expires_s <= max_expires_s";
        if (p.minExpiresS() > 0 && p.defaultExpiresS() > 0 && p.minExpiresS() > p.defaultExpiresS()) {
            r.error(Schema.Presence.MIN_EXPIRES.name(), "min_expires_s " + p.minExpiresS()
                    + " is above default_expires_s " + p.defaultExpiresS(), order);
        }
        if (p.defaultExpiresS() > 0 && p.maxExpiresS() > 0 && p.defaultExpiresS() > p.maxExpiresS()) {
            r.error(Schema.Presence.DEFAULT_EXPIRES.name(), "default_expires_s " + p.defaultExpiresS()
                    + " is above max_expires_s " + p.maxExpiresS(), order);
        }
        if (p.maxSubscriptions() > 0 && p.maxSubscriptionsPerUser() > p.maxSubscriptions()) {
            r.error(Schema.Presence.MAX_PER_USER.name(), "max_subscriptions_per_user " + p.maxSubscriptionsPerUser()
                    + " is above max_subscriptions " + p.maxSubscriptions(), "at most max_subscriptions");
        }
    }

    /** A number rings one user: a number owned twice is an error naming both owners. */
    private void users() {
        Map<String, UserConfig> owner = new HashMap<>();
        for (UserConfig u : c.users().values()) {
            SectionReader r = sections.find("user", u.name()).orElseThrow();
            String key = Schema.User.NUMBERS.name();
            java.util.Set<String> own = new java.util.HashSet<>();
            for (String number : u.numbers()) {
                if (!own.add(number)) {
                    r.error(key, "number " + number + " is listed twice", "each number once");
                    continue;
                }
                UserConfig first = owner.putIfAbsent(number, u);
                if (first != null) {
                    r.error(key, "number " + number + " is already owned by [user " + first.name() + "] ("
                            + sections.find("user", first.name()).orElseThrow().locationOf(key)
                            + "); a number rings one user", "numbers no other [user NAME] owns");
                }
            }
        }
        // The To user of a REGISTER may be a user's NAME or one of its numbers (docs/REGISTRAR.md),
        // so a NAME that is another user's number would name two users.
        for (UserConfig u : c.users().values()) {
            UserConfig other = owner.get(u.name());
            if (other != null && other != u) {
                sections.find("user", u.name()).orElseThrow().error("NAME " + u.name() + " is also a number of"
                        + " [user " + other.name() + "] (" + sections.find("user", other.name()).orElseThrow()
                        .locationOf(Schema.User.NUMBERS.name()) + "); a REGISTER to " + u.name()
                        + " would name both", "a NAME that no [user NAME] lists in numbers");
            }
        }
    }

    private void sim() {
        if (c.general().backend() != GeneralConfig.Backend.SIM) {
            return;
        }
        SectionReader r = sections.single("sim");
        for (int n : c.sim().spans()) {
            if (c.span(n).isEmpty()) {
                r.error(Schema.Sim.SPANS.name(), "span " + n + " has no [span " + n + "] section",
                        "numbers of configured spans");
            }
        }
        Map<String, String> seen = new HashMap<>();
        line(r, seen, Schema.Sim.LOOP.name(), c.sim().loop());
        line(r, seen, Schema.Sim.MILLIWATT.name(), c.sim().milliwatt());
        line(r, seen, Schema.Sim.BUSY.name(), c.sim().busy());
        line(r, seen, Schema.Sim.UNALLOCATED.name(), c.sim().unallocated());
        line(r, seen, Schema.Sim.CONGESTION.name(), c.sim().congestion());
        line(r, seen, Schema.Sim.NOANSWER.name(), c.sim().noAnswer());
    }

    private static void line(SectionReader r, Map<String, String> seen, String key, String number) {
        if (number == null) {
            return;
        }
        String other = seen.putIfAbsent(number, key);
        if (other != null) {
            r.error(key, "number " + number + " is already the " + other + " line", "a different number");
        }
    }

    private static String an(SpanConfig.Type type) {
        return type == SpanConfig.Type.E1 ? "an E1" : "a T1";
    }

    private static String names(String kind, java.util.Collection<String> names) {
        return names.isEmpty() ? "no [" + kind + " NAME] is configured"
                : "one of " + names.stream().collect(Collectors.joining(", "));
    }

    /** "25,26,27" -> "25-27". */
    private static String compress(String csv) {
        int[] v = java.util.Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
        return org.tandem.config.ChannelSet.of(v).toString();
    }
}
