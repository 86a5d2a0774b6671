package org.tandem.tdm;

import java.util.List;

/** One E1/T1 span as a backend opened it: its D-channel, its B-channels and its alarms. */
public interface TdmSpan extends AutoCloseable {
    int spanNumber();

    SpanType type();

    /** Human-readable name, e.g. "sim/1" or the driver's span name. */
    String name();

    DChannel dChannel();

    /** B-channels in ascending chanpos order. */
    List<BChannel> bChannels();

    /** The B-channel at this position, or null if the span has none there. */
    BChannel bChannel(int chanpos);

    /** Current DAHDI alarm bits of the span (SPANSTAT alarms; 0 = in service). */
    int alarms();

    /**
     * The driver's cumulative error counters, read now (a SPANSTAT for DAHDI: not for a media
     * thread), or null when the backend counts none (the simulated span).
     */
    default SpanErrors errors() {
        return null;
    }

    @Override
    void close();
}
