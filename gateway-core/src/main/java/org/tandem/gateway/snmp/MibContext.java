package org.tandem.gateway.snmp;

import org.tandem.gateway.ops.CallCounters;
import org.tandem.gateway.ops.CallOutcomes;
import org.tandem.gateway.ops.SpanOctets;
import org.tandem.gateway.ops.GatewaySnapshot;

/**
 * What a {@link MibSection} renders from: one snapshot, the counters, and the time.
 *
 * @param snapshot model state
 * @param counters call and RTP counters
 * @param nowMillis epoch ms of the request
 * @param agentStartMillis epoch ms at which sysUpTime was 0
 * @param intervals DS1 15-minute interval baselines
 * @param outcomes per-span and per-SIP-status outcomes, or null
 * @param octets B-channel octets per span (IF-MIB octet counters), or null (then absent)
 */
public record MibContext(GatewaySnapshot snapshot, CallCounters counters, long nowMillis,
        long agentStartMillis, Ds1Intervals intervals, CallOutcomes outcomes, SpanOctets octets) {

    /** Without per-span and per-SIP-status outcomes (their tables are then empty). */
    public MibContext(GatewaySnapshot snapshot, CallCounters counters, long nowMillis, long agentStartMillis,
            Ds1Intervals intervals) {
        this(snapshot, counters, nowMillis, agentStartMillis, intervals, null, null);
    }

    /**
     * sysUpTime (centiseconds) at the epoch ms {@code whenMillis}: the TimeStamp (SNMPv2-TC)
     * of an event; 0 when it happened before the agent started.
     */
    public long timeStamp(long whenMillis) {
        return Math.max(0, whenMillis - agentStartMillis) / 10;
    }
}
