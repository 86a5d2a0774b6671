package org.tandem.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole validated configuration. Immutable; obtain it from {@link ConfigLoader}. Maps keep
 * the order of the file; {@code spans} are sorted by number and {@code routes} by direction and
 * priority. {@code users} are the {@code [user NAME]} phones the {@code registrar} serves
 * and {@code presence} watches; {@code metrics} is the Prometheus endpoint.
 */
public record GatewayConfig(String source, GeneralConfig general, DahdiConfig dahdi, SipConfig sip,
        RtpConfig rtp, List<SpanConfig> spans, Map<String, ChannelGroupConfig> groups,
        Map<String, TrunkConfig> trunks, List<RouteConfig> routes,
        Map<String, CauseMapConfig> causeMaps, SnmpConfig snmp, CdrConfig cdr, SimConfig sim,
        ConsoleConfig console, RegistrarConfig registrar, Map<String, UserConfig> users,
        PresenceConfig presence, OverloadConfig overload,
        MetricsConfig metrics) {

    public Optional<SpanConfig> span(int number) {
        return spans.stream().filter(s -> s.number() == number).findFirst();
    }

    /** The {@code [user NAME]} that owns {@code number}, if any (each number has at most one). */
    public Optional<UserConfig> userOwning(String number) {
        return users.values().stream().filter(u -> u.numbers().contains(number)).findFirst();
    }

    /** Routes of one direction in the order they are tried. */
    public List<RouteConfig> routes(RouteConfig.Direction direction) {
        return routes.stream().filter(r -> r.direction() == direction).toList();
    }
}
