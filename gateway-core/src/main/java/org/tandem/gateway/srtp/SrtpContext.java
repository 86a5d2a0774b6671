package org.tandem.gateway.srtp;

import java.nio.ByteBuffer;

/**
 * One direction of one SRTP session (RFC 3711): the session keys derived from one SDES master
 * key, and the state of the one stream it carries (RTP: the rollover counter, the highest index,
 * the replay window; RTCP: the SRTCP index and its own window). The sender's context uses
 * {@code protect*}, the receiver's {@code unprotect*}; the packet is at index 0 of the buffer
 * and is changed in place.
 *
 * <p>Single-threaded (the call's media agent) and allocation-free per packet: the packet is
 * copied into a preallocated work array, encrypted/authenticated there and copied back.
 *
 * <p>Receive order (RFC 3711 3.3): index estimated from SEQ and the ROC (3.3.1), replay check,
 * tag check, then decryption; the ROC, the highest index and the window move only for an
 * authenticated packet, so forged packets cannot push the state.
 */
public final class SrtpContext {
    /** The tag did not verify (wrong key, tampered, or not SRTP at all). */
    public static final int AUTH_FAILED = -1;
    /** Seen before, or older than the 64-packet window (RFC 3711 3.3.2). */
    public static final int REPLAYED = -2;
    /** Too short, not version 2, a header longer than the packet, or no room for the tag. */
    public static final int MALFORMED = -3;

    /** The replay window (RFC 3711 3.3.2: at least 64). */
    static final int WINDOW = 64;
    private static final int RTP_HEADER = 12;
    private static final int SRTCP_INDEX_LENGTH = 4;
    private static final int LABEL_RTP_ENCRYPTION = 0;
    private static final int LABEL_RTP_AUTH = 1;
    private static final int LABEL_RTP_SALT = 2;
    private static final int LABEL_RTCP_ENCRYPTION = 3;
    private static final int LABEL_RTCP_AUTH = 4;
    private static final int LABEL_RTCP_SALT = 5;
    private static final int AUTH_KEY_LENGTH = 20;
    private static final int SESSION_SALT_LENGTH = 14;

    private final SrtpProfile profile;
    private final int rtpTag;
    private final AesCounterMode rtpCipher;
    private final AesCounterMode rtcpCipher;
    private final HmacSha1 rtpMac;
    private final HmacSha1 rtcpMac;
    private final byte[] rtpSalt = new byte[SESSION_SALT_LENGTH];
    private final byte[] rtcpSalt = new byte[SESSION_SALT_LENGTH];

    private final byte[] work = new byte[AesCounterMode.MAX_BYTES + 64];
    private final byte[] iv = new byte[16];
    private final byte[] mac = new byte[HmacSha1.LENGTH];
    private final byte[] rocBytes = new byte[4];

    // RTP sender: the ROC and the last sequence number sent.
    private long sendRoc;
    private int lastSentSeq = -1;
    // RTP receiver: the highest authenticated index (ROC << 16 | SEQ) and the window below it.
    private long rtpHighest = -1;
    private long rtpWindow;
    // SRTCP
    private int srtcpSendIndex;
    private long rtcpHighest = -1;
    private long rtcpWindow;

    private long authenticated;
    private long rtcpAuthenticated;
    private long rtcpFailures;
    private long authFailures;
    private long replays;
    private long malformed;

    /**
     * @param keySalt the SDES inline key: the 16-byte master key then the 14-byte master salt
     */
    public SrtpContext(SrtpProfile profile, byte[] keySalt) {
        if (keySalt.length != SrtpProfile.KEY_SALT_LENGTH) {
            throw new IllegalArgumentException("SRTP master key||salt must be " + SrtpProfile.KEY_SALT_LENGTH
                    + " bytes, not " + keySalt.length);
        }
        this.profile = profile;
        this.rtpTag = profile.rtpTagLength();
        byte[] masterKey = java.util.Arrays.copyOfRange(keySalt, 0, SrtpProfile.MASTER_KEY_LENGTH);
        byte[] masterSalt = java.util.Arrays.copyOfRange(keySalt, SrtpProfile.MASTER_KEY_LENGTH,
                SrtpProfile.KEY_SALT_LENGTH);
        AesCounterMode prf = new AesCounterMode(masterKey);
        byte[] k = new byte[AUTH_KEY_LENGTH];
        derive(prf, masterSalt, LABEL_RTP_ENCRYPTION, k, 16);
        rtpCipher = new AesCounterMode(k);
        derive(prf, masterSalt, LABEL_RTP_AUTH, k, AUTH_KEY_LENGTH);
        rtpMac = new HmacSha1(k, AUTH_KEY_LENGTH);
        derive(prf, masterSalt, LABEL_RTP_SALT, rtpSalt, SESSION_SALT_LENGTH);
        derive(prf, masterSalt, LABEL_RTCP_ENCRYPTION, k, 16);
        rtcpCipher = new AesCounterMode(k);
        derive(prf, masterSalt, LABEL_RTCP_AUTH, k, AUTH_KEY_LENGTH);
        rtcpMac = new HmacSha1(k, AUTH_KEY_LENGTH);
        derive(prf, masterSalt, LABEL_RTCP_SALT, rtcpSalt, SESSION_SALT_LENGTH);
        java.util.Arrays.fill(k, (byte) 0);
        java.util.Arrays.fill(masterKey, (byte) 0);
    }

    /**
     * RFC 3711 4.3.1 with key derivation rate 0 (r = 0): x = (label << 48) XOR master_salt, the
     * session key is AES-CM(master key, IV = x * 2^16) cut to {@code len} bytes.
     */
    static void derive(AesCounterMode prf, byte[] masterSalt, int label, byte[] out, int len) {
        byte[] x = new byte[16];
        System.arraycopy(masterSalt, 0, x, 0, SrtpProfile.MASTER_SALT_LENGTH);
        x[7] ^= (byte) label;
        prf.keystream(x, out, len);
    }

    /** Test access to the derivation (RFC 3711 B.3). */
    static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int len) {
        byte[] out = new byte[len];
        derive(new AesCounterMode(masterKey), masterSalt, label, out, len);
        return out;
    }

    public SrtpProfile profile() {
        return profile;
    }

    // ------------------------------------------------------------------ SRTP

    /**
     * Encrypts and signs the RTP packet {@code buf[0..len)} in place; the new length (len + tag),
     * or {@link #MALFORMED} (not RTP, or no room in the buffer for the tag).
     */
    public int protectRtp(ByteBuffer buf, int len) {
        if (len > AesCounterMode.MAX_BYTES || len + rtpTag > buf.capacity()) {
            return MALFORMED;
        }
        buf.get(0, work, 0, len);
        int header = rtpHeaderLength(work, len);
        if (header < 0) {
            return MALFORMED;
        }
        int seq = u16(work, 2);
        if (lastSentSeq >= 0 && seq < lastSentSeq && lastSentSeq - seq > 0x8000) {
            sendRoc = (sendRoc + 1) & 0xFFFFFFFFL; // the sequence number wrapped
        }
        lastSentSeq = seq;
        long index = (sendRoc << 16) | seq;
        rtpIv(work, index);
        rtpCipher.apply(iv, work, header, len - header);
        rtpTag(len, sendRoc);
        System.arraycopy(mac, 0, work, len, rtpTag);
        buf.put(0, work, 0, len + rtpTag);
        return len + rtpTag;
    }

    /**
     * Checks and decrypts the SRTP packet {@code buf[0..len)} in place; the RTP length (len -
     * tag), or {@link #AUTH_FAILED}, {@link #REPLAYED}, {@link #MALFORMED}.
     */
    public int unprotectRtp(ByteBuffer buf, int len) {
        if (len > AesCounterMode.MAX_BYTES || len < RTP_HEADER + rtpTag) {
            malformed++;
            return MALFORMED;
        }
        buf.get(0, work, 0, len);
        int rtpLen = len - rtpTag;
        int header = rtpHeaderLength(work, rtpLen);
        if (header < 0) {
            malformed++;
            return MALFORMED;
        }
        int seq = u16(work, 2);
        long index = estimateIndex(seq);
        if (index < 0 || !fresh(index, rtpHighest, rtpWindow)) {
            replays++;
            return REPLAYED;
        }
        long roc = index >>> 16;
        rtpTag(rtpLen, roc);
        if (!tagMatches(work, rtpLen, rtpTag)) {
            authFailures++;
            return AUTH_FAILED;
        }
        rtpIv(work, index);
        rtpCipher.apply(iv, work, header, rtpLen - header);
        buf.put(0, work, 0, rtpLen);
        // RFC 3711 3.3.1: ROC and s_l follow the authenticated packet when it is the newest.
        long delta = index - rtpHighest;
        if (rtpHighest < 0 || delta > 0) {
            rtpWindow = rtpHighest < 0 || delta >= WINDOW ? 1L : (rtpWindow << delta) | 1L;
            rtpHighest = index;
        } else {
            rtpWindow |= 1L << -delta;
        }
        authenticated++;
        return rtpLen;
    }

    /**
     * RFC 3711 3.3.1 (and Appendix A): the index of a received SEQ given s_l and the ROC of the
     * highest index so far; -1 for a packet that would come from before the first one.
     */
    long estimateIndex(int seq) {
        if (rtpHighest < 0) {
            return seq; // the first packet: ROC 0, s_l = SEQ (RFC 3711 3.3.1)
        }
        long roc = rtpHighest >>> 16;
        int sl = (int) (rtpHighest & 0xFFFF);
        long v;
        if (sl < 0x8000) {
            v = seq - sl > 0x8000 ? roc - 1 : roc;
        } else {
            v = sl - 0x8000 > seq ? roc + 1 : roc;
        }
        return v < 0 ? -1 : (v << 16) | seq;
    }

    private void rtpIv(byte[] packet, long index) {
        // IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16), RFC 3711 4.1.1
        System.arraycopy(rtpSalt, 0, iv, 0, SESSION_SALT_LENGTH);
        iv[14] = 0;
        iv[15] = 0;
        for (int i = 0; i < 4; i++) {
            iv[4 + i] ^= packet[8 + i];
        }
        for (int i = 0; i < 6; i++) {
            iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
    }

    /** The tag of {@code work[0..len)} || ROC into {@link #mac} (RFC 3711 4.2). */
    private void rtpTag(int len, long roc) {
        rocBytes[0] = (byte) (roc >>> 24);
        rocBytes[1] = (byte) (roc >>> 16);
        rocBytes[2] = (byte) (roc >>> 8);
        rocBytes[3] = (byte) roc;
        rtpMac.start();
        rtpMac.update(work, 0, len);
        rtpMac.update(rocBytes, 0, 4);
        rtpMac.finish(mac, 0);
    }

    /** Fixed header, CSRCs and the header extension: what stays in the clear; -1 if malformed. */
    private static int rtpHeaderLength(byte[] p, int len) {
        if (len < RTP_HEADER || (p[0] & 0xC0) != 0x80) {
            return -1;
        }
        int h = RTP_HEADER + 4 * (p[0] & 0x0F);
        if ((p[0] & 0x10) != 0) {
            if (h + 4 > len) {
                return -1;
            }
            h += 4 + 4 * u16(p, h + 2);
        }
        return h > len ? -1 : h;
    }

    // ------------------------------------------------------------------ SRTCP

    /**
     * Encrypts (E bit set) and signs the compound RTCP packet {@code buf[0..len)}: appends the
     * E||SRTCP index word and the 80-bit tag; the new length, or {@link #MALFORMED}.
     */
    public int protectRtcp(ByteBuffer buf, int len) {
        int out = len + SRTCP_INDEX_LENGTH + SrtpProfile.SRTCP_TAG_LENGTH;
        if (len < 8 || len > AesCounterMode.MAX_BYTES || out > buf.capacity()) {
            return MALFORMED;
        }
        buf.get(0, work, 0, len);
        int index = srtcpSendIndex;
        srtcpSendIndex = (srtcpSendIndex + 1) & 0x7FFFFFFF;
        rtcpIv(work, index);
        rtcpCipher.apply(iv, work, 8, len - 8);
        work[len] = (byte) (0x80 | (index >>> 24));
        work[len + 1] = (byte) (index >>> 16);
        work[len + 2] = (byte) (index >>> 8);
        work[len + 3] = (byte) index;
        rtcpMac.start();
        rtcpMac.update(work, 0, len + SRTCP_INDEX_LENGTH);
        rtcpMac.finish(mac, 0);
        System.arraycopy(mac, 0, work, len + SRTCP_INDEX_LENGTH, SrtpProfile.SRTCP_TAG_LENGTH);
        buf.put(0, work, 0, out);
        return out;
    }

    /**
     * Checks and (if its E bit says so) decrypts the SRTCP packet {@code buf[0..len)}; the RTCP
     * length, or {@link #AUTH_FAILED}, {@link #REPLAYED}, {@link #MALFORMED}.
     */
    public int unprotectRtcp(ByteBuffer buf, int len) {
        int rtcpLen = len - SRTCP_INDEX_LENGTH - SrtpProfile.SRTCP_TAG_LENGTH;
        if (rtcpLen < 8 || len > AesCounterMode.MAX_BYTES) {
            malformed++;
            rtcpFailures++;
            return MALFORMED;
        }
        buf.get(0, work, 0, len);
        int signed = rtcpLen + SRTCP_INDEX_LENGTH;
        rtcpMac.start();
        rtcpMac.update(work, 0, signed);
        rtcpMac.finish(mac, 0);
        if (!tagMatches(work, signed, SrtpProfile.SRTCP_TAG_LENGTH)) {
            authFailures++;
            rtcpFailures++;
            return AUTH_FAILED;
        }
        boolean encrypted = (work[rtcpLen] & 0x80) != 0;
        long index = ((work[rtcpLen] & 0x7FL) << 24) | ((work[rtcpLen + 1] & 0xFFL) << 16)
                | ((work[rtcpLen + 2] & 0xFFL) << 8) | (work[rtcpLen + 3] & 0xFFL);
        if (!fresh(index, rtcpHighest, rtcpWindow)) {
            replays++;
            rtcpFailures++;
            return REPLAYED;
        }
        if (encrypted) {
            rtcpIv(work, (int) index);
            rtcpCipher.apply(iv, work, 8, rtcpLen - 8);
        }
        buf.put(0, work, 0, rtcpLen);
        long delta = index - rtcpHighest;
        if (rtcpHighest < 0 || delta > 0) {
            rtcpWindow = rtcpHighest < 0 || delta >= WINDOW ? 1L : (rtcpWindow << delta) | 1L;
            rtcpHighest = index;
        } else {
            rtcpWindow |= 1L << -delta;
        }
        authenticated++;
        rtcpAuthenticated++;
        return rtcpLen;
    }

    private void rtcpIv(byte[] packet, int index) {
        System.arraycopy(rtcpSalt, 0, iv, 0, SESSION_SALT_LENGTH);
        iv[14] = 0;
        iv[15] = 0;
        for (int i = 0; i < 4; i++) {
            iv[4 + i] ^= packet[4 + i]; // the SSRC of the first packet's sender
        }
        // the 31-bit index in bits 16..47: bytes 10..13
        iv[10] ^= (byte) (index >>> 24);
        iv[11] ^= (byte) (index >>> 16);
        iv[12] ^= (byte) (index >>> 8);
        iv[13] ^= (byte) index;
    }

    // ------------------------------------------------------------------ shared

    /** Not seen and not older than the window below {@code highest}. */
    private static boolean fresh(long index, long highest, long window) {
        if (highest < 0 || index > highest) {
            return true;
        }
        long back = highest - index;
        return back < WINDOW && (window & (1L << back)) == 0;
    }

    /** Constant-time comparison of the computed {@link #mac} with the tag at {@code p[at..at+n)}. */
    private boolean tagMatches(byte[] p, int at, int n) {
        int diff = 0;
        for (int i = 0; i < n; i++) {
            diff |= mac[i] ^ p[at + i];
        }
        return diff == 0;
    }

    private static int u16(byte[] p, int at) {
        return ((p[at] & 0xFF) << 8) | (p[at + 1] & 0xFF);
    }

    // ------------------------------------------------------------------ counters

    /** Packets (SRTP and SRTCP) that authenticated. */
    public long authenticated() {
        return authenticated;
    }

    /** SRTCP packets (of {@link #authenticated}) that authenticated. */
    public long rtcpAuthenticated() {
        return rtcpAuthenticated;
    }

    /** SRTCP packets (of the three failure counts) dropped. */
    public long rtcpFailures() {
        return rtcpFailures;
    }

    public long authFailures() {
        return authFailures;
    }

    public long replays() {
        return replays;
    }

    public long malformed() {
        return malformed;
    }

    /** The sender's rollover counter (tests). */
    long sendRoc() {
        return sendRoc;
    }

    @Override
    public String toString() {
        return "SrtpContext[" + profile + "]"; // never the keys
    }
}
