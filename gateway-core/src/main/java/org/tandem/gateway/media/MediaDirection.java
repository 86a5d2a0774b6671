package org.tandem.gateway.media;

/** SDP direction of the RTP stream as seen from the gateway (RFC 3264 section 5.1, hold in 8.4). */
public enum MediaDirection {
    SENDRECV(true, true), SENDONLY(true, false), RECVONLY(false, true), INACTIVE(false, false);

    private final boolean sends;
    private final boolean receives;

    MediaDirection(boolean sends, boolean receives) {
        this.sends = sends;
        this.receives = receives;
    }

    /** The gateway sends RTP towards the peer. */
    public boolean sends() {
        return sends;
    }

    /** The gateway expects RTP from the peer (and plays it to the span). */
    public boolean receives() {
        return receives;
    }
}
