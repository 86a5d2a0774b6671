/**
 * SDP (RFC 4566 subset) parsing and building, and RFC 3264 offer/answer for the gateway's one
 * audio stream: G.711 A-law/mu-law plus RFC 4733 telephone-event. Pure functions over immutable
 * values; the SIP layer parses, call control decides, the media layer consumes
 * {@link org.tandem.gateway.sdp.NegotiatedMedia}.
 */
package org.tandem.gateway.sdp;
