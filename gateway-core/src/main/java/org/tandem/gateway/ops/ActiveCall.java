package org.tandem.gateway.ops;

import java.util.Objects;

/**
 * A call in progress on a B-channel, as the operator sees it. Immutable: call control publishes a
 * new instance through {@link GatewayModel} when something changes.
 *
 * @param callId gateway-local handle of the call, unique while the process runs; the console's
 *        {@code hangup <call>} takes it, and the CDR carries it
 * @param direction which way the call goes
 * @param callingNumber calling party number as sent on (after rewriting)
 * @param calledNumber called party number as sent on (after rewriting)
 * @param sipCallId SIP Call-ID of the SIP leg, or "" before it exists
 * @param startMillis epoch milliseconds (UTC) when the call attempt began
 * @param answerMillis epoch milliseconds when it was answered, or 0 while not answered
 * @param rtpPacketsLost RTP packets lost so far on the receive side (RFC 3550 cumulative loss)
 * @param rtpJitterMicros current RFC 3550 interarrival jitter, in microseconds
 * @param sipParty the party on the SIP side: the {@code [user NAME]} of the call when it has one
 *        (the phone that authenticated its INVITE, the user a PSTN call was routed to), else the
 *        number as the SIP leg names it (the From user of an inbound INVITE, the Request-URI user of
 *        ours); "" when unknown. What presence (docs/PRESENCE.md) matches a user's NAME and numbers against
 * @param pstnParty the party on the PSTN side: the called number sent in the SETUP, or the
 *        calling number of an incoming SETUP; "" when unknown (presence of PSTN numbers)
 */
public record ActiveCall(String callId, CallDirection direction, String callingNumber,
        String calledNumber, String sipCallId, long startMillis, long answerMillis,
        long rtpPacketsLost, long rtpJitterMicros, String sipParty, String pstnParty) {

    public ActiveCall {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(direction, "direction");
        callingNumber = Objects.requireNonNullElse(callingNumber, "");
        calledNumber = Objects.requireNonNullElse(calledNumber, "");
        sipCallId = Objects.requireNonNullElse(sipCallId, "");
        sipParty = Objects.requireNonNullElse(sipParty, "");
        pstnParty = Objects.requireNonNullElse(pstnParty, "");
    }

    /** Without the parties (they are then ""). */
    public ActiveCall(String callId, CallDirection direction, String callingNumber, String calledNumber,
            String sipCallId, long startMillis, long answerMillis, long rtpPacketsLost, long rtpJitterMicros) {
        this(callId, direction, callingNumber, calledNumber, sipCallId, startMillis, answerMillis, rtpPacketsLost,
                rtpJitterMicros, "", "");
    }

    /** A new, unanswered call without RTP statistics yet. */
    public static ActiveCall started(String callId, CallDirection direction, String callingNumber,
            String calledNumber, String sipCallId, long startMillis) {
        return new ActiveCall(callId, direction, callingNumber, calledNumber, sipCallId,
                startMillis, 0, 0, 0, "", "");
    }

    public boolean answered() {
        return answerMillis != 0;
    }

    public ActiveCall withAnswer(long answerMillis) {
        return new ActiveCall(callId, direction, callingNumber, calledNumber, sipCallId,
                startMillis, answerMillis, rtpPacketsLost, rtpJitterMicros, sipParty, pstnParty);
    }

    public ActiveCall withSipCallId(String sipCallId) {
        return new ActiveCall(callId, direction, callingNumber, calledNumber, sipCallId,
                startMillis, answerMillis, rtpPacketsLost, rtpJitterMicros, sipParty, pstnParty);
    }

    public ActiveCall withRtp(long packetsLost, long jitterMicros) {
        return new ActiveCall(callId, direction, callingNumber, calledNumber, sipCallId,
                startMillis, answerMillis, packetsLost, jitterMicros, sipParty, pstnParty);
    }

    public ActiveCall withParties(String sipParty, String pstnParty) {
        return new ActiveCall(callId, direction, callingNumber, calledNumber, sipCallId,
                startMillis, answerMillis, rtpPacketsLost, rtpJitterMicros, sipParty, pstnParty);
    }

    /** Whole seconds since the attempt began (not since answer), never negative. */
    public long durationSeconds(long nowMillis) {
        return Math.max(0, nowMillis - startMillis) / 1000;
    }
}
