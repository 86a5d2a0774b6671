package org.tandem.gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedirectPlanTest {
    private static final RedirectPlan.Target FIRST = target("5551234", "10.0.0.1", 1.0f);

    private static RedirectPlan.Target target(String user, String host, float q) {
        return new RedirectPlan.Target("sip:" + user + "@" + host, user, host, 5060, "udp", q, false);
    }

    private static RedirectPlan plan(RedirectPolicy policy, int max) {
        return new RedirectPlan(policy, max, t -> t.host().startsWith("10."), FIRST);
    }

    private static RedirectPlan.Target followed(RedirectPlan.Decision d) {
        return assertInstanceOf(RedirectPlan.Follow.class, d).target();
    }

    private static int stopped(RedirectPlan.Decision d) {
        return assertInstanceOf(RedirectPlan.Stop.class, d).status();
    }

    @Test
    void shouldTryContactsByDescendingQThenHeaderOrder() {
        RedirectPlan p = plan(RedirectPolicy.FOLLOW, 3);
        RedirectPlan.Decision d = p.on3xx(302, List.of(target("a", "10.0.0.2", 0.5f), target("b", "10.0.0.3", 1.0f),
                target("c", "10.0.0.4", 0.5f)));
        assertEquals("b", followed(d).user());
        assertEquals("a", p.nextAfterFailure().user());
        assertEquals("c", p.nextAfterFailure().user());
        assertNull(p.nextAfterFailure());
    }

    @Test
    void shouldDetectALoopBackToATargetAlreadyTried() {
        RedirectPlan p = plan(RedirectPolicy.FOLLOW, 3);
        followed(p.on3xx(302, List.of(target("x", "10.0.0.2", 1f))));
        assertEquals(RedirectPlan.LOOP_DETECTED, stopped(p.on3xx(302, List.of(FIRST))));
    }

    @Test
    void shouldStopAfterMaxRedirectsWith483() {
        RedirectPlan p = plan(RedirectPolicy.FOLLOW, 2);
        followed(p.on3xx(302, List.of(target("a", "10.0.0.2", 1f))));
        followed(p.on3xx(302, List.of(target("b", "10.0.0.3", 1f))));
        assertEquals(RedirectPlan.TOO_MANY_HOPS, stopped(p.on3xx(302, List.of(target("c", "10.0.0.4", 1f)))));
        assertEquals(2, p.hops());
    }

    @Test
    void shouldRefuseWhenThePolicySaysSoAnd380Always() {
        assertEquals(302, stopped(plan(RedirectPolicy.REFUSE, 3).on3xx(302, List.of(target("a", "10.0.0.2", 1f)))));
        assertEquals(380, stopped(plan(RedirectPolicy.FOLLOW_ANY, 3).on3xx(380, List.of(target("a", "10.0.0.2", 1f)))));
    }

    @Test
    void shouldFollowOnlyTrustedHostsUnlessFollowAny() {
        RedirectPlan.Target stranger = target("premium", "192.0.2.1", 1f);
        assertEquals(302, stopped(plan(RedirectPolicy.FOLLOW, 3).on3xx(302, List.of(stranger))));
        RedirectPlan mixed = plan(RedirectPolicy.FOLLOW, 3);
        assertEquals("ok", followed(mixed.on3xx(302, List.of(stranger, target("ok", "10.0.0.9", 0.1f)))).user());
        assertNull(mixed.nextAfterFailure(), "the untrusted Contact is never tried");
        assertEquals("premium", followed(plan(RedirectPolicy.FOLLOW_ANY, 3).on3xx(302, List.of(stranger))).user());
    }

    @Test
    void shouldSendA305ThroughTheProxyAsADifferentTarget() {
        RedirectPlan p = plan(RedirectPolicy.FOLLOW, 3);
        RedirectPlan.Target proxy = followed(p.on3xx(305, List.of(target("5551234", "10.0.0.1", 1f))));
        assertTrue(proxy.viaProxy());
    }

    @Test
    void shouldBoundWhatAPeerCanMakeUsTry() {
        RedirectPlan p = plan(RedirectPolicy.FOLLOW_ANY, 10);
        List<RedirectPlan.Target> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add(target("u" + i, "10.1.0." + (i % 250), 1f));
        }
        int tried = 1;
        followed(p.on3xx(302, many));
        while (p.nextAfterFailure() != null) {
            tried++;
        }
        assertEquals(RedirectPlan.MAX_CONTACTS, tried);
    }

    @Test
    void shouldFailA3xxWithoutContactWithItsOwnStatus() {
        assertEquals(301, stopped(plan(RedirectPolicy.FOLLOW, 3).on3xx(301, List.of())));
    }
}
