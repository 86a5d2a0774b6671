package org.tandem.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code [trunk] redirects / max_redirects} and {@code [route] redirect}. */
class RedirectConfigTest {
    private static final String TRUNKS = """
            [trunk plain]
            host = 192.0.2.1
            [trunk open]
            host = 192.0.2.2
            redirects = follow_any
            max_redirects = 5
            [trunk strict]
            host = 192.0.2.3
            redirects = refuse
            """;

    @Test
    void shouldFollowRedirectsToConfiguredTrunksThreeTimesByDefault() {
        GatewayConfig c = TestConfigs.parse(TestConfigs.MINIMAL + TRUNKS).orThrow();
        assertEquals(TrunkConfig.Redirects.FOLLOW, c.trunks().get("plain").redirects());
        assertEquals(3, c.trunks().get("plain").maxRedirects());
        assertEquals(TrunkConfig.Redirects.FOLLOW_ANY, c.trunks().get("open").redirects());
        assertEquals(5, c.trunks().get("open").maxRedirects());
        assertEquals(TrunkConfig.Redirects.REFUSE, c.trunks().get("strict").redirects());
    }

    @Test
    void shouldRefuseAnUnknownRedirectPolicyAndTooManyHops() {
        LoadResult r = TestConfigs.parse(TestConfigs.MINIMAL + "[trunk t]\nhost = 192.0.2.1\nredirects = folow\n"
                + "max_redirects = 11\n");
        assertFalse(r.ok());
        assertTrue(r.errorReport().contains("redirects: 'folow' is not one of the choices; did you mean 'follow'?"),
                r.errorReport());
        assertTrue(r.errorReport().contains("max_redirects"), r.errorReport());
    }

    @Test
    void shouldAcceptARedirectRouteWithoutTarget() {
        GatewayConfig c = TestConfigs.parse(TestConfigs.MINIMAL + TRUNKS + """
                [route phones]
                direction = sip-to-pstn
                match_called = 1[0-9]{3}
                redirect = users
                [route moved]
                direction = sip-to-pstn
                match_called = 2000
                redirect = sip:2000@192.0.2.9:5070
                [route rest]
                direction = sip-to-pstn
                target = group:pstn
                """).orThrow();
        RouteConfig phones = c.routes().stream().filter(r -> r.name().equals("phones")).findFirst().orElseThrow();
        assertEquals(RouteConfig.REDIRECT_USERS, phones.redirect());
        assertTrue(phones.isRedirect());
        assertNull(phones.target());
        RouteConfig moved = c.routes().stream().filter(r -> r.name().equals("moved")).findFirst().orElseThrow();
        assertEquals("sip:2000@192.0.2.9:5070", moved.redirect());
        assertFalse(c.routes().stream().filter(r -> r.name().equals("rest")).findFirst().orElseThrow().isRedirect());
    }

    @Test
    void shouldRefuseARedirectOnAPstnRouteAndARouteWithNeitherTargetNorRedirect() {
        LoadResult r = TestConfigs.parse(TestConfigs.MINIMAL + TRUNKS + """
                [route bad]
                direction = pstn-to-sip
                redirect = users
                target = trunk:plain
                [route empty]
                direction = sip-to-pstn
                [route typo]
                direction = sip-to-pstn
                redirect = user
                """);
        assertFalse(r.ok());
        String report = r.errorReport();
        assertTrue(report.contains("[route bad] redirect: redirect-server mode answers SIP INVITEs"), report);
        assertTrue(report.contains("[route empty] target: required key is missing (unless redirect is set)"), report);
        assertTrue(report.contains("[route typo] redirect: 'user' is neither users nor a sip: URI"), report);
    }
}
