package org.tandem.gateway.ops;

import java.util.List;
import java.util.Objects;
import org.tandem.tdm.SpanType;

/**
 * The configured, unchanging facts of a span, given to {@link GatewayModel#addSpan}.
 *
 * @param number span number (1-based, as in DAHDI and the INI); also its ifIndex in IF-MIB
 * @param name operator-facing name, e.g. "TE4/0/1" or the INI section name
 * @param lineType framing
 * @param lineCoding line code
 * @param signalling "pri_cpe" or "pri_net"
 * @param bearerChannels channel positions of the B-channels, ascending
 */
public record SpanDefinition(int number, String name, LineType lineType, LineCoding lineCoding,
        String signalling, List<Integer> bearerChannels) {

    public SpanDefinition {
        if (number < 1) {
            throw new IllegalArgumentException("span number must be >= 1, got " + number);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lineType, "lineType");
        Objects.requireNonNull(lineCoding, "lineCoding");
        Objects.requireNonNull(signalling, "signalling");
        bearerChannels = List.copyOf(bearerChannels);
        int previous = 0;
        for (int chanpos : bearerChannels) {
            if (chanpos <= previous || chanpos > lineType.spanType().timeslots()) {
                throw new IllegalArgumentException("span " + number + ": bearer channels must be"
                        + " ascending within 1.." + lineType.spanType().timeslots() + ", got "
                        + bearerChannels);
            }
            previous = chanpos;
        }
    }

    public SpanType type() {
        return lineType.spanType();
    }

    /** Nominal line rate in bits per second (ifSpeed): 2.048 Mbit/s E1, 1.544 Mbit/s T1. */
    public long lineRateBps() {
        return type() == SpanType.E1 ? 2_048_000L : 1_544_000L;
    }
}
