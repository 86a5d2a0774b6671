package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.pri.PriEvent;

/**
 * Overlap sending towards the PSTN ({@code [span N] overlap_send_digits = 2}) against the
 * simulated exchange, which does overlap receiving: an INVITE for 1004 becomes a SETUP with "10"
 * and no Sending Complete, the exchange answers SETUP ACKNOWLEDGE, the gateway sends "04" in
 * INFORMATION, the exchange completes the number and the milliwatt line answers; an unallocated
 * number completed the same way is refused (404, cause 1).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OverlapSendingEndToEndTest extends AbstractEndToEndTest {
    private final List<PriEvent> exchangeEvents = new CopyOnWriteArrayList<>();

    OverlapSendingEndToEndTest() {
        super(Gateway.Options.defaults(), "span.1.overlap_send_digits=2", "span.2.overlap_send_digits=2");
    }

    @BeforeAll
    void watchExchanges() {
        for (int span = 1; span <= 2; span++) {
            gw.gateway.exchange(span).addObserver((s, e) -> exchangeEvents.add(e));
        }
    }

    @BeforeEach
    void clear() {
        exchangeEvents.clear();
    }

    private List<String> overlapNumbers() {
        List<String> all = new java.util.ArrayList<>(gw.gateway.exchange(1).overlapNumbers());
        all.addAll(gw.gateway.exchange(2).overlapNumbers());
        return all;
    }

    @Test
    void shouldSendTheFirstDigitsInTheSetupAndTheRestAfterSetupAcknowledge() throws Exception {
        int before = overlapNumbers().size();
        SippRunner.Result r = gw.uac(Scenarios.file("call.xml"), "1004", rtp.port()).option("-d", "1500").run();
        assertTrue(r.succeeded(), r::toString);
        PriEvent.IncomingCall ring = exchangeEvents.stream().filter(e -> e instanceof PriEvent.IncomingCall)
                .map(PriEvent.IncomingCall.class::cast).findFirst().orElse(null);
        assertNotNull(ring, "the SETUP reached the exchange");
        assertEquals("10", ring.called().digits(), "two digits in the SETUP");
        assertFalse(ring.complete(), "no Sending Complete");
        List<String> numbers = overlapNumbers();
        assertEquals(before + 1, numbers.size());
        assertEquals("1004", numbers.get(numbers.size() - 1), "the exchange completed the number from INFORMATION");
        assertFalse(rtp.streams().isEmpty(), "the milliwatt line answered: RTP reached sipp");
        byte[] audio = rtp.streams().values().iterator().next().bytes();
        assertEquals(1004, RtpPeer.frequencyHz(audio, audio.length / 2, 4000), 8);
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldRefuseAnOverlapDialledUnallocatedNumber() throws Exception {
        SippRunner.Result r = gw.uac(Scenarios.fill("rejected.xml", Map.of("STATUS", "404", "CAUSE", "1")), "1999",
                rtp.port()).run();
        assertTrue(r.succeeded(), r::toString);
        assertTrue(overlapNumbers().contains("1999"), "completed at the plan's number length: " + overlapNumbers());
        assertTrue(gw.awaitIdle(5_000));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (exchangeEvents.stream().noneMatch(e -> e instanceof PriEvent.CallReleased)
                && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
        assertTrue(exchangeEvents.stream().anyMatch(e -> e instanceof PriEvent.CallReleased), "released at the exchange");
    }
}
