package org.tandem.gateway.cdr;

import java.util.Objects;
import org.tandem.gateway.ops.CallDirection;

/**
 * One call attempt, as billed. Times are epoch milliseconds (UTC); an unanswered attempt has
 * {@code answerMillis == 0}. Numbers are given twice: as received on the incoming leg
 * ({@code *In}) and as sent on the outgoing leg after the route's rewriting ({@code *Out}).
 *
 * @param callId gateway-local call id (the console's and SNMP's handle)
 * @param direction SIP->PSTN or PSTN->SIP
 * @param startMillis attempt began (INVITE or SETUP received)
 * @param answerMillis answered (200 OK / CONNECT), or 0
 * @param endMillis both legs released
 * @param callingIn calling number as received
 * @param calledIn called number as received
 * @param callingOut calling number as sent on
 * @param calledOut called number as sent on
 * @param span span of the PSTN leg, or 0 when no B-channel was seized
 * @param channel B-channel position, or 0
 * @param sipCallId SIP Call-ID of the SIP leg, or ""
 * @param sipPeer remote SIP address (host:port) or trunk name, or ""
 * @param q850Cause release cause (Q.850), 0 when none was signalled
 * @param sipStatus final SIP status of the SIP leg (200, 486, ...), 0 when none
 * @param disposition outcome class
 * @param releasedBy who released first: "sip", "pstn" or "gateway"
 * @param rtpPacketsSent RTP packets sent to the SIP side
 * @param rtpPacketsReceived RTP packets received from the SIP side
 * @param rtpPacketsLost RTP packets lost on receive (RFC 3550 cumulative loss)
 * @param rtpMaxJitterMicros highest RFC 3550 interarrival jitter seen, in microseconds
 * @param user the registered {@code [user NAME]} the call was delivered to (PSTN -> SIP to its
 *     contacts), or ""
 */
public record CallRecord(String callId, CallDirection direction, long startMillis,
        long answerMillis, long endMillis, String callingIn, String calledIn, String callingOut,
        String calledOut, int span, int channel, String sipCallId, String sipPeer, int q850Cause,
        int sipStatus, Disposition disposition, String releasedBy, long rtpPacketsSent,
        long rtpPacketsReceived, long rtpPacketsLost, long rtpMaxJitterMicros, String user) {

    public CallRecord {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(disposition, "disposition");
        callingIn = Objects.requireNonNullElse(callingIn, "");
        calledIn = Objects.requireNonNullElse(calledIn, "");
        callingOut = Objects.requireNonNullElse(callingOut, "");
        calledOut = Objects.requireNonNullElse(calledOut, "");
        sipCallId = Objects.requireNonNullElse(sipCallId, "");
        sipPeer = Objects.requireNonNullElse(sipPeer, "");
        releasedBy = Objects.requireNonNullElse(releasedBy, "");
        user = Objects.requireNonNullElse(user, "");
        if (endMillis < startMillis || (answerMillis != 0
                && (answerMillis < startMillis || answerMillis > endMillis))) {
            throw new IllegalArgumentException("call " + callId + ": times out of order: start "
                    + startMillis + ", answer " + answerMillis + ", end " + endMillis);
        }
    }

    /** A record of a call delivered to no registered user. */
    public CallRecord(String callId, CallDirection direction, long startMillis, long answerMillis, long endMillis,
            String callingIn, String calledIn, String callingOut, String calledOut, int span, int channel,
            String sipCallId, String sipPeer, int q850Cause, int sipStatus, Disposition disposition,
            String releasedBy, long rtpPacketsSent, long rtpPacketsReceived, long rtpPacketsLost,
            long rtpMaxJitterMicros) {
        this(callId, direction, startMillis, answerMillis, endMillis, callingIn, calledIn, callingOut, calledOut,
                span, channel, sipCallId, sipPeer, q850Cause, sipStatus, disposition, releasedBy, rtpPacketsSent,
                rtpPacketsReceived, rtpPacketsLost, rtpMaxJitterMicros, "");
    }

    public boolean answered() {
        return answerMillis != 0;
    }

    /**
     * Seconds from start to end, rounded up like {@link #billableSeconds()}, so that a record
     * never bills more seconds than the call lasted.
     */
    public long durationSeconds() {
        return (endMillis - startMillis + 999) / 1000;
    }

    /**
     * Seconds from answer to end, rounded up to the next whole second (a started second is
     * billed); 0 when not answered.
     */
    public long billableSeconds() {
        return answered() ? (endMillis - answerMillis + 999) / 1000 : 0;
    }
}
