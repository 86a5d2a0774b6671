package org.tandem.gateway.ops;

import org.tandem.tdm.SpanType;

/**
 * Framing of a span as DS1-MIB (RFC 4805) dsx1LineType names it; {@link #code()} is that
 * enumeration's value.
 */
public enum LineType {
    DSX1_ESF(2, SpanType.T1),
    DSX1_D4(3, SpanType.T1),
    E1(4, SpanType.E1),
    E1_CRC(5, SpanType.E1),
    E1_MF(6, SpanType.E1),
    E1_CRC_MF(7, SpanType.E1);

    private final int code;
    private final SpanType spanType;

    LineType(int code, SpanType spanType) {
        this.code = code;
        this.spanType = spanType;
    }

    public int code() {
        return code;
    }

    public SpanType spanType() {
        return spanType;
    }
}
