package org.tandem.gateway.call;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The states of one gateway call (both legs together). A call changes state only through
 * {@link Call#transition}, which checks {@link #canMoveTo} against the table below, FreeTDM-style:
 * an impossible transition is a bug and is logged and refused, never silently taken.
 *
 * <pre>
 *   SIP -> PSTN:  OFFERED -> ROUTING -> SEIZING -> PROCEEDING -> ALERTING -> CONNECTED -> RELEASING -> RELEASED
 *   PSTN -> SIP:  OFFERED -> COLLECTING -> ROUTING -> SEIZING -> PROCEEDING -> ALERTING -> CONNECTED -> ...
 * </pre>
 * Any live state may go to RELEASING (one side cleared or failed); RELEASING ends in RELEASED when
 * both legs have confirmed, the B-channel is idle, RTP ports returned and the CDR queued.
 * ROUTING may return to SEIZING on failover (the next target after a failure with a failover cause).
 */
public enum CallState {
    /** Incoming leg received (SIP INVITE or PRI SETUP), not yet routed. */
    OFFERED,
    /** PSTN overlap receiving: waiting for more digits (sending complete, min digits or timeout). */
    COLLECTING,
    /** Route chosen, outgoing leg being prepared (channel hunt, RTP ports). */
    ROUTING,
    /** Outgoing leg sent (PRI SETUP or SIP INVITE), no answer from the far side yet. */
    SEIZING,
    /** Far side accepted the call attempt (PRI CALL PROCEEDING / SIP 100 or 18x without ringing). */
    PROCEEDING,
    /** Far side is ringing or sends early media (PRI ALERTING/PROGRESS, SIP 180/183). */
    ALERTING,
    /** Answered; media flows both ways. */
    CONNECTED,
    /** Clearing: waiting for the legs to confirm release. */
    RELEASING,
    /** Both legs released, resources returned, CDR queued. Terminal. */
    RELEASED;

    private static final Map<CallState, Set<CallState>> NEXT = new EnumMap<>(CallState.class);

    static {
        NEXT.put(OFFERED, EnumSet.of(COLLECTING, ROUTING, RELEASING));
        NEXT.put(COLLECTING, EnumSet.of(ROUTING, RELEASING));
        NEXT.put(ROUTING, EnumSet.of(SEIZING, RELEASING));
        NEXT.put(SEIZING, EnumSet.of(PROCEEDING, ALERTING, CONNECTED, ROUTING, RELEASING));
        NEXT.put(PROCEEDING, EnumSet.of(ALERTING, CONNECTED, ROUTING, RELEASING));
        NEXT.put(ALERTING, EnumSet.of(CONNECTED, RELEASING));
        NEXT.put(CONNECTED, EnumSet.of(RELEASING));
        NEXT.put(RELEASING, EnumSet.of(RELEASED));
        NEXT.put(RELEASED, EnumSet.noneOf(CallState.class));
    }

    public boolean canMoveTo(CallState next) {
        return NEXT.get(this).contains(next);
    }

    /** True before answer: the states in which a failure may still fail over or be cancelled. */
    public boolean isEarly() {
        return this.ordinal() < CONNECTED.ordinal();
    }

    public boolean isLive() {
        return this != RELEASING && this != RELEASED;
    }
}
