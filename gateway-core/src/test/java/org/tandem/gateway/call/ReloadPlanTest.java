package org.tandem.gateway.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tandem.config.ConfigLoader;
import org.tandem.config.GatewayConfig;
import org.tandem.config.LoadResult;

/** What a reload applies at once and what it reports as needing a restart, on the shipped file. */
class ReloadPlanTest {

    private static GatewayConfig load(String... overrides) {
        Path p = Path.of(System.getProperty("user.dir")).resolve("../conf/tandem.ini").normalize();
        if (!Files.exists(p)) {
            p = Path.of("conf/tandem.ini").toAbsolutePath();
        }
        LoadResult r = ConfigLoader.load(p, List.of(overrides));
        assertTrue(r.ok(), r::errorReport);
        return r.orThrow();
    }

    @Test
    void shouldApplyTrunksRoutesCausesAndUsersLiveAndNeedNoRestartForThem() {
        GatewayConfig start = load("user.alice.password=alice-secret-1");
        GatewayConfig next = load("user.bob.password=bob-secret", "trunk.local.trusted=127.0.0.1/32",
                "trunk.local.causes=local", "route.to-pstn.strip_called=1", "causes.local.q850.34=480",
                "trunk.carrier.host=127.0.0.9", "trunk.carrier.trusted=127.0.0.9/32");
        ReloadPlan plan = ReloadPlan.of(start, start, next, true);
        assertEquals(List.of(), plan.needsRestart(), "all of it applies live");
        String applied = String.join("\n", plan.applied());
        assertTrue(applied.contains("trunks: [local, carrier] as targets and trusted sources; added [carrier];"
                + " changed [local]"), applied);
        assertTrue(applied.contains("users: [bob]; removed [alice]"), applied);
    }

    @Test
    void shouldListSpanAndSocketChangesAsNeedingARestartEvenAtTheNextReload() {
        GatewayConfig start = load("user.alice.password=alice-secret-1");
        GatewayConfig next = load("user.alice.password=alice-secret-1", "span.2.timing=0", "rtp.ports=30000-30999",
                "snmp.community=other");
        ReloadPlan first = ReloadPlan.of(start, start, next, true);
        assertEquals(List.of("spans and channel groups (the cards' channels are opened at start)",
                "[rtp] (the port range and media threads)", "[snmp] (the agent's socket, users and trap targets)"),
                first.needsRestart());
        // The same file again: the running spans are still the start's, so it is still listed.
        assertEquals(first.needsRestart(), ReloadPlan.of(start, next, next, true).needsRestart());
    }

    @Test
    void shouldListAChangeOfTheMediaAgentCountAsNeedingARestart() {
        // the agent threads are made once, at start (MediaEngine): a reload cannot add or remove one
        GatewayConfig start = load();
        GatewayConfig next = load("rtp.media_agents=1");
        assertEquals(List.of("[rtp] (the port range and media threads)"),
                ReloadPlan.of(start, start, next, false).needsRestart());
    }

    @Test
    void shouldListAMetricsEndpointChangeAsNeedingARestart() {
        // MetricsEndpoint binds its socket at start: a reload that moves it must say so
        GatewayConfig start = load();
        GatewayConfig next = load("metrics.listen=127.0.0.1:9464");
        assertEquals(List.of("[metrics] (the endpoint's socket)"), ReloadPlan.of(start, start, next, false).needsRestart());
    }

    @Test
    void shouldSayUsersNeedARestartWhenTheRegistrarWasNotStarted() {
        GatewayConfig start = load();
        GatewayConfig next = load("user.bob.password=bob-secret");
        ReloadPlan plan = ReloadPlan.of(start, start, next, false);
        assertEquals(1, plan.needsRestart().size(), plan.needsRestart()::toString);
        assertTrue(plan.needsRestart().get(0).startsWith("[user] sections: the registrar was not started"));
    }

    @Test
    void shouldReportARemovedTrunkAndRemovedUsers() {
        GatewayConfig start = load("user.alice.password=a-secret-1", "user.bob.password=b-secret-1",
                "trunk.carrier.host=127.0.0.9");
        GatewayConfig next = load("user.bob.password=b-secret-1");
        String applied = String.join("\n", ReloadPlan.of(start, start, next, true).applied());
        assertTrue(applied.contains("removed [carrier] (their calls go on, new ones are refused)"), applied);
        assertTrue(applied.contains("users: [bob]; removed [alice] (their bindings dropped, their calls go on)"), applied);
    }
}
