package org.tandem.gateway.call;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tandem.config.CauseMapConfig;
import org.tandem.config.ChannelGroupConfig;
import org.tandem.config.GatewayConfig;
import org.tandem.config.SpanConfig;
import org.tandem.config.TrunkConfig;
import org.tandem.gateway.interwork.CauseMap;
import org.tandem.gateway.route.Router;
import org.tandem.gateway.route.Trunks;
import org.tandem.gateway.sip.SipTrunk;

/**
 * The configuration call control works with now: the router, the SIP trunks as outbound targets
 * and the cause maps of trunks and channel groups. {@link #apply} replaces all of it at once
 * (start, console reload); a call in progress keeps the route and cause map it was given.
 * Agent thread only.
 */
final class ActiveConfig {
    private GatewayConfig config;
    private Router router;
    private Map<String, CauseMap> trunkCauses = Map.of();
    private Map<String, CauseMap> groupCauses = Map.of();
    private Map<String, SipTrunk> trunks = Map.of();

    ActiveConfig(GatewayConfig config) {
        apply(config);
    }

    /** The SIP trunks as the SIP side needs them (outbound targets and trusted sources). */
    static Map<String, SipTrunk> sipTrunks(GatewayConfig config) {
        Map<String, SipTrunk> out = new LinkedHashMap<>();
        for (TrunkConfig t : config.trunks().values()) {
            out.put(t.name(), Trunks.sipTrunk(t));
        }
        return out;
    }

    void apply(GatewayConfig c) {
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

    GatewayConfig config() {
        return config;
    }

    Router router() {
        return router;
    }

    /** The SIP trunk of that name, or null. */
    SipTrunk trunk(String name) {
        return trunks.get(name);
    }

    /**
     * The SIP trunk whose host (case-insensitive, as configured) and port are these, or null: the
     * only targets a REFER may send a call to ({@link CallTransfer}).
     */
    SipTrunk trunkAt(String host, int port) {
        for (SipTrunk t : trunks.values()) {
            if (t.host().equalsIgnoreCase(host) && t.port() == port) {
                return t;
            }
        }
        return null;
    }

    ChannelGroupConfig group(String name) {
        return config.groups().get(name);
    }

    /** Trunk's map for calls of a trunk, else the group's, else RFC 3398 as is. */
    CauseMap causesFor(String trunk, String group) {
        CauseMap m = trunk == null ? null : trunkCauses.get(trunk);
        if (m == null && group != null) {
            m = groupCauses.get(group);
        }
        return m == null ? CauseMap.rfc3398() : m;
    }

    /** The first configured span of a channel group (whose law the call's media prefers), or null. */
    SpanConfig firstSpanOf(String group) {
        for (SpanConfig s : config.spans()) {
            if (s.group().equals(group)) {
                return s;
            }
        }
        return null;
    }
}
