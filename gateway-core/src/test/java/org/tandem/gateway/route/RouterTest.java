package org.tandem.gateway.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tandem.config.ConfigLoader;
import org.tandem.config.GatewayConfig;
import org.tandem.config.LoadResult;

class RouterTest {

    private static GatewayConfig config(String... overrides) {
        Path p = Path.of(System.getProperty("user.dir")).resolve("../conf/tandem.ini").normalize();
        if (!Files.exists(p)) {
            p = Path.of("conf/tandem.ini").toAbsolutePath();
        }
        List<String> all = new ArrayList<>(List.of("cdr.dir=/tmp"));
        all.addAll(List.of(overrides));
        LoadResult r = ConfigLoader.load(p, all);
        assertTrue(r.ok(), r::errorReport);
        return r.orThrow();
    }

    @Test
    void shouldRouteATrustedTrunksCallToTheGroupUnchangedByTheDefaultRoute() {
        Router router = new Router(config());
        RouteDecision d = router.sipToPstn("1004", "5551234", "local").orElseThrow();
        assertEquals("to-pstn", d.route());
        assertEquals("1004", d.called().digits());
        assertEquals(-1, d.called().ton(), "keep the type of number the call carried");
        assertEquals("group:pstn", d.targets().get(0).toString());
    }

    @Test
    void shouldNotMatchARouteLimitedToAnotherTrunk() {
        Router router = new Router(config());
        assertFalse(router.sipToPstn("1004", "", "elsewhere").isPresent());
        assertFalse(router.sipToPstn("1004", "", null).isPresent(), "from_trunk = local only");
    }

    @Test
    void shouldPreferTheLowerPriorityAndApplyReplaceStripPrefixAndTon() {
        Router router = new Router(config(
                "route.intl.direction=sip-to-pstn", "route.intl.priority=10",
                "route.intl.match_called=\\+49[0-9]+", "route.intl.replace_called=s/^\\+49/0/",
                "route.intl.strip_called=1", "route.intl.prefix_called=0",
                "route.intl.called_ton=national", "route.intl.called_npi=isdn",
                "route.intl.target=group:pstn", "route.intl.failover=group:pstn",
                "route.intl.failover_causes=34"));
        RouteDecision d = router.sipToPstn("+4930123", "", "local").orElseThrow();
        assertEquals("intl", d.route());
        assertEquals("030123", d.called().digits(), "replace +49 -> 0, strip 1, prefix 0");
        assertEquals(2, d.called().ton());
        assertEquals(1, d.called().npi());
        assertEquals(2, d.targets().size());
        assertTrue(d.failsOver(0, 34));
        assertFalse(d.failsOver(0, 17), "busy is the called user's answer, not a reason to try elsewhere");
        assertFalse(d.failsOver(1, 34), "no target after the last");
        assertEquals("to-pstn", router.sipToPstn("1004", "", "local").orElseThrow().route());
    }

    @Test
    void shouldRoutePstnCallsByGroupWithCallingRewrite() {
        Router router = new Router(config("route.from-pstn.prefix_calling=0",
                "route.from-pstn.calling_ton=national"));
        RouteDecision d = router.pstnToSip("200", "5550100", "pstn").orElseThrow();
        assertEquals("05550100", d.calling().digits());
        assertEquals(2, d.calling().ton());
        assertEquals("trunk:local", d.targets().get(0).toString());
        assertFalse(router.pstnToSip("200", "5550100", "other").isPresent());
    }

    @Test
    void shouldParseFixedSipUriTargets() {
        SipUri u = SipUri.parse("sip:alice@10.0.0.5:5070;transport=tcp");
        assertEquals(new SipUri("alice", "10.0.0.5", 5070, "tcp"), u);
        assertEquals(new SipUri(null, "pbx.example.net", 5060, "udp"), SipUri.parse("sip:pbx.example.net"));
        assertEquals(new SipUri(null, "::1", 5080, "udp"), SipUri.parse("sip:[::1]:5080"));
        assertEquals(null, SipUri.parse("tel:+4930123"));
    }
}
