package org.tandem.gateway.ops;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.tdm.SpanErrors;
import org.tandem.tdm.TdmSpan;

/**
 * Reads each span's driver error counters once a second ({@link TdmSpan#errors}: a DAHDI SPANSTAT)
 * into the ops model ({@link GatewayModel#setSpanErrors}), where DS1-MIB's interval tables, IF-MIB
 * ifInErrors and {@code tandem_span_errored_seconds_total} read them. On its own daemon thread,
 * never call control's or a media agent's; the model is only updated when a counter changed.
 * Spans whose backend counts nothing (the simulated one) are not polled at all.
 */
public final class SpanErrorPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpanErrorPoller.class);

    /** Null when no span reports counters. */
    private final ScheduledExecutorService timer;

    private SpanErrorPoller(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Whether any span is polled (none with the simulated backend). */
    public boolean polling() {
        return timer != null;
    }

    /** Starts polling the spans that report counters (an idle poller when none does). */
    public static SpanErrorPoller start(GatewayModel model, List<TdmSpan> spans) {
        List<TdmSpan> counting = spans.stream().filter(s -> s.errors() != null).toList();
        if (counting.isEmpty()) {
            return new SpanErrorPoller(null);
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "span-errors");
            t.setDaemon(true);
            return t;
        });
        Ds1ErrorCounters[] last = new Ds1ErrorCounters[counting.size()];
        timer.scheduleWithFixedDelay(() -> {
            for (int i = 0; i < counting.size(); i++) {
                TdmSpan s = counting.get(i);
                try {
                    SpanErrors e = s.errors();
                    Ds1ErrorCounters now = new Ds1ErrorCounters(e.bipolarViolations(), e.crc4Errors(),
                            e.framingErrors(), e.erroredSeconds());
                    if (!now.equals(last[i])) {
                        model.setSpanErrors(s.spanNumber(), now);
                        last[i] = now;
                    }
                } catch (RuntimeException ex) {
                    LOG.debug("span {}: error counters not read: {}", s.spanNumber(), ex.toString());
                }
            }
        }, 0, 1, TimeUnit.SECONDS);
        return new SpanErrorPoller(timer);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
