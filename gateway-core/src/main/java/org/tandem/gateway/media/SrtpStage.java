package org.tandem.gateway.media;

import java.nio.ByteBuffer;
import org.tandem.gateway.sdp.SrtpKeys;
import org.tandem.gateway.srtp.SrtpContext;

/**
 * One call's SRTP (RFC 3711), between the RTP/RTCP stages and the sockets: packets are protected
 * just before {@link SymmetricRtp} sends them and unprotected as the first step of
 * {@link RtpToSpan} and {@link RtcpSession}, so only authenticated packets latch, lock an SSRC
 * or reach the jitter buffer. Plain RTP (no keys) passes through untouched.
 *
 * <p>Owned by the channel's agent thread: the two {@link SrtpContext}s (ours to send, the peer's
 * to receive), allocation-free per packet. {@link #rekey} (a re-offer with new keys, a transfer)
 * replaces them, also on the agent thread.
 */
final class SrtpStage {
    /** Room an SRTP packet needs beyond its RTP packet (the longest tag). */
    static final int RTP_OVERHEAD = 10;
    /** Room an SRTCP packet needs beyond its RTCP packet (E||index word and the 80-bit tag). */
    static final int RTCP_OVERHEAD = 14;

    private SrtpKeys keys;
    private SrtpContext send;
    private SrtpContext receive;
    /** Counters of contexts replaced by {@link #rekey}, so the call's figures add up. */
    private long authenticatedBefore;
    private long failedBefore;

    SrtpStage(SrtpKeys keys) {
        rekey(keys);
    }

    /**
     * New keys; a direction whose suite and key did not change keeps its context (its ROC, index
     * and replay window go on: RFC 4568 7.1.4), the other gets a fresh one.
     */
    void rekey(SrtpKeys keys) {
        SrtpKeys old = this.keys;
        this.keys = keys;
        if (keys == null) {
            retire();
            send = null;
            receive = null;
            return;
        }
        boolean sameSuite = old != null && old.profile() == keys.profile();
        if (!sameSuite || !java.util.Arrays.equals(old.sendKey(), keys.sendKey())) {
            send = new SrtpContext(keys.profile(), keys.sendKey());
        }
        if (!sameSuite || !java.util.Arrays.equals(old.receiveKey(), keys.receiveKey())) {
            retire();
            receive = new SrtpContext(keys.profile(), keys.receiveKey());
        }
    }

    private void retire() {
        if (receive != null) {
            authenticatedBefore += receive.authenticated();
            failedBefore += failures(receive);
        }
    }

    boolean active() {
        return send != null;
    }

    /** The length to send (the protected packet's), or a negative {@link SrtpContext} code. */
    int protectRtp(ByteBuffer buf, int len) {
        return send == null ? len : send.protectRtp(buf, len);
    }

    int protectRtcp(ByteBuffer buf, int len) {
        return send == null ? len : send.protectRtcp(buf, len);
    }

    /** The RTP length in {@code buf}, or a negative code: the packet is dropped. */
    int unprotectRtp(ByteBuffer buf, int len) {
        return receive == null ? len : receive.unprotectRtp(buf, len);
    }

    int unprotectRtcp(ByteBuffer buf, int len) {
        return receive == null ? len : receive.unprotectRtcp(buf, len);
    }

    /** Received SRTP (not SRTCP) packets dropped, this key only. */
    long failedRtp() {
        return receive == null ? 0 : failures(receive) - receive.rtcpFailures();
    }

    /** SRTP and SRTCP packets received that authenticated. */
    long authenticated() {
        return authenticatedBefore + (receive == null ? 0 : receive.authenticated());
    }

    /** Received packets dropped by SRTP: bad tag, replayed, malformed. */
    long failed() {
        return failedBefore + (receive == null ? 0 : failures(receive));
    }

    /** The receive context's drops by kind, for the call's log line. */
    String failureDetail() {
        if (receive == null) {
            return "";
        }
        return "SRTCP: " + receive.rtcpAuthenticated() + " authenticated, " + receive.rtcpFailures()
                + " dropped; all: tag " + receive.authFailures() + ", replay " + receive.replays()
                + ", malformed " + receive.malformed();
    }

    String suite() {
        return send == null ? "none" : send.profile().name();
    }

    private static long failures(SrtpContext c) {
        return c.authFailures() + c.replays() + c.malformed();
    }
}
