package org.tandem.gateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.tandem.tdm.BChannel;
import org.tandem.tdm.DChannel;
import org.tandem.tdm.SpanErrors;
import org.tandem.tdm.SpanType;
import org.tandem.tdm.TdmSpan;

/** The driver's span counters reach the ops model; a backend without counters is not polled. */
class SpanErrorPollerTest {

    /** A span whose driver reports {@code counters} (null: counts nothing). */
    private static TdmSpan span(int number, AtomicReference<SpanErrors> counters) {
        return new TdmSpan() {
            public int spanNumber() {
                return number;
            }

            public SpanType type() {
                return SpanType.E1;
            }

            public String name() {
                return "test/" + number;
            }

            public DChannel dChannel() {
                return null;
            }

            public List<BChannel> bChannels() {
                return List.of();
            }

            public BChannel bChannel(int chanpos) {
                return null;
            }

            public int alarms() {
                return 0;
            }

            public SpanErrors errors() {
                return counters.get();
            }

            public void close() {
            }
        };
    }

    @Test
    void shouldCopyTheDriversCountersIntoTheModel() throws Exception {
        GatewayModel model = TestModels.twoSpansWithCalls(new AtomicLong(TestModels.T0));
        AtomicReference<SpanErrors> counters = new AtomicReference<>(new SpanErrors(0, 0, 0, 0));
        try (SpanErrorPoller poller = SpanErrorPoller.start(model, List.of(span(1, counters)))) {
            counters.set(new SpanErrors(9, 4, 1, 3));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (model.snapshot().span(1).errors().bipolarViolations() != 9 && System.nanoTime() - deadline < 0) {
                Thread.sleep(20);
            }
            assertEquals(new Ds1ErrorCounters(9, 4, 1, 3), model.snapshot().span(1).errors());
            assertEquals(Ds1ErrorCounters.NONE, model.snapshot().span(2).errors(), "span 2 not polled");
        }
    }

    @Test
    void shouldNotStartForBackendsWithoutCounters() {
        GatewayModel model = TestModels.twoSpansWithCalls(new AtomicLong(TestModels.T0));
        try (SpanErrorPoller poller = SpanErrorPoller.start(model, List.of(span(1, new AtomicReference<>())))) {
            assertFalse(poller.polling());
        }
    }
}
