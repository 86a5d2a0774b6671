package org.tandem.gateway.snmp;

import org.tandem.gateway.ops.CallCounters;
import org.tandem.gateway.ops.GatewaySnapshot;

/**
 * What a {@link MibSection} renders from: one snapshot, the counters, and the time.
 *
 * @param snapshot model state
 * @param counters call and RTP counters
 * @param nowMillis epoch ms of the request
 * @param agentStartMillis epoch ms at which sysUpTime was 0
 * @param intervals DS1 15-minute interval baselines
 */
public record MibContext(GatewaySnapshot snapshot, CallCounters counters, long nowMillis,
        long agentStartMillis, Ds1Intervals intervals) {

    /**
     * sysUpTime (centiseconds) at the epoch ms {@code whenMillis}: the TimeStamp (SNMPv2-TC)
     * of an event; 0 when it happened before the agent started.
     */
    public long timeStamp(long whenMillis) {
        return Math.max(0, whenMillis - agentStartMillis) / 10;
    }
}
