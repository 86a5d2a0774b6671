package org.tandem.gateway.media;

/**
 * Events from the media engine to call control. Called on the owning media agent's thread:
 * implementations must not block; they put the event on call control's queue and return.
 */
public interface MediaListener {
    /** A digit ended: detected on the span (sent to SIP as RFC 4733 when negotiated) or received as RFC 4733. */
    void onDtmf(MediaHandle handle, char digit, int durationMs, boolean fromSpan);

    /** No RTP from the peer for the configured timeout while the stream should receive. Raised once per silence. */
    void onRtpTimeout(MediaHandle handle, long silentMs);

    /** The B-channel was closed or removed under the call; the session keeps its ports until detached. */
    void onChannelLost(MediaHandle handle);
}
