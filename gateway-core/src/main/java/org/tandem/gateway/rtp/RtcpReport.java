package org.tandem.gateway.rtp;

/**
 * One decoded compound RTCP packet, reused packet after packet (preallocated arrays, no
 * allocation while decoding). Filled by {@link RtcpDecoder}.
 */
public final class RtcpReport {
    /** RFC 3550 section 6.4: a report carries at most 31 report blocks. */
    public static final int MAX_BLOCKS = 31;

    public int senderSsrc;
    public boolean hasSenderInfo;
    /** Sender info (SR only). */
    public long ntpTimestamp;
    public int rtpTimestamp;
    public long senderPacketCount;
    public long senderOctetCount;

    public int blockCount;
    public final int[] blockSsrc = new int[MAX_BLOCKS];
    /** 8-bit fixed point fraction (0..255 = 0..255/256). */
    public final int[] fractionLost = new int[MAX_BLOCKS];
    /** Signed 24-bit cumulative number of packets lost. */
    public final int[] cumulativeLost = new int[MAX_BLOCKS];
    public final long[] extendedHighestSeq = new long[MAX_BLOCKS];
    public final long[] jitter = new long[MAX_BLOCKS];
    public final int[] lastSr = new int[MAX_BLOCKS];
    public final int[] delaySinceLastSr = new int[MAX_BLOCKS];

    public boolean bye;
    public int byeSsrcCount;
    public final int[] byeSsrc = new int[MAX_BLOCKS];

    /** Number of SDES packets seen (content not kept; CNAME is informational for a gateway). */
    public int sdesCount;

    public void clear() {
        senderSsrc = 0;
        hasSenderInfo = false;
        ntpTimestamp = 0;
        rtpTimestamp = 0;
        senderPacketCount = 0;
        senderOctetCount = 0;
        blockCount = 0;
        bye = false;
        byeSsrcCount = 0;
        sdesCount = 0;
    }

    /** Index of the report block about {@code ssrc}, or -1. */
    public int blockFor(int ssrc) {
        for (int i = 0; i < blockCount; i++) {
            if (blockSsrc[i] == ssrc) {
                return i;
            }
        }
        return -1;
    }
}
