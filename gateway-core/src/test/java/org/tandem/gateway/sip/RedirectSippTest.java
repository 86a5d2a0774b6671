package org.tandem.gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.interwork.CauseMap;
import org.tandem.gateway.interwork.Reason;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.gateway.sip.testing.SippRunner.Result;

/**
 * 3xx to our INVITE followed (RFC 3261 8.1.3.4) against sipp peers on loopback: a trunk that
 * redirects to a phone that answers, loops, the hop limit, refusal, q order and the trust rule.
 */
class RedirectSippTest {
    private static final String HOST = SippRunner.LOOPBACK;
    private StandInCallControl cc;
    private SipUserAgent ua;

    @BeforeAll
    static void needSipp() {
        assumeTrue(SippRunner.available(), "sipp not installed");
    }

    private void start(SipTrunk... trunks) throws Exception {
        cc = new StandInCallControl();
        ua = SipUserAgent.start(SipSettings.defaults(HOST, SippRunner.freePort()).withTrunks(List.of(trunks)),
                cc.thread, cc);
        cc.sip = ua;
    }

    @AfterEach
    void stop() {
        if (ua != null) {
            ua.close();
        }
        if (cc != null) {
            assertNull(cc.wrongThread, "events must arrive on the call-control thread");
            cc.close();
        }
    }

    private static SipTrunk trunk(int port, RedirectPolicy policy, int max) {
        return new SipTrunk("carrier", HOST, port, "udp", null, null, a -> false, policy, max);
    }

    private static SippRunner.Sipp redirecting(int status, String contacts) {
        assertEquals(302, status, "uas-redirect.xml answers 302 (sipp takes no keyword in a status line)");
        return SippRunner.scenario(SippRunner.resource("/sip/uas-redirect.xml")).option("-key", "contacts", contacts);
    }

    private static String contact(String user, SippRunner.Sipp to) {
        return "<sip:" + user + "@" + HOST + ":" + to.localPort() + ">";
    }

    private CallHandle call(SipTrunk trunk) {
        return ua.invite(OutboundInvite.toTrunk(trunk, "5551234", ForkedResponsesSippTest.identity(),
                ForkedResponsesSippTest.offer()));
    }

    @Test
    void shouldFollowA302ToThePhoneThatAnswersWithDiversionNamingTheRedirectingNumber() throws Exception {
        SippRunner.Sipp phone = SippRunner.scenario(SippRunner.resource("/sip/uas-diverted.xml")).start();
        SippRunner.Sipp carrier = redirecting(302, contact("phone", phone)).start();
        SipTrunk trunk = trunk(carrier.localPort(), RedirectPolicy.FOLLOW, 3);
        start(trunk);
        CallHandle call = call(trunk);
        SipEvent.Answered answered = cc.next(SipEvent.Answered.class, 10000);
        assertEquals(call, answered.call(), "the same handle: the redirect is the SIP side's business");
        assertNotNull(answered.answer());
        ua.hangup(call, Reason.q850(16));
        Result c = carrier.await();
        Result p = phone.await();
        assertTrue(c.succeeded(), c.toString());
        assertTrue(p.succeeded(), "Diversion and Request-URI checked by sipp: " + p);
        assertEquals(0, ua.activeLegs());
    }

    @Test
    void shouldSendTheSameRequestUriThroughTheProxyA305Names() throws Exception {
        SippRunner.Sipp proxy = SippRunner.scenario(SippRunner.resource("/sip/uas-proxy.xml")).start();
        SippRunner.Sipp carrier = SippRunner.scenario(SippRunner.resource("/sip/uas-use-proxy.xml"))
                .option("-key", "contacts", "<sip:" + HOST + ":" + proxy.localPort() + ">").start();
        SipTrunk trunk = trunk(carrier.localPort(), RedirectPolicy.FOLLOW, 3);
        start(trunk);
        CallHandle call = call(trunk);
        cc.next(SipEvent.Answered.class, 10000);
        ua.hangup(call, null);
        Result c = carrier.await();
        Result p = proxy.await();
        assertTrue(c.succeeded(), c.toString());
        assertTrue(p.succeeded(), "Request-URI kept, Route to the proxy, no Diversion (checked by sipp): " + p);
    }

    @Test
    void shouldStopARedirectLoopWith482WhichIsCause25() throws Exception {
        int aPort = SippRunner.freePort();
        SippRunner.Sipp b = redirecting(302, "<sip:5551234@" + HOST + ":" + aPort + ">").start();
        SippRunner.Sipp a = redirecting(302, contact("5551234", b)).localPort(aPort).start();
        SipTrunk trunk = trunk(aPort, RedirectPolicy.FOLLOW, 3);
        start(trunk);
        call(trunk);
        SipEvent.Rejected rejected = cc.next(SipEvent.Rejected.class, 10000);
        assertEquals(482, rejected.status());
        assertEquals(25, CauseMap.rfc3398().toQ850(rejected.status()));
        assertTrue(a.await().succeeded());
        assertTrue(b.await().succeeded());
        assertEquals(0, ua.activeLegs());
    }

    @Test
    void shouldFailWith483WhenTheHopLimitIsReached() throws Exception {
        SippRunner.Sipp c = redirecting(302, "<sip:never@" + HOST + ":" + SippRunner.freePort() + ">").start();
        SippRunner.Sipp b = redirecting(302, contact("b", c)).start();
        SippRunner.Sipp a = redirecting(302, contact("a", b)).start();
        SipTrunk trunk = trunk(a.localPort(), RedirectPolicy.FOLLOW, 2);
        start(trunk);
        call(trunk);
        SipEvent.Rejected rejected = cc.next(SipEvent.Rejected.class, 10000);
        assertEquals(483, rejected.status(), "two redirects followed, the third 302 is one too many");
        assertEquals(25, CauseMap.rfc3398().toQ850(rejected.status()));
        for (SippRunner.Sipp s : List.of(a, b, c)) {
            Result r = s.await();
            assertTrue(r.succeeded(), r.toString());
        }
    }

    @Test
    void shouldPassA302OnAsAFailureWhenTheTrunkRefusesRedirects() throws Exception {
        SippRunner.Sipp carrier = redirecting(302, "<sip:phone@" + HOST + ":" + SippRunner.freePort() + ">").start();
        SipTrunk trunk = trunk(carrier.localPort(), RedirectPolicy.REFUSE, 3);
        start(trunk);
        call(trunk);
        SipEvent.Rejected rejected = cc.next(SipEvent.Rejected.class, 10000);
        assertEquals(302, rejected.status());
        assertTrue(carrier.await().succeeded());
    }

    @Test
    void shouldNotFollowARedirectToAHostOfNoConfiguredTrunk() throws Exception {
        // Toll-fraud: a peer may not make us call a host of its choosing (192.0.2.1, TEST-NET-1).
        SippRunner.Sipp carrier = redirecting(302, "<sip:premium@192.0.2.1:5060>").start();
        SipTrunk trunk = trunk(carrier.localPort(), RedirectPolicy.FOLLOW, 3);
        start(trunk);
        call(trunk);
        SipEvent.Rejected rejected = cc.next(SipEvent.Rejected.class, 10000);
        assertEquals(302, rejected.status());
        assertTrue(carrier.await().succeeded());
    }

    @Test
    void shouldTryContactsInQOrderAndTheNextWhenOneFails() throws Exception {
        SippRunner.Sipp busy = SippRunner.scenario(SippRunner.resource("/sip/uas-busy.xml")).start();
        SippRunner.Sipp phone = SippRunner.scenario(SippRunner.resource("/sip/uas-diverted.xml")).start();
        SippRunner.Sipp carrier = redirecting(302, contact("phone", phone) + ";q=0.5, " + contact("phone", busy)
                + ";q=0.9").start();
        SipTrunk trunk = trunk(carrier.localPort(), RedirectPolicy.FOLLOW, 3);
        start(trunk);
        CallHandle call = call(trunk);
        cc.next(SipEvent.Answered.class, 10000);
        ua.hangup(call, null);
        for (SippRunner.Sipp s : List.of(carrier, busy, phone)) {
            Result r = s.await();
            assertTrue(r.succeeded(), r.toString());
        }
        assertTrue(cc.events.stream().noneMatch(e -> e instanceof SipEvent.Rejected), "486 of the first Contact is not the outcome");
    }
}
