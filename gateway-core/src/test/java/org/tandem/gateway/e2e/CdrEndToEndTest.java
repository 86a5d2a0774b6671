package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.ops.CallDirection;
import org.tandem.gateway.ops.CallCounters;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.tdm.SpanAlarms;

/**
 * CDRs match calls one to one: a representative run of call-control scenarios with sipp (answered,
 * busy 17, unallocated 1, congestion 34, caller cancel, red alarm 38, shutdown 41), then exactly one
 * record per attempt with the disposition, causes, SIP status, numbers before and after the route's
 * rewriting ({@code prefix_calling = 49}), span/channel, SIP Call-ID and RTP figures; and the ops
 * counters agree with the records.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CdrEndToEndTest extends AbstractEndToEndTest {
    private static final int CALL_ID = 0;
    private static final int DIRECTION = 1;
    private static final int ANSWER_UTC = 3;
    private static final int BILLABLE_S = 6;

    CdrEndToEndTest() {
        super(Gateway.Options.defaults(), "route.to-pstn.prefix_calling=49");
    }

    @Test
    void shouldWriteOneRecordPerAttemptWithWhatHappenedToIt() throws Exception {
        assertTrue(gw.uac(Scenarios.file("call.xml"), "1004", rtp.port()).option("-d", "1200").run().succeeded());
        assertTrue(gw.uac(rejected(486, 17), "1486", rtp.port()).run().succeeded());
        assertTrue(gw.uac(rejected(404, 1), "1404", rtp.port()).run().succeeded());
        assertTrue(gw.uac(rejected(503, 34), "1503", rtp.port()).run().succeeded());
        assertTrue(gw.uac(Scenarios.file("cancel.xml"), "1480", rtp.port()).option("-d", "1000").run().succeeded());
        assertTrue(gw.awaitIdle(5_000));

        // red alarm on the span of an answered call (released with 38); the call to 1000 is on it
        SippRunner.Sipp red = gw.uac(released(38), "1000", rtp.port()).start();
        awaitAnswered(1);
        gw.gateway.simCard().raiseAlarm(1, SpanAlarms.RED);
        try {
            assertTrue(red.await().succeeded(), "BYE with cause 38");
        } finally {
            gw.gateway.simCard().clearAlarms(1);
        }
        assertTrue(gw.awaitIdle(5_000));
        assertTrue(gw.awaitSpansUp(15_000), "span 1 back after the alarm");

        // shutdown with a call up (released with 41); its CDR is written before close returns
        SippRunner.Sipp shutdown = gw.uac(released(41), "1004", rtp.port()).start();
        awaitAnswered(1);
        CallCounters counters = gw.gateway.model().counters();
        gw.gateway.close();
        assertTrue(shutdown.await().succeeded(), "BYE with cause 41");

        List<String[]> cdrs = gw.cdrs();
        assertEquals(7, cdrs.size(), "one record per attempt, no more");
        Set<String> sipCallIds = new HashSet<>();
        Set<String> callIds = new HashSet<>();
        for (String[] c : cdrs) {
            assertEquals(24, c.length, "every column present: " + String.join(",", c));
            assertEquals("", c[23], "user: none for a call from a trunk");
            assertEquals("sip->pstn", c[DIRECTION]);
            assertTrue(c[E2eGateway.SIP_CALL_ID].matches("\\d+-\\d+@127\\.0\\.0\\.1"), c[E2eGateway.SIP_CALL_ID]);
            assertTrue(sipCallIds.add(c[E2eGateway.SIP_CALL_ID]), "SIP Call-ID once");
            assertTrue(callIds.add(c[CALL_ID]), "gateway call id once");
            assertEquals("5551234", c[E2eGateway.CALLING_IN], "calling before rewriting");
            assertEquals("495551234", c[E2eGateway.CALLING_OUT], "calling after prefix_calling");
            assertEquals(c[E2eGateway.CALLED_IN], c[E2eGateway.CALLED_OUT], "called not rewritten");
            assertNotEquals("0", c[E2eGateway.CHANNEL], "every attempt seized a B-channel");
        }
        check(cdrs.get(0), "1004", "ANSWERED", "16", "200", "sip");
        assertTrue(Long.parseLong(cdrs.get(0)[E2eGateway.RTP_SENT]) > 40, "RTP sent in 1.2 s");
        assertTrue(Long.parseLong(cdrs.get(0)[BILLABLE_S]) >= 1);
        check(cdrs.get(1), "1486", "BUSY", "17", "486", "pstn");
        check(cdrs.get(2), "1404", "UNROUTABLE", "1", "404", "pstn");
        check(cdrs.get(3), "1503", "CONGESTION", "34", "503", "pstn");
        check(cdrs.get(4), "1480", "CANCELLED", "16", "487", "sip");
        check(cdrs.get(5), "1000", "ANSWERED", "38", "200", "pstn");
        assertEquals("1", cdrs.get(5)[E2eGateway.SPAN]);
        check(cdrs.get(6), "1004", "ANSWERED", "41", "200", "gateway");
        for (int i = 1; i <= 4; i++) {
            assertEquals("", cdrs.get(i)[ANSWER_UTC], "not answered");
            assertEquals("0", cdrs.get(i)[BILLABLE_S]);
        }

        assertEquals(7, counters.attempted(CallDirection.SIP_TO_PSTN));
        assertEquals(3, counters.answered(CallDirection.SIP_TO_PSTN));
        assertEquals(4, counters.failed(CallDirection.SIP_TO_PSTN));
        assertEquals(1, counters.failedByCause(17));
        assertEquals(1, counters.failedByCause(34));
        assertEquals(1, counters.endedByCause(38));
        assertEquals(1, counters.endedByCause(41));
    }

    private static void check(String[] cdr, String called, String disposition, String cause, String sipStatus,
            String releasedBy) {
        String line = String.join(",", cdr);
        assertEquals(called, cdr[E2eGateway.CALLED_IN], line);
        assertEquals(disposition, cdr[E2eGateway.DISPOSITION], line);
        assertEquals(cause, cdr[E2eGateway.Q850], line);
        assertEquals(sipStatus, cdr[E2eGateway.SIP_STATUS], line);
        assertEquals(releasedBy, cdr[E2eGateway.RELEASED_BY], line);
    }

    private static Path rejected(int status, int cause) {
        return Scenarios.fill("rejected.xml", Map.of("STATUS", Integer.toString(status), "CAUSE",
                Integer.toString(cause)));
    }

    private static Path released(int cause) {
        return Scenarios.fill("released-by-gateway.xml", Map.of("CAUSE", Integer.toString(cause),
                "TIMEOUT_MS", "20000"));
    }

    private void awaitAnswered(int span) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (gw.gateway.model().snapshot().activeCalls().stream()
                .noneMatch(c -> c.span() == span && c.call().answered())) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no answered call on span " + span + " within 5 s");
            }
            Thread.sleep(20);
        }
    }
}
