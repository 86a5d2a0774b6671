package org.tandem.config;

import java.util.stream.Collectors;

/** The one-screen overview {@code check-config} prints after {@code OK} (and {@code run} logs). */
public final class ConfigSummary {
    private ConfigSummary() {
    }

    public static String format(GatewayConfig c) {
        StringBuilder b = new StringBuilder();
        line(b, "config", c.source());
        line(b, "gateway", c.general().name() + ", backend " + c.general().backend().token());
        line(b, "sip", c.sip().listen() + " " + tokens(c.sip().transports()) + ", dscp " + c.sip().dscp());
        if (c.sip().tls() != null) {
            // File names only: the key's contents never reach a summary or a log.
            TlsConfig t = c.sip().tls();
            line(b, "tls", t.listen() + ", certificate " + t.certificate() + ", key " + t.key() + ", ca "
                    + (t.ca() == null ? "(JDK trust store)" : t.ca()) + ", clients "
                    + (t.verifyClients() == null ? "none" : t.verifyClients().token()));
        }
        line(b, "rtp", c.rtp().ports() + " (" + c.rtp().ports().rtpSessions() + " sessions), ptime "
                + c.rtp().ptimeMs() + " ms, jitter " + c.rtp().jitterMinMs() + "-" + c.rtp().jitterMaxMs()
                + " ms, dscp " + c.rtp().dscp() + ", media agents "
                + (c.rtp().mediaAgents() == 0 ? "one per core" : c.rtp().mediaAgents()));
        SnmpConfig s = c.snmp();
        line(b, "snmp", s.enabled() ? s.listen() + ", v2c " + (s.community() == null ? "off" : "on") + ", "
                + s.users().size() + " v3 users, " + s.traps().size() + " trap targets" : "off");
        line(b, "cdr", c.cdr().dir() + " (" + c.cdr().format().token() + ")");
        int bchannels = c.spans().stream().mapToInt(sp -> sp.bchannels().size()).sum();
        line(b, "spans", c.spans().size() + " span(s), " + bchannels + " B-channels");
        for (SpanConfig sp : c.spans()) {
            b.append(String.format("  span %-3d %s %s/%s%s %s %s %s  B %s  D %d  group %s  timing %d%n",
                    sp.number(), sp.type().token(), sp.framing().token(), sp.coding().token(),
                    sp.crc4() ? "/crc4" : "", sp.signalling().token(), sp.switchType().token(),
                    sp.law().token(), sp.bchannels(), sp.dchannel(), sp.group(), sp.timing()));
        }
        line(b, "groups", Integer.toString(c.groups().size()));
        for (ChannelGroupConfig g : c.groups().values()) {
            int n = c.spans().stream().filter(sp -> g.name().equals(sp.group()))
                    .mapToInt(sp -> sp.bchannels().size()).sum();
            b.append(String.format("  %-12s spans %s, %d channels, hunting %s%n", g.name(),
                    g.spans().stream().map(String::valueOf).collect(Collectors.joining(",")), n,
                    g.hunting().token()));
        }
        line(b, "trunks", Integer.toString(c.trunks().size()));
        for (TrunkConfig t : c.trunks().values()) {
            String tls = t.transport() != SipConfig.Transport.TLS ? ""
                    : (t.tlsVerify() ? " (verify " + (t.tlsServerName() == null ? t.host() : t.tlsServerName()) + ")"
                            : " (no verify)") + (t.sips() ? " sips" : "")
                    + (t.srtp() == TrunkConfig.Srtp.OFF ? "" : " srtp " + t.srtp().token());
            b.append(String.format("  %-12s %s:%d %s%s, register %s, trusted %s%n", t.name(), t.host(), t.port(),
                    t.transport().token(), tls, t.register() ? "yes" : "no",
                    t.trusted().isEmpty() ? "(host addresses)" : t.trusted().stream().map(Cidr::toString)
                            .collect(Collectors.joining(","))));
        }
        if (!c.users().isEmpty()) {
            RegistrarConfig g = c.registrar();
            line(b, "users", c.users().size() + " (registrar " + String.join(",", g.domains()) + ", realm "
                    + g.realm() + ", expires " + g.minExpiresS() + "-" + g.maxExpiresS() + " s, "
                    + c.users().values().stream().mapToInt(u -> u.numbers().size()).sum() + " numbers)");
        }
        line(b, "routes", Integer.toString(c.routes().size()));
        for (RouteConfig r : c.routes()) {
            b.append(String.format("  %-11s %4d %-12s called %s -> %s%s%n", r.direction().token(), r.priority(),
                    r.name(), r.matchCalled() == null ? "any" : r.matchCalled().pattern(),
                    r.isRedirect() ? "302 (redirect " + r.redirect() + ")" : r.target(),
                    r.failover().isEmpty() ? "" : " then " + r.failover().stream().map(RouteTarget::toString)
                            .collect(Collectors.joining(", "))));
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String label, String text) {
        b.append(String.format("%-9s %s%n", label, text));
    }

    private static String tokens(java.util.List<? extends Token> list) {
        return list.stream().map(Token::token).collect(Collectors.joining(","));
    }
}
