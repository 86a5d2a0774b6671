package org.tandem.gateway.rtp;

import java.nio.ByteBuffer;

/**
 * Writes the compound RTCP packets a two-party gateway session sends (RFC 3550 section 6.1):
 * an SR (when we sent RTP since the last report) or an RR, then SDES with the CNAME, then a BYE
 * when the session ends. Each method writes at an absolute index and returns the bytes written.
 */
public final class RtcpEncoder {
    private static final int SDES_CNAME = 1;

    private RtcpEncoder() {
    }

    /**
     * SR with at most one report block. {@code stats} may be null or not yet valid, in which case
     * no block is written. {@code lsr}/{@code dlsr} as defined in RFC 3550 section 6.4.1.
     */
    public static int writeSenderReport(ByteBuffer b, int index, int ssrc, long ntp, int rtpTimestamp,
                                        long packetCount, long octetCount,
                                        int sourceSsrc, RtpReceiveStatistics stats, int lsr, int dlsr) {
        boolean block = stats != null && stats.valid();
        int words = 6 + (block ? 6 : 0);
        header(b, index, block ? 1 : 0, RtcpDecoder.PT_SR, words);
        b.putInt(index + 4, ssrc);
        b.putLong(index + 8, ntp);
        b.putInt(index + 16, rtpTimestamp);
        b.putInt(index + 20, (int) packetCount);
        b.putInt(index + 24, (int) octetCount);
        if (block) {
            reportBlock(b, index + 28, sourceSsrc, stats, lsr, dlsr);
        }
        return 4 * (words + 1);
    }

    /** RR with one report block when {@code stats} is valid, else an empty RR. */
    public static int writeReceiverReport(ByteBuffer b, int index, int ssrc,
                                          int sourceSsrc, RtpReceiveStatistics stats, int lsr, int dlsr) {
        boolean block = stats != null && stats.valid();
        int words = 1 + (block ? 6 : 0);
        header(b, index, block ? 1 : 0, RtcpDecoder.PT_RR, words);
        b.putInt(index + 4, ssrc);
        if (block) {
            reportBlock(b, index + 8, sourceSsrc, stats, lsr, dlsr);
        }
        return 4 * (words + 1);
    }

    /**
     * SDES with one chunk carrying the CNAME item (section 6.5.1), null-terminated and padded to a
     * 32-bit boundary. {@code cname} is ASCII bytes prepared once per session.
     */
    public static int writeSdesCname(ByteBuffer b, int index, int ssrc, byte[] cname) {
        int itemLength = Math.min(cname.length, 255);
        int chunk = 4 + 2 + itemLength;
        int padded = (chunk + 1 + 3) & ~3; // at least one null octet ends the item list
        int words = padded / 4;
        header(b, index, 1, RtcpDecoder.PT_SDES, words);
        b.putInt(index + 4, ssrc);
        b.put(index + 8, (byte) SDES_CNAME);
        b.put(index + 9, (byte) itemLength);
        for (int i = 0; i < itemLength; i++) {
            b.put(index + 10 + i, cname[i]);
        }
        for (int i = index + 4 + chunk; i < index + 4 + padded; i++) {
            b.put(i, (byte) 0);
        }
        return 4 + padded;
    }

    /** BYE for one SSRC, no reason text. */
    public static int writeBye(ByteBuffer b, int index, int ssrc) {
        header(b, index, 1, RtcpDecoder.PT_BYE, 1);
        b.putInt(index + 4, ssrc);
        return 8;
    }

    private static void header(ByteBuffer b, int index, int count, int pt, int lengthWords) {
        b.put(index, (byte) (0x80 | count));
        b.put(index + 1, (byte) pt);
        b.putShort(index + 2, (short) lengthWords);
    }

    /** Advances the statistics' loss interval (fraction lost is per report). */
    private static void reportBlock(ByteBuffer b, int p, int sourceSsrc, RtpReceiveStatistics stats,
                                    int lsr, int dlsr) {
        b.putInt(p, sourceSsrc);
        int fraction = stats.nextFractionLost();
        b.putInt(p + 4, (fraction << 24) | (stats.cumulativeLost24() & 0xFFFFFF));
        b.putInt(p + 8, (int) stats.extendedHighestSequence());
        b.putInt(p + 12, (int) Math.min(stats.jitter(), 0xFFFFFFFFL));
        b.putInt(p + 16, lsr);
        b.putInt(p + 20, dlsr);
    }
}
