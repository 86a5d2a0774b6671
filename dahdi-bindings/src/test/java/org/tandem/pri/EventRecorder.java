package org.tandem.pri;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Records a span's events (on the engine thread) for a test to await, bounded in time. */
final class EventRecorder implements PriSpanListener {
    static final long TIMEOUT_MS = 20_000;

    private final LinkedBlockingQueue<PriEvent> queue = new LinkedBlockingQueue<>();
    private final List<PriEvent> seen = new ArrayList<>();
    private volatile Predicate<PriEvent> autoHangup = e -> e instanceof PriEvent.DisconnectRequested;

    @Override
    public void onPriEvent(PriSpan span, PriEvent event) {
        if (autoHangup.test(event)) {
            PriEvent.DisconnectRequested d = (PriEvent.DisconnectRequested) event;
            d.call().hangup(d.cause());
        }
        queue.add(event);
    }

    /** Next event of this type, skipping others (kept in {@link #seen()}). */
    <T extends PriEvent> T await(Class<T> type) throws InterruptedException {
        return await(type, e -> true);
    }

    <T extends PriEvent> T await(Class<T> type, Predicate<T> match) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (true) {
            long left = deadline - System.nanoTime();
            PriEvent e = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no " + type.getSimpleName() + " within " + TIMEOUT_MS + " ms; seen " + seen);
            }
            seen.add(e);
            if (type.isInstance(e) && match.test(type.cast(e))) {
                return type.cast(e);
            }
        }
    }

    List<PriEvent> seen() {
        return seen;
    }

    void disableAutoHangup() {
        autoHangup = e -> false;
    }
}
