package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.tandem.pri.PriCall;
import org.tandem.pri.PriEvent;

/**
 * PRI call hold ({@code [span N] hold = yes}) end to end against the simulated exchange: a SIP
 * hold (re-INVITE sendonly) sends Q.931 HOLD, the resume (sendrecv) RETRIEVE of the same
 * B-channel, both acknowledged by the exchange; a HOLD and RETRIEVE from the exchange are
 * acknowledged by the gateway and told to the SIP peer (re-INVITE sendonly, then sendrecv), the
 * call going on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PriHoldEndToEndTest extends AbstractEndToEndTest {
    private final List<PriEvent> exchangeEvents = new CopyOnWriteArrayList<>();

    PriHoldEndToEndTest() {
        super(Gateway.Options.defaults(), "span.1.hold=yes", "span.2.hold=yes");
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

    private <T extends PriEvent> T await(Class<T> type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        do {
            for (PriEvent e : exchangeEvents) {
                if (type.isInstance(e)) {
                    return type.cast(e);
                }
            }
            Thread.sleep(20);
        } while (System.nanoTime() - deadline < 0);
        return null;
    }

    @Test
    void shouldSendHoldAndRetrieveForASipHoldAndResume() throws Exception {
        SippRunner.Sipp sipp = gw.uac(Scenarios.fill("call-hold.xml",
                Map.of("HOLD", "sendonly", "HOLD_ANSWER", "recvonly")), "1004", rtp.port()).option("-d", "1500").start();
        PriEvent.IncomingCall ring = await(PriEvent.IncomingCall.class);
        assertNotNull(ring, "the call reached the exchange");
        PriEvent.HoldRequested hold = await(PriEvent.HoldRequested.class);
        assertNotNull(hold, "HOLD reached the exchange after the SIP hold");
        assertEquals(ring.call(), hold.call());
        PriEvent.RetrieveRequested retrieve = await(PriEvent.RetrieveRequested.class);
        assertNotNull(retrieve, "RETRIEVE reached the exchange after the SIP resume");
        assertEquals(ring.channel(), retrieve.channel(), "the call's own B-channel back");
        SippRunner.Result r = sipp.await();
        assertTrue(r.succeeded(), r::toString);
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldAcknowledgeTheExchangesHoldAndRetrieveAndTellTheSipPeer() throws Exception {
        // sipp expects a re-INVITE sendonly on the hold and one sendrecv on the retrieval.
        SippRunner.Sipp sipp = gw.uac(Scenarios.file("call-held-by-pstn.xml"), "1004", rtp.port()).start();
        PriEvent.IncomingCall ring = await(PriEvent.IncomingCall.class);
        assertNotNull(ring, "the call reached the exchange");
        // The milliwatt reaching sipp's RTP port means the call is connected on both sides.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (rtp.streams().isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
        assertTrue(!rtp.streams().isEmpty(), "the call is connected");
        PriCall atExchange = ring.call();
        atExchange.hold();
        assertNotNull(await(PriEvent.HoldAcknowledged.class), "the gateway acknowledged the exchange's HOLD");
        Thread.sleep(1_000); // pacing: the sendonly re-INVITE is answered and ACKed before the retrieval
        atExchange.retrieve();
        assertNotNull(await(PriEvent.RetrieveAcknowledged.class), "the gateway acknowledged the RETRIEVE");
        // sipp's scenario fails on a BYE it did not send, so its success says the call went on
        // through the hold and the retrieval until sipp's own BYE; the exchange then sees that
        // BYE's normal clearing, not a release of the gateway's making.
        SippRunner.Result r = sipp.await();
        assertTrue(r.succeeded(), r::toString);
        assertTrue(gw.awaitIdle(5_000));
        PriEvent.CallReleased released = await(PriEvent.CallReleased.class); // the test's only call
        assertNotNull(released, "the exchange saw the call cleared");
        assertEquals(16, released.cause(), "cleared normally by sipp's BYE");
    }
}
