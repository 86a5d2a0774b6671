package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.pri.PriTimer;
import org.tandem.tdm.SpanAlarms;

/**
 * Faults mid-call, end to end with sipp: a red alarm and a lost D-channel on the simulated card,
 * and a SIP peer that vanishes (caught by the RFC 4028 session timer). libpri's Q.921/Q.931 timers
 * are shortened (T200 300 ms, T203 1 s, T309 500 ms) so D-channel loss is detected in seconds, and
 * Min-SE lowered to 2 s so a 3 s session can be asked for.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsEndToEndTest extends AbstractEndToEndTest {
    FaultsEndToEndTest() {
        super(Gateway.Options.defaults()
                .withPriTimers(Map.of(PriTimer.T200, 300, PriTimer.T203, 1_000, PriTimer.T309, 500))
                .withSessionTimer(1800, 2));
    }

    @Test
    @Order(1)
    void shouldReleaseTheCallWithCause38OnARedAlarm() throws Exception {
        SippRunner.Sipp sipp = gw.uac(released(38), "1004", rtp.port()).start();
        awaitAnswered();
        gw.gateway.simCard().raiseAlarm(1, SpanAlarms.RED);
        try {
            SippRunner.Result r = sipp.await();
            assertTrue(r.succeeded(), r::toString);
            String[] cdr = gw.awaitCdr(c -> c[E2eGateway.Q850].equals("38"), 5_000);
            assertNotNull(cdr, "CDR with cause 38");
            assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
            assertEquals("pstn", cdr[E2eGateway.RELEASED_BY]);
            assertTrue(gw.awaitIdle(5_000));
            assertTrue(gw.gateway.model().snapshot().spans().get(0).alarms() != 0, "the ops model shows the alarm");
        } finally {
            gw.gateway.simCard().clearAlarms(1);
        }
        assertTrue(gw.awaitSpansUp(15_000), "span 1 back in service after the alarm cleared");
    }

    @Test
    @Order(2)
    void shouldReleaseTheCallWithCause27WhenTheDChannelIsLost() throws Exception {
        SippRunner.Sipp sipp = gw.uac(released(27), "1004", rtp.port()).start();
        awaitAnswered();
        gw.gateway.simCard().setDChannelLost(1, true);
        try {
            SippRunner.Result r = sipp.await();
            assertTrue(r.succeeded(), r::toString);
            String[] cdr = gw.awaitCdr(c -> c[E2eGateway.Q850].equals("27"), 5_000);
            assertNotNull(cdr, "CDR with cause 27");
            assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
            assertTrue(gw.awaitIdle(5_000));
        } finally {
            gw.gateway.simCard().setDChannelLost(1, false);
        }
        assertTrue(gw.awaitSpansUp(20_000), "D-channel of span 1 back up");
    }

    @Test
    @Order(3)
    void shouldReleaseTheCallAndFreeTheChannelWhenTheSipPeerVanishes() throws Exception {
        SippRunner.Result r = gw.uac(Scenarios.file("vanishing-peer.xml"), "1004", rtp.port()).run();
        assertTrue(r.succeeded(), r::toString);
        // sipp is gone; the 3 s session is not refreshed; the gateway sends BYE before it expires.
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.Q850].equals("102"), 10_000);
        assertNotNull(cdr, "CDR with cause 102 (recovery on timer expiry)");
        assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
        assertEquals("sip", cdr[E2eGateway.RELEASED_BY]);
        assertTrue(gw.awaitIdle(5_000), "B-channel idle and RTP ports returned");
    }

    private java.nio.file.Path released(int cause) {
        return Scenarios.fill("released-by-gateway.xml", Map.of("CAUSE", Integer.toString(cause),
                "TIMEOUT_MS", "20000"));
    }

    private void awaitAnswered() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (rtp.streams().isEmpty() || rtp.streams().values().iterator().next().packets < 10) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the call was not answered with audio within 5 s");
            }
            Thread.sleep(20);
        }
    }
}
