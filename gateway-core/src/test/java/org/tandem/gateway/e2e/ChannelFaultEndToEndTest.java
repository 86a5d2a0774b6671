package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.ops.ChannelRef;
import org.tandem.gateway.ops.ChannelStatus;
import org.tandem.gateway.ops.ChannelView;
import org.tandem.gateway.sip.testing.SippRunner;

/**
 * A B-channel that fails every call (the simulated card's broken channel: every per-call ioctl
 * fails with EIO, as on a faulty DAHDI card) is taken out of service after {@code fault_limit}
 * calls in a row failed on it, the calls after that go to other channels and succeed, the
 * exchange's SETUP on it is refused with cause 44, the
 * channel gets one trial call after {@code fault_retry_s} (which fails again here: out again), and
 * the operator's unblock puts the repaired channel back. Hunting is ascending, so without this
 * the broken channel 1/1 would get every call of a lightly loaded gateway.
 */
class ChannelFaultEndToEndTest extends AbstractEndToEndTest {
    private static final int RETRY_S = 15; // the three calls after the fault must end before the trial (a loaded CI box)

    ChannelFaultEndToEndTest() {
        super(Gateway.Options.defaults(), "group.pstn.fault_limit=2", "group.pstn.fault_retry_s=" + RETRY_S);
    }

    @Test
    void shouldTakeABrokenChannelOutOfServiceAfterTheLimitAndCarryTheNextCallsElsewhere() throws Exception {
        gw.gateway.simCard().setBroken(1, 1, true);
        try {
            for (int i = 1; i <= 2; i++) {
                SippRunner.Result r = gw.uac(refused(), "1004", rtp.port()).run();
                assertTrue(r.succeeded(), "call " + i + " on the broken channel is refused with 503, cause 41: " + r);
                String[] cdr = lastCdr();
                assertEquals("1/1", cdr[E2eGateway.SPAN] + "/" + cdr[E2eGateway.CHANNEL], "call " + i);
                assertEquals("41", cdr[E2eGateway.Q850]);
            }
            ChannelView ch = channel(1, 1);
            assertEquals(ChannelStatus.FAULT, ch.status(), "out of service after fault_limit = 2 failures");
            assertNotNull(ch.fault());
            assertTrue(ch.fault().contains("SETLAW failed") && ch.fault().contains("2 calls in a row"), ch.fault());

            // The exchange's SETUP on it is refused with 44 (requested channel not available).
            gw.gateway.exchange(1).originate("5550100", "200", 1);
            String[] refused = lastCdr();
            assertEquals("1/1", refused[E2eGateway.SPAN] + "/" + refused[E2eGateway.CHANNEL]);
            assertEquals("200", refused[E2eGateway.CALLED_IN]);
            assertEquals("44", refused[E2eGateway.Q850]);

            for (int i = 0; i < 3; i++) {
                answeredCall();
                String[] cdr = lastCdr();
                assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
                assertNotEquals("1/1", cdr[E2eGateway.SPAN] + "/" + cdr[E2eGateway.CHANNEL],
                        "no call is given to the channel out of service");
            }
            assertTrue(gw.awaitIdle(5_000));

            // After fault_retry_s the channel is offered to one trial call: still broken, it fails and
            // is out of service again at once (one failure, not fault_limit).
            awaitHunted(1, 1, TimeUnit.SECONDS.toMillis(RETRY_S * 3L));
            SippRunner.Result trial = gw.uac(refused(), "1004", rtp.port()).run();
            assertTrue(trial.succeeded(), "the trial call fails on the still broken channel: " + trial);
            String[] cdr = lastCdr();
            assertEquals("1/1", cdr[E2eGateway.SPAN] + "/" + cdr[E2eGateway.CHANNEL], "the trial call got 1/1");
            assertEquals(ChannelStatus.FAULT, channel(1, 1).status(), "out again after the failed trial");
            answeredCall();
            String[] after = lastCdr();
            assertNotEquals("1/1", after[E2eGateway.SPAN] + "/" + after[E2eGateway.CHANNEL]);
        } finally {
            gw.gateway.simCard().setBroken(1, 1, false);
        }
        // Repaired: the operator puts it back without waiting for the next trial.
        String result = gw.gateway.control().unblock(new ChannelRef(1, 1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertTrue(result.contains("back in service"), result);
        ChannelView back = channel(1, 1);
        assertEquals(ChannelStatus.IDLE, back.status());
        assertNull(back.fault());
        assertTrue(gw.awaitIdle(5_000));
        answeredCall();
        String[] cdr = lastCdr();
        assertEquals("1/1", cdr[E2eGateway.SPAN] + "/" + cdr[E2eGateway.CHANNEL], "hunted first again");
        assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
        assertTrue(gw.awaitIdle(5_000));
    }

    private void answeredCall() throws Exception {
        SippRunner.Result r = gw.uac(Scenarios.file("call.xml"), "1004", rtp.port()).option("-d", "300").run();
        assertTrue(r.succeeded(), r::toString);
    }

    private static Path refused() {
        return Scenarios.fill("rejected.xml", Map.of("STATUS", "503", "CAUSE", "41"));
    }

    private ChannelView channel(int span, int chanpos) {
        return gw.gateway.model().snapshot().span(span).channel(chanpos);
    }

    /** The last CDR, once the gateway has written as many as calls were made. */
    private String[] lastCdr() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        cdrsSeen++;
        List<String[]> all = gw.cdrs();
        while (all.size() < cdrsSeen && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
            all = gw.cdrs();
        }
        assertEquals(cdrsSeen, all.size(), "one CDR per call");
        return all.get(all.size() - 1);
    }

    private int cdrsSeen;

    /** Waits until the gateway offers the channel again (its trial): the hunter may give it to a call. */
    private void awaitHunted(int span, int chanpos, long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!gw.gateway.callControl().channelOffered(span, chanpos).get(5, TimeUnit.SECONDS)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("channel " + span + "/" + chanpos + " not offered for a trial within "
                        + timeoutMs + " ms");
            }
            Thread.sleep(50);
        }
    }
}
