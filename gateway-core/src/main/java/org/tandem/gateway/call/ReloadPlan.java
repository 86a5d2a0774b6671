package org.tandem.gateway.call;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.tandem.config.GatewayConfig;
import org.tandem.config.SipConfig;
import org.tandem.config.TrunkConfig;

/**
 * What a reload changes, as plain rules over the configuration in force and the one re-read:
 * which changes apply to the next call without dropping any (routes with their number rewriting,
 * trunks as targets and as trusted sources, cause maps, users), and which only a restart brings,
 * each with the reason. Pure; {@link OperatorCommands#reload} applies the live part and reports
 * both lists ({@code tandem ctl reload}, SIGHUP).
 *
 * @param applied one line per part applied at once
 * @param needsRestart one line per change that does not take effect until a restart, naming what
 *     and why; empty when the running gateway now does all the file says
 */
record ReloadPlan(List<String> applied, List<String> needsRestart) {

    /**
     * @param start the configuration the gateway started with: what needs a restart is judged
     *     against it, so a second reload still lists a span change the first one could not apply
     * @param old the configuration in force (the start's, or the last reload's)
     * @param n the configuration re-read
     * @param registrarRuns whether the registrar thread was started (there were users at start):
     *     without it, users added by a reload cannot register until a restart
     */
    static ReloadPlan of(GatewayConfig start, GatewayConfig old, GatewayConfig n, boolean registrarRuns) {
        List<String> applied = new ArrayList<>();
        List<String> restart = new ArrayList<>();
        applied.add("routes: " + n.routes().size() + " with their number rewriting (calls in progress keep theirs)");
        applied.add("trunks: " + n.trunks().keySet() + " as targets and trusted sources" + trunkChanges(old, n));
        applied.add("cause maps: " + n.causeMaps().keySet());
        if (registrarRuns) {
            applied.add("users: " + n.users().keySet() + usersChange(old, n));
        } else if (!n.users().isEmpty()) {
            restart.add("[user] sections: the registrar was not started (no user at start), so phones cannot"
                    + " register until a restart");
        }
        if (!n.spans().equals(start.spans()) || !n.groups().equals(start.groups())) {
            restart.add("spans and channel groups (the cards' channels are opened at start)");
        }
        differs(restart, start.general(), n.general(), "[general] (name, backend)");
        differs(restart, start.dahdi(), n.dahdi(), "[dahdi]");
        differs(restart, start.sip(), n.sip(), "[sip] (the listening sockets and the stack's settings)");
        differs(restart, start.rtp(), n.rtp(), "[rtp] (the port range and media threads)");
        differs(restart, start.snmp(), n.snmp(), "[snmp] (the agent's socket, users and trap targets)");
        differs(restart, start.cdr(), n.cdr(), "[cdr]");
        differs(restart, start.sim(), n.sim(), "[sim] (the simulated exchange's lines)");
        differs(restart, start.console(), n.console(), "[console] (its socket)");
        differs(restart, start.registrar(), n.registrar(), "[registrar] (domains, expiry bounds, lockout)");
        // the presence thread keeps its start-up limits and expiry bounds
        differs(restart, start.presence(), n.presence(), "[presence]");
        // the load monitor keeps its start-up thresholds
        differs(restart, start.overload(), n.overload(), "[overload]");
        differs(restart, start.metrics(), n.metrics(), "[metrics] (the endpoint's socket)");
        for (TrunkConfig t : n.trunks().values()) {
            TrunkConfig was = start.trunks().get(t.name());
            boolean tls = t.transport() == SipConfig.Transport.TLS;
            if (tls && (was == null || was.transport() != t.transport() || was.tlsVerify() != t.tlsVerify()
                    || !Objects.equals(was.tlsServerName(), t.tlsServerName())
                    || !was.host().equals(t.host()) || was.port() != t.port())) {
                // The TLS layer's per-peer checks (name, verify or not) are made at start.
                restart.add("TLS certificate checks of trunk " + t.name() + " (tls_verify, tls_server_name, host)");
            }
            if (was == null ? t.register() : t.register() != was.register()
                    || t.register() && (t.registerExpiresS() != was.registerExpiresS()
                    || !t.host().equals(was.host()) || t.port() != was.port()
                    || !Objects.equals(t.username(), was.username()))) {
                restart.add("registration of trunk " + t.name() + " (registers with what it started with)");
            }
        }
        for (TrunkConfig was : start.trunks().values()) {
            if (!n.trunks().containsKey(was.name()) && was.register()) {
                restart.add("registration of removed trunk " + was.name() + " (it stays registered until a restart)");
            }
        }
        return new ReloadPlan(applied, restart);
    }

    private static void differs(List<String> restart, Object old, Object n, String what) {
        if (!Objects.equals(old, n)) {
            restart.add(what);
        }
    }

    private static String trunkChanges(GatewayConfig old, GatewayConfig n) {
        Set<String> added = new TreeSet<>(n.trunks().keySet());
        added.removeAll(old.trunks().keySet());
        Set<String> removed = new TreeSet<>(old.trunks().keySet());
        removed.removeAll(n.trunks().keySet());
        Set<String> changed = new TreeSet<>();
        for (TrunkConfig t : n.trunks().values()) {
            TrunkConfig was = old.trunks().get(t.name());
            if (was != null && !was.equals(t)) {
                changed.add(t.name());
            }
        }
        StringBuilder b = new StringBuilder();
        if (!added.isEmpty()) {
            b.append("; added ").append(added);
        }
        if (!removed.isEmpty()) {
            b.append("; removed ").append(removed).append(" (their calls go on, new ones are refused)");
        }
        if (!changed.isEmpty()) {
            b.append("; changed ").append(changed);
        }
        return b.toString();
    }

    private static String usersChange(GatewayConfig old, GatewayConfig n) {
        Set<String> removed = new TreeSet<>(old.users().keySet());
        removed.removeAll(n.users().keySet());
        return removed.isEmpty() ? "" : "; removed " + removed + " (their bindings dropped, their calls go on)";
    }
}
