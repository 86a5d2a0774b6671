package org.tandem.gateway.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.tandem.config.ChannelGroupConfig;
import org.tandem.config.ChannelGroupConfig.Hunting;
import org.tandem.gateway.ops.ChannelStatus;
import org.tandem.gateway.ops.GatewayModel;
import org.tandem.gateway.ops.OpsEvent;
import org.tandem.gateway.ops.TestModels;

/**
 * The out-of-service policy on a channel table and the ops model, with the agent's clock advanced
 * by the test: the limit, the trial after {@code fault_retry_s}, the doubling up to an hour, a
 * trial that works, the count cleared by a call that worked, {@code fault_limit = 0}, and the
 * operator's unblock. Span 1/1 is where an ascending hunt goes first.
 */
class ChannelFaultsTest {
    private static final int LIMIT = 3;
    private static final int RETRY_S = 60;

    private final AtomicLong nowNs = new AtomicLong(1_000_000_000L);
    private final CallControlAgent agent = new CallControlAgent("faults-test", nowNs::get);
    private final AtomicLong clockMs = new AtomicLong(TestModels.T0);
    private final GatewayModel model = TestModels.twoSpansWithCalls(clockMs);
    private final List<OpsEvent.ChannelServiceChanged> events = new ArrayList<>();
    private final ChannelTable table = new ChannelTable();
    private ChannelFaults faults;
    private ChannelTable.Channel first;

    private void start(int limit) {
        List<int[]> channels = new ArrayList<>();
        for (int ts = 2; ts <= 4; ts++) { // 1/1 carries the model's call c1: stay off it
            channels.add(new int[] {1, ts});
        }
        table.addGroup("pstn", Hunting.ASCENDING, channels);
        table.setDChannelUp(1, true);
        model.addListener(e -> {
            if (e instanceof OpsEvent.ChannelServiceChanged c) {
                events.add(c);
            }
        });
        faults = new ChannelFaults(table, agent, new OpsModelReporter(model), Map.of("pstn",
                new ChannelGroupConfig("pstn", Hunting.ASCENDING, 0, 5000, null, limit, RETRY_S, List.of(1))));
        first = table.channel(1, 2);
    }

    @Test
    void shouldTakeTheChannelOutOfServiceAtTheLimitAndHuntPastIt() {
        start(LIMIT);
        for (int i = 1; i < LIMIT; i++) {
            faults.failed(first, "media cannot attach: boom");
            assertEquals("1/2", hunt(), "still in service after " + i + " failure(s)");
        }
        faults.failed(first, "media cannot attach: boom");
        assertTrue(first.isOutOfService());
        assertEquals("1/3", hunt(), "hunted past the channel out of service");
        assertEquals(ChannelStatus.FAULT, model.snapshot().span(1).channel(2).status());
        assertEquals("media cannot attach: boom (3 calls in a row)", model.snapshot().span(1).channel(2).fault());
        assertEquals(1, events.size());
        assertFalse(events.get(0).inService());
        assertEquals(2, events.get(0).chanpos());
    }

    @Test
    void shouldOfferItToOneTrialCallAfterTheRetryAndDoubleTheWaitWhenTheTrialFails() {
        start(LIMIT);
        fail(LIMIT);
        advance(RETRY_S - 1);
        assertTrue(first.isOutOfService(), "not before fault_retry_s");
        advance(1);
        assertFalse(first.isOutOfService(), "offered for a trial after fault_retry_s");
        assertEquals("1/2", hunt());
        assertEquals("media cannot attach: boom (3 calls in a row)", model.snapshot().span(1).channel(2).fault(),
                "still shown as faulty until a trial proves it");
        faults.failed(first, "media cannot attach: boom");
        assertTrue(first.isOutOfService(), "one failed trial takes it out again");
        long[] waits = {2 * RETRY_S, 4 * RETRY_S, 8 * RETRY_S, 16 * RETRY_S, 32 * RETRY_S, 3600, 3600};
        for (long wait : waits) {
            advance(wait - 1);
            assertTrue(first.isOutOfService(), "out for " + wait + " s");
            advance(1);
            assertFalse(first.isOutOfService(), "trial after " + wait + " s");
            faults.failed(first, "media cannot attach: boom");
        }
        assertEquals(1, events.size(), "out of service once: the trials did not bring it back");
    }

    @Test
    void shouldPutItBackInServiceWhenTheTrialCallsMediaAttaches() {
        start(LIMIT);
        fail(LIMIT);
        advance(RETRY_S);
        assertTrue(faults.suspect(first), "the trial call's attach is watched");
        faults.attached(first);
        faults.callEnded(first);
        assertNull(model.snapshot().span(1).channel(2).fault());
        assertEquals(ChannelStatus.IDLE, model.snapshot().span(1).channel(2).status());
        assertEquals(2, events.size());
        assertTrue(events.get(1).inService());
        assertFalse(faults.suspect(first), "healthy again: attaches are not watched");
        fail(LIMIT);
        advance(RETRY_S - 1);
        assertTrue(first.isOutOfService(), "the wait starts from fault_retry_s again");
        advance(1);
        assertFalse(first.isOutOfService());
    }

    @Test
    void shouldStartTheCountAgainAfterACallThatWorked() {
        start(LIMIT);
        fail(LIMIT - 1);
        faults.callEnded(first);
        fail(LIMIT - 1);
        assertFalse(first.isOutOfService(), "failures not in a row");
        assertTrue(events.isEmpty());
    }

    @Test
    void shouldNeverTakeAChannelOutWithALimitOfZero() {
        start(0);
        fail(50);
        assertFalse(first.isOutOfService());
        assertFalse(faults.suspect(first));
    }

    @Test
    void shouldPutItBackAtOnceWhenTheOperatorUnblocksIt() {
        start(LIMIT);
        fail(LIMIT);
        assertTrue(faults.clear(first));
        assertFalse(first.isOutOfService());
        assertNull(model.snapshot().span(1).channel(2).fault());
        advance(RETRY_S);
        fail(LIMIT - 1);
        assertFalse(first.isOutOfService(), "the cancelled trial timer did not leave a count behind");
        assertFalse(faults.clear(table.channel(1, 3)), "a healthy channel was not out of service");
    }

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            faults.failed(first, "media cannot attach: boom");
        }
    }

    private String hunt() {
        ChannelTable.Channel c = table.seize("pstn", "call");
        table.free(c, "call");
        return c.toString();
    }

    private void advance(long seconds) {
        nowNs.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
        agent.doWork();
    }
}
