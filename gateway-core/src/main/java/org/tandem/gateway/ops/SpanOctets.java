package org.tandem.gateway.ops;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Octets the gateway's media read from and wrote to the B-channels of each span since start-up:
 * IF-MIB ifHCInOctets/ifHCOutOctets (and the 32-bit ifInOctets/ifOutOctets) of the span, and
 * {@code tandem_span_octets_total}. Only B-channel audio of calls is counted: the D-channel's
 * HDLC frames and idle timeslots are not (DAHDI does not count them per span).
 *
 * <p>Written by the media agents, once per loop turn per channel with the turn's total (an atomic
 * add, no lock, no allocation); read by any thread.
 */
public final class SpanOctets {
    /** Span numbers 1..128 (as the configuration allows); others are not counted. */
    public static final int MAX_SPAN = 128;

    private final AtomicLongArray in = new AtomicLongArray(MAX_SPAN + 1);
    private final AtomicLongArray out = new AtomicLongArray(MAX_SPAN + 1);

    /** {@code octets} read from the span's B-channels (span -> gateway). */
    public void read(int span, long octets) {
        if (octets > 0 && span > 0 && span <= MAX_SPAN) {
            in.getAndAdd(span, octets);
        }
    }

    /** {@code octets} written to the span's B-channels (gateway -> span). */
    public void written(int span, long octets) {
        if (octets > 0 && span > 0 && span <= MAX_SPAN) {
            out.getAndAdd(span, octets);
        }
    }

    public long in(int span) {
        return span > 0 && span <= MAX_SPAN ? in.get(span) : 0;
    }

    public long out(int span) {
        return span > 0 && span <= MAX_SPAN ? out.get(span) : 0;
    }
}
