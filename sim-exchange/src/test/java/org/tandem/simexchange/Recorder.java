package org.tandem.simexchange;

import org.tandem.pri.PriEvent;
import org.tandem.pri.PriSpan;
import org.tandem.pri.PriSpanListener;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Records a span's events (engine thread) for a test to await, bounded in time. */
final class Recorder implements PriSpanListener {
    static final long TIMEOUT_MS = 20_000;

    private final LinkedBlockingQueue<PriEvent> queue = new LinkedBlockingQueue<>();
    private final List<PriEvent> seen = new ArrayList<>();
    private final boolean answerDisconnects;

    Recorder(boolean answerDisconnects) {
        this.answerDisconnects = answerDisconnects;
    }

    @Override
    public void onPriEvent(PriSpan span, PriEvent event) {
        if (answerDisconnects && event instanceof PriEvent.DisconnectRequested d) {
            d.call().hangup(d.cause());
        }
        queue.add(event);
    }

    /** True if an Answered event has been seen or is queued. */
    boolean seenAnswered() {
        return seen.stream().anyMatch(e -> e instanceof PriEvent.Answered)
            || queue.stream().anyMatch(e -> e instanceof PriEvent.Answered);
    }

    <T extends PriEvent> T await(Class<T> type) throws InterruptedException {
        return await(type, e -> true);
    }

    /** Next event of this type matching {@code match}; others are skipped (kept in the message). */
    <T extends PriEvent> T await(Class<T> type, Predicate<T> match) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (true) {
            long left = deadline - System.nanoTime();
            PriEvent e = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no matching " + type.getSimpleName() + " within " + TIMEOUT_MS
                    + " ms; seen " + seen);
            }
            seen.add(e);
            if (type.isInstance(e) && match.test(type.cast(e))) {
                return type.cast(e);
            }
        }
    }
}
