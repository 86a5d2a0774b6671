/**
 * SRTP and SRTCP (RFC 3711) with the AES_CM_128_HMAC_SHA1_80 and _32 suites (RFC 4568 6.2):
 * key derivation (the AES-CM PRF, key derivation rate 0), AES-128 counter mode, the HMAC-SHA1
 * tag, the rollover counter and index estimation, the 64-packet replay window.
 *
 * <p>Like {@code org.tandem.gateway.rtp}: single-threaded (one {@link SrtpContext} per direction,
 * owned by the call's media agent), allocation-free per packet (every buffer is preallocated in
 * the constructor; the JDK's AES in ECB mode makes the keystream, SHA-1 the HMAC), status codes
 * instead of exceptions. Keys never leave this package in a printable form.
 */
package org.tandem.gateway.srtp;
