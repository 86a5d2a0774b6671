/**
 * RTP and RTCP (RFC 3550), RFC 4733 telephone-events, receive statistics, the jitter buffer and
 * the RTP/RTCP port allocator.
 *
 * <p>Everything here is single-threaded and allocation-free on the per-packet path: packets are
 * read and written through flyweights over caller-owned buffers, and methods return status codes
 * instead of throwing. The owning thread is a media agent ({@code org.tandem.gateway.media}).
 */
package org.tandem.gateway.rtp;
