package org.tandem.gateway.sdp;

/** Result of {@link OfferAnswer}: agreed media, or why nothing usable was offered. */
public sealed interface Negotiation {
    /**
     * @param localSdp the SDP to send (our answer, or null when we processed an answer)
     */
    record Agreed(SessionDescription localSdp, NegotiatedMedia media) implements Negotiation {
    }

    /** Nothing usable: the SIP side answers 488 with a Warning naming the reason (RFC 3261 20.43). */
    record NotAcceptable(String reason) implements Negotiation {
    }
}
