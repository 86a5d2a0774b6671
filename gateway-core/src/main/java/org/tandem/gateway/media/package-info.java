/**
 * The media engine: {@link org.tandem.gateway.media.MediaAgent}s, each one thread owning a set of
 * channels (B-channel, RTP/RTCP sockets, jitter buffer, DTMF, statistics), driven by the span's
 * clock. Other threads reach an agent only through {@link org.tandem.gateway.media.MediaProxy}
 * and {@link org.tandem.gateway.media.MediaHandle}, which queue commands to it. See docs/MEDIA.md.
 */
package org.tandem.gateway.media;
