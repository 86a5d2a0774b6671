package org.tandem.gateway.ops;

/**
 * Error counters of a span as DAHDI's SPANSTAT reports them (cumulative since the driver loaded).
 * DS1-MIB's dsx1CurrentTable wants 15-minute-interval counts of errored/severely errored seconds,
 * which DAHDI does not provide; the SNMP agent maps what exists and documents the rest as 0.
 *
 * @param bipolarViolations line code violations (DAHDI {@code bpvcount})
 * @param crc4Errors CRC-4 / CRC-6 errors (DAHDI {@code crc4count})
 * @param framingErrors frame alignment errors (DAHDI {@code fascount})
 * @param erroredSeconds errored seconds since the span came up (DAHDI {@code errsec})
 */
public record Ds1ErrorCounters(long bipolarViolations, long crc4Errors, long framingErrors,
        long erroredSeconds) {
    public static final Ds1ErrorCounters NONE = new Ds1ErrorCounters(0, 0, 0, 0);
}
