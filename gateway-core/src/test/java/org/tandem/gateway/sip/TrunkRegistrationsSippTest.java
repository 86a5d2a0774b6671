package org.tandem.gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.sip.RegistrationMachine.State;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.gateway.sip.testing.SippRunner.Result;

/** Outbound REGISTER against sipp as the trunk's registrar, on 127.0.0.1 with ports chosen at run time. */
class TrunkRegistrationsSippTest {
    private static final String HOST = SippRunner.LOOPBACK;
    private final BlockingQueue<TrunkRegistrationStatus> statuses = new LinkedBlockingQueue<>();
    private StandInCallControl cc;
    private SipUserAgent ua;
    private int port;

    @BeforeAll
    static void needSipp() {
        assumeTrue(SippRunner.available(), "sipp not installed");
    }

    /** A user agent whose only trust is the registration: loopback not trusted, the trunk trusts no address. */
    private void start(int registrarPort, int expiresS) throws Exception {
        port = SippRunner.freePort();
        SipTrunk trunk = new SipTrunk("carrier", HOST, registrarPort, "udp", "gw", "s3cret", a -> false);
        SipSettings settings = SipSettings.defaults(HOST, port).withTrustLoopback(false).withTrunks(List.of(trunk));
        cc = new StandInCallControl();
        ua = SipUserAgent.start(settings, cc.thread, cc);
        cc.sip = ua;
        ua.registerTrunks(List.of(new TrunkRegistrations.Target("carrier", HOST, registrarPort, "udp", "gw",
                "s3cret", expiresS)), statuses::add);
    }

    @AfterEach
    void stop() {
        if (ua != null) {
            ua.close();
        }
        if (cc != null) {
            cc.close();
        }
    }

    private TrunkRegistrationStatus await(Predicate<TrunkRegistrationStatus> p, long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            long left = deadline - System.nanoTime();
            TrunkRegistrationStatus s = left <= 0 ? null : statuses.poll(left, TimeUnit.NANOSECONDS);
            if (s == null) {
                return null;
            }
            if (p.test(s)) {
                return s;
            }
        }
    }

    @Test
    void shouldRegisterThroughAChallengeRefreshAndTakeCallsToTheRegisteredContactThenUnregister() throws Exception {
        SippRunner.Sipp registrar = SippRunner.scenario(SippRunner.resource("/sip/registrar-refresh.xml"))
                .option("-key", "expires", "10").timeoutSeconds(40).start();
        start(registrar.localPort(), 3600);
        TrunkRegistrationStatus first = await(s -> s.state() == State.REGISTERED, 10_000);
        assertNotNull(first, "not registered");
        assertEquals(200, first.lastStatus());
        assertEquals("sip:gw@127.0.0.1", first.aor());
        assertTrue(first.nextAttemptMillis() < first.expiresAtMillis(), first::toString);
        // The refresh of the 10 s grant: granted 3600 s by the registrar this time.
        TrunkRegistrationStatus refreshed = await(s -> s.state() == State.REGISTERED
                && s.expiresAtMillis() > first.expiresAtMillis() + 1_000_000, 20_000);
        assertNotNull(refreshed, "no refresh seen");

        // The trunk calls our registered Contact (user gw) from the registrar's address: accepted
        // although no address is trusted; the number is the To user.
        Result call = SippRunner.scenario(SippRunner.resource("/sip/trunk-invite.xml")).to(HOST, port)
                .option("-s", "gw", "-key", "called", "4930555").run();
        assertTrue(call.succeeded(), call.toString());
        SipEvent.IncomingCall in = cc.next(SipEvent.IncomingCall.class, 5000);
        assertEquals("carrier", in.trunk());
        assertEquals("4930555", in.calledUser());
        // Another Request-URI user from the same address is not the trunk's: 403.
        Result other = SippRunner.scenario(SippRunner.resource("/sip/rejected-invite.xml")).to(HOST, port)
                .option("-s", "4930555", "-key", "reason", "Forbidden").run();
        assertTrue(other.succeeded(), other.toString());
        assertTrue(cc.events.stream().noneMatch(e -> e instanceof SipEvent.IncomingCall), cc.events::toString);

        ua.close(); // un-REGISTER: the scenario's last step
        ua = null;
        Result r = registrar.await();
        assertTrue(r.succeeded(), r.toString());
        assertNotNull(await(s -> s.state() == State.UNREGISTERED, 1_000));
    }

    @Test
    void shouldAskAgainWithTheMinExpiresOfA423() throws Exception {
        SippRunner.Sipp registrar = SippRunner.scenario(SippRunner.resource("/sip/registrar-423.xml")).start();
        start(registrar.localPort(), 600);
        TrunkRegistrationStatus s = await(x -> x.state() == State.REGISTERED, 10_000);
        assertNotNull(s, "not registered");
        // granted the 7200 s asked for the second time (Expires header of the 200)
        assertTrue(s.expiresAtMillis() - s.nextAttemptMillis() >= 3_600_000, s::toString);
        ua.close();
        ua = null;
        Result r = registrar.await();
        assertTrue(r.succeeded(), r.toString());
    }

    @Test
    void shouldBackOffAfterA403() throws Exception {
        SippRunner.Sipp registrar = SippRunner.scenario(SippRunner.resource("/sip/registrar-403.xml")).start();
        start(registrar.localPort(), 3600);
        TrunkRegistrationStatus s = await(x -> x.state() == State.FAILED, 10_000);
        assertNotNull(s, "no failure reported");
        assertEquals(403, s.lastStatus());
        assertEquals(1, s.failures());
        assertEquals(0, s.expiresAtMillis());
        assertTrue(s.nextAttemptMillis() > System.currentTimeMillis() + 10_000, s::toString); // 24..30 s away
        assertTrue(registrar.await().succeeded());
    }

    @Test
    void shouldBackOffWhenTheRegistrarNeverAnswers() throws Exception {
        start(SippRunner.freePort(), 3600); // nothing listens there
        TrunkRegistrationStatus s = await(x -> x.state() == State.FAILED, 45_000); // Timer F: 64*T1 = 32 s
        assertNotNull(s, "no timeout reported");
        assertEquals(RegistrationMachine.TIMEOUT_STATUS, s.lastStatus());
        assertTrue(s.nextAttemptMillis() > System.currentTimeMillis() + 10_000, s::toString);
    }
}
