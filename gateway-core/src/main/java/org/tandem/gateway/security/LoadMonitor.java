package org.tandem.gateway.security;

import java.lang.management.ManagementFactory;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the load every {@link #PERIOD_MS} on a thread of its own and feeds
 * {@link OverloadControl#evaluate}: call control's queue latency (a probe message is queued on
 * call control and times its own wait; a probe still waiting counts as long as it has waited, so a
 * stuck call control is seen), the queue's depth, this process's CPU (the JVM's
 * {@code OperatingSystemMXBean.getProcessCpuLoad}, share of all cores since the previous call) and
 * the B-channels busy. When overload begins or ends, {@code onChange} runs on call control (the
 * model's writer).
 */
public final class LoadMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoadMonitor.class);
    public static final long PERIOD_MS = 100;

    private final OverloadControl control;
    private final Executor callControl;
    private final IntSupplier queueDepth;
    private final IntSupplier channelsBusyPercent;
    private final Runnable onChange;
    private final ScheduledExecutorService thread;
    private final com.sun.management.OperatingSystemMXBean os;
    /** nanoTime the probe in flight was queued at, or 0 when none is. */
    private volatile long probeQueuedNs;
    private volatile long lastLatencyNs;

    /**
     * @param onChange run on {@code callControl} when overload begins or ends
     */
    public LoadMonitor(OverloadControl control, Executor callControl, IntSupplier queueDepth,
            IntSupplier channelsBusyPercent, Runnable onChange) {
        this.control = control;
        this.callControl = callControl;
        this.queueDepth = queueDepth;
        this.channelsBusyPercent = channelsBusyPercent;
        this.onChange = onChange;
        this.os = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean o
                ? o : null;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "overload-monitor");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        thread.scheduleAtFixedRate(this::sample, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
        LOG.info("overload control on: {}", control.thresholds());
    }

    private void sample() {
        try {
            long now = System.nanoTime();
            long queued = probeQueuedNs;
            long latencyNs = queued != 0 ? Math.max(lastLatencyNs, now - queued) : lastLatencyNs;
            if (queued == 0) {
                probeQueuedNs = now;
                callControl.execute(this::probe);
            }
            int cpu = 0;
            if (os != null) {
                double load = os.getProcessCpuLoad();
                cpu = load < 0 ? 0 : (int) Math.round(load * 100);
            }
            OverloadControl.Sample s = new OverloadControl.Sample(TimeUnit.NANOSECONDS.toMillis(latencyNs),
                    queueDepth.getAsInt(), cpu, channelsBusyPercent.getAsInt());
            int before = control.reductionPercent();
            if (control.evaluate(s)) {
                callControl.execute(onChange);
            }
            int after = control.reductionPercent();
            if (after != before && (before == 0 || after == 0 || after == 100)) {
                LOG.info("overload control: refusing {}% of new INVITEs (was {}%){}", after, before,
                        after == 0 ? "" : ": " + control.reason());
            }
        } catch (RuntimeException e) {
            LOG.error("overload sample failed; the next one goes on", e);
        }
    }

    /** Runs on call control: how long it waited there. */
    private void probe() {
        long queued = probeQueuedNs;
        if (queued != 0) {
            lastLatencyNs = System.nanoTime() - queued;
            probeQueuedNs = 0;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
