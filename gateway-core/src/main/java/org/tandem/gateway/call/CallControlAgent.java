package org.tandem.gateway.call;

import java.util.PriorityQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The call-control thread: one queue of messages (SIP, PRI, media, console and timer events, all
 * as {@link Runnable}s) and one timer heap, both owned by one thread. Other threads only
 * {@link #execute} (enqueue); nothing here blocks except the idle wait for the next message.
 *
 * <p>Agrona-style: {@link #doWork()} runs everything queued and every timer that is due and returns
 * how much it did, so tests drive the agent without its thread, with a clock they advance.
 */
public final class CallControlAgent implements Executor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CallControlAgent.class);
    /** Longest idle wait, so a stuck clock or a lost wake-up cannot stall timers for long. */
    private static final long MAX_IDLE_NS = TimeUnit.MILLISECONDS.toNanos(250);

    private final String name;
    private final LongSupplier nanoClock;
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long timerSequence;
    /** Cancelled timers still in {@link #timers} (agent thread only). */
    private int cancelledTimers;
    private static final int PURGE_AT = 4096;
    private volatile Thread thread;
    private volatile boolean running;

    /** A scheduled message; {@link #cancel()} only on the agent thread. */
    public static final class Timer implements Comparable<Timer> {
        private final long deadlineNs;
        private final long sequence;
        private final CallControlAgent owner;
        private Runnable action;
        private boolean cancelled;

        private Timer(long deadlineNs, long sequence, Runnable action, CallControlAgent owner) {
            this.deadlineNs = deadlineNs;
            this.sequence = sequence;
            this.action = action;
            this.owner = owner;
        }

        /**
         * Cancels it and lets go of its action at once: a cancelled timer stays in the queue until
         * its deadline, and its action holds the call. A 180 s no-answer timer, cancelled at
         * answer, kept every ended call (about 4.7 KB each) for 3 minutes: 850 MB at 1,000 calls/s
         * (docs/BENCHMARKS.md, "Capacity").
         */
        public void cancel() {
            if (!cancelled && action != null) { // null: it ran already, it is no longer queued
                cancelled = true;
                action = null;
                owner.cancelledTimers++;
            }
        }

        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(deadlineNs - o.deadlineNs, 0);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    public CallControlAgent(String name, LongSupplier nanoClock) {
        this.name = name;
        this.nanoClock = nanoClock;
    }

    /** Starts the agent's own thread. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException(name + " already started");
        }
        running = true;
        Thread t = new Thread(this::run, name);
        t.setDaemon(false);
        thread = t;
        t.start();
    }

    /** Queues a message; callable from any thread, never blocks. */
    @Override
    public void execute(Runnable message) {
        if (!queue.offer(message)) {
            throw new RejectedExecutionException(name + ": queue refused a message");
        }
    }

    /** Messages waiting in the queue now (overload control measures it; any thread). */
    public int queueDepth() {
        return queue.size();
    }

    /** True on the agent's thread (or always, when tests drive {@link #doWork()} without a thread). */
    public boolean onAgentThread() {
        Thread t = thread;
        return t == null || t == Thread.currentThread();
    }

    public long nowNs() {
        return nanoClock.getAsLong();
    }

    /** Schedules {@code action} on the agent thread after {@code delayMs}; call on the agent thread. */
    public Timer schedule(long delayMs, Runnable action) {
        Timer t = new Timer(nanoClock.getAsLong() + TimeUnit.MILLISECONDS.toNanos(delayMs), timerSequence++, action,
                this);
        timers.add(t);
        // Cancelled timers wait for their deadline in the queue; when they are most of it, drop them.
        if (cancelledTimers > PURGE_AT && cancelledTimers > timers.size() / 2) {
            timers.removeIf(x -> x.cancelled);
            cancelledTimers = 0;
        }
        return t;
    }

    /** Runs queued messages and due timers; returns how many ran. */
    public int doWork() {
        int work = 0;
        for (Runnable r = queue.poll(); r != null; r = queue.poll()) {
            runSafely(r);
            work++;
        }
        long now = nanoClock.getAsLong();
        while (!timers.isEmpty() && timers.peek().deadlineNs - now <= 0) {
            Timer t = timers.poll();
            if (!t.cancelled) {
                Runnable a = t.action;
                t.action = null;
                runSafely(a);
                work++;
            } else {
                cancelledTimers--;
            }
        }
        return work;
    }

    /** Timers in the queue, cancelled ones included (tests). */
    int queuedTimers() {
        return timers.size();
    }

    private void runSafely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | AssertionError e) {
            LOG.error("{}: message {} failed; call control continues", name, r, e);
        }
    }

    private long idleNs() {
        while (!timers.isEmpty() && timers.peek().cancelled) {
            timers.poll();
            cancelledTimers--;
        }
        if (timers.isEmpty()) {
            return MAX_IDLE_NS;
        }
        return Math.max(0, Math.min(MAX_IDLE_NS, timers.peek().deadlineNs - nanoClock.getAsLong()));
    }

    private void run() {
        while (running) {
            doWork();
            try {
                Runnable next = queue.poll(idleNs(), TimeUnit.NANOSECONDS);
                if (next != null) {
                    runSafely(next);
                }
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            }
        }
        doWork();
        LOG.debug("{} stopped", name);
    }

    /** Stops the thread after the messages already queued; waits up to 5 s. */
    @Override
    public void close() {
        Thread t = thread;
        if (t == null) {
            return;
        }
        execute(() -> running = false);
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warn("{} did not stop within 5 s", name);
        }
    }
}
