package org.tandem.tdm;

/**
 * A span's cumulative line error counters as the driver keeps them (DAHDI SPANSTAT), since the
 * driver loaded.
 *
 * @param bipolarViolations line code violations (DAHDI {@code bpvcount})
 * @param crc4Errors CRC-4 / CRC-6 errors ({@code crc4count})
 * @param framingErrors frame alignment errors ({@code fascount})
 * @param erroredSeconds errored seconds ({@code errsec})
 */
public record SpanErrors(long bipolarViolations, long crc4Errors, long framingErrors, long erroredSeconds) {
}
