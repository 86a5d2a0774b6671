package org.tandem.gateway.rtp;

import java.nio.ByteBuffer;

/**
 * Decodes a compound RTCP packet (RFC 3550 section 6) into an {@link RtcpReport}, applying the
 * validity checks of RFC 3550 A.2: version 2 everywhere, the first packet an SR or RR without
 * padding, padding only in the last packet, and lengths that add up exactly to the datagram.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    RC   |   PT=SR=200   |   length (32-bit words - 1)   |  header
 * |                         SSRC of sender                        |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |              NTP timestamp, most significant word             |  sender info
 * |             NTP timestamp, least significant word             |  (SR only)
 * |                         RTP timestamp                         |
 * |                     sender's packet count                     |
 * |                      sender's octet count                     |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 SSRC_1 (SSRC of first source)                 |  report block
 * | fraction lost |       cumulative number of packets lost       |  x RC
 * |           extended highest sequence number received           |
 * |                      interarrival jitter                      |
 * |                         last SR (LSR)                         |
 * |                   delay since last SR (DLSR)                  |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 */
public final class RtcpDecoder {
    public static final int PT_SR = 200;
    public static final int PT_RR = 201;
    public static final int PT_SDES = 202;
    public static final int PT_BYE = 203;
    public static final int PT_APP = 204;

    /** {@link #decode} results. */
    public static final int VALID = 0;
    public static final int TOO_SHORT = -1;
    public static final int BAD_VERSION = -2;
    public static final int NOT_SR_OR_RR_FIRST = -3;
    public static final int BAD_LENGTH = -4;
    public static final int BAD_PADDING = -5;
    public static final int BAD_REPORT_COUNT = -6;

    private RtcpDecoder() {
    }

    public static int decode(ByteBuffer buffer, int offset, int length, RtcpReport report) {
        report.clear();
        if (length < 8 || (length & 3) != 0) {
            return length < 8 ? TOO_SHORT : BAD_LENGTH;
        }
        int end = offset + length;
        int at = offset;
        boolean first = true;
        while (at < end) {
            if (end - at < 4) {
                return BAD_LENGTH;
            }
            int b0 = buffer.get(at) & 0xFF;
            int pt = buffer.get(at + 1) & 0xFF;
            int packetLength = 4 * ((buffer.getShort(at + 2) & 0xFFFF) + 1);
            if ((b0 >>> 6) != 2) {
                return BAD_VERSION;
            }
            if (at + packetLength > end) {
                return BAD_LENGTH;
            }
            boolean padded = (b0 & 0x20) != 0;
            if (first && (padded || (pt != PT_SR && pt != PT_RR))) {
                return padded ? BAD_PADDING : NOT_SR_OR_RR_FIRST;
            }
            int bodyEnd = at + packetLength;
            if (padded) {
                if (bodyEnd != end) {
                    return BAD_PADDING;
                }
                int pad = buffer.get(end - 1) & 0xFF;
                if (pad == 0 || pad > packetLength - 4) {
                    return BAD_PADDING;
                }
                bodyEnd -= pad;
            }
            int count = b0 & 0x1F;
            int status = VALID;
            switch (pt) {
                case PT_SR:
                case PT_RR:
                    status = decodeReport(buffer, at, bodyEnd, pt == PT_SR, count, first, report);
                    break;
                case PT_SDES:
                    report.sdesCount++;
                    break;
                case PT_BYE:
                    status = decodeBye(buffer, at, bodyEnd, count, report);
                    break;
                default:
                    // APP and unknown types are skipped (RFC 3550 section 6.1: ignore unknown).
                    break;
            }
            if (status != VALID) {
                return status;
            }
            at += packetLength;
            first = false;
        }
        return VALID;
    }

    private static int decodeReport(ByteBuffer b, int at, int bodyEnd, boolean sr, int count,
                                    boolean first, RtcpReport report) {
        int need = 8 + (sr ? 20 : 0) + 24 * count;
        if (bodyEnd - at < need) {
            return BAD_REPORT_COUNT;
        }
        if (!first) {
            // A second SR/RR in one compound packet (more than 31 sources): not expected from a
            // two-party call; its blocks are ignored.
            return VALID;
        }
        report.senderSsrc = b.getInt(at + 4);
        int p = at + 8;
        if (sr) {
            report.hasSenderInfo = true;
            report.ntpTimestamp = b.getLong(p);
            report.rtpTimestamp = b.getInt(p + 8);
            report.senderPacketCount = b.getInt(p + 12) & 0xFFFFFFFFL;
            report.senderOctetCount = b.getInt(p + 16) & 0xFFFFFFFFL;
            p += 20;
        }
        report.blockCount = count;
        for (int i = 0; i < count; i++, p += 24) {
            report.blockSsrc[i] = b.getInt(p);
            int lost = b.getInt(p + 4);
            report.fractionLost[i] = lost >>> 24;
            report.cumulativeLost[i] = (lost << 8) >> 8;
            report.extendedHighestSeq[i] = b.getInt(p + 8) & 0xFFFFFFFFL;
            report.jitter[i] = b.getInt(p + 12) & 0xFFFFFFFFL;
            report.lastSr[i] = b.getInt(p + 16);
            report.delaySinceLastSr[i] = b.getInt(p + 20);
        }
        return VALID;
    }

    private static int decodeBye(ByteBuffer b, int at, int bodyEnd, int count, RtcpReport report) {
        if (bodyEnd - at < 4 + 4 * count) {
            return BAD_REPORT_COUNT;
        }
        report.bye = true;
        for (int i = 0; i < count && report.byeSsrcCount < RtcpReport.MAX_BLOCKS; i++) {
            report.byeSsrc[report.byeSsrcCount++] = b.getInt(at + 4 + 4 * i);
        }
        return VALID;
    }
}
