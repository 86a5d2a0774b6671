package org.tandem.gateway.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CallControlAgentTest {
    private final AtomicLong nowNs = new AtomicLong(1_000_000_000L);
    private final CallControlAgent agent = new CallControlAgent("test", nowNs::get);
    private final List<String> ran = new ArrayList<>();

    @Test
    void shouldRunQueuedMessagesInOrder() {
        agent.execute(() -> ran.add("a"));
        agent.execute(() -> ran.add("b"));
        assertEquals(2, agent.doWork());
        assertEquals(List.of("a", "b"), ran);
        assertEquals(0, agent.doWork());
    }

    @Test
    void shouldFireTimersOnlyWhenTheClockReachesThemAndInDeadlineOrder() {
        agent.schedule(300, () -> ran.add("300"));
        agent.schedule(100, () -> ran.add("100"));
        agent.schedule(100, () -> ran.add("100 second"));
        agent.doWork();
        assertEquals(List.of(), ran);
        nowNs.addAndGet(99_000_000L);
        agent.doWork();
        assertEquals(List.of(), ran);
        nowNs.addAndGet(1_000_000L);
        agent.doWork();
        assertEquals(List.of("100", "100 second"), ran);
        nowNs.addAndGet(500_000_000L);
        agent.doWork();
        assertEquals(List.of("100", "100 second", "300"), ran);
    }

    @Test
    void shouldNotFireACancelledTimer() {
        CallControlAgent.Timer t = agent.schedule(10, () -> ran.add("cancelled"));
        agent.schedule(20, () -> ran.add("kept"));
        t.cancel();
        nowNs.addAndGet(1_000_000_000L);
        agent.doWork();
        assertEquals(List.of("kept"), ran);
    }

    @Test
    void cancelledTimersDoNotPileUpUntilTheirDeadline() {
        // One no-answer timer (180 s) per call, cancelled at answer: 10,000 calls must not leave
        // 10,000 timers (each holding its call) queued for 3 minutes.
        for (int i = 0; i < 10_000; i++) {
            agent.schedule(180_000, () -> ran.add("no answer")).cancel();
        }
        agent.schedule(180_000, () -> ran.add("live"));
        assertTrue(agent.queuedTimers() < 5_000, "queued: " + agent.queuedTimers());
        nowNs.addAndGet(181_000_000_000L);
        agent.doWork();
        assertEquals(List.of("live"), ran);
        assertEquals(0, agent.queuedTimers());
    }

    @Test
    void cancellingATimerThatRanChangesNothing() {
        CallControlAgent.Timer t = agent.schedule(10, () -> ran.add("ran"));
        nowNs.addAndGet(1_000_000_000L);
        agent.doWork();
        t.cancel();
        agent.schedule(10, () -> ran.add("next"));
        nowNs.addAndGet(1_000_000_000L);
        agent.doWork();
        assertEquals(List.of("ran", "next"), ran);
    }

    @Test
    void shouldKeepRunningAfterAMessageThrows() {
        agent.execute(() -> {
            throw new IllegalStateException("a bug in one call");
        });
        agent.execute(() -> ran.add("next"));
        assertEquals(2, agent.doWork());
        assertEquals(List.of("next"), ran);
    }

    @Test
    void shouldRunMessagesOnItsOwnThreadOnceStarted() throws Exception {
        CallControlAgent real = new CallControlAgent("test-thread", System::nanoTime);
        real.start();
        try {
            java.util.concurrent.CompletableFuture<String> name = new java.util.concurrent.CompletableFuture<>();
            real.execute(() -> name.complete(Thread.currentThread().getName()));
            assertEquals("test-thread", name.get(5, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            real.close();
        }
    }
}
