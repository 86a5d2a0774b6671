package org.tandem.gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RtcpCodecTest {
    private static final String SR_WITH_BLOCK_SDES = """
            81 c8 000c          # V=2 RC=1 PT=SR length 12 words
            11111111            # sender SSRC
            e8f0a1b2 80000000   # NTP 0xe8f0a1b2.8 (middle 32 = a1b28000)
            00003e80            # RTP timestamp 16000
            00000064            # packets 100
            00003e80            # octets 16000
            22222222            # block: source SSRC
            33 fffffe           # fraction 0x33 = 51/256, cumulative lost -2 (duplicates)
            0001 0005           # extended highest seq: 1 cycle, seq 5
            00000010            # jitter 16
            a1b20000            # LSR
            00008000            # DLSR = 0.5 s
            81 ca 0003          # SDES, 1 chunk, 3 words
            11111111            # SSRC
            01 03 616263 00 0000  # CNAME "abc", end of list, pad to 32 bits
            """;

    @Test
    void shouldDecodeACompoundSenderReport() {
        ByteBuffer b = Hex.buffer(SR_WITH_BLOCK_SDES);
        RtcpReport r = new RtcpReport();
        assertEquals(RtcpDecoder.VALID, RtcpDecoder.decode(b, 4, Hex.length(SR_WITH_BLOCK_SDES), r));
        assertEquals(0x11111111, r.senderSsrc);
        assertTrue(r.hasSenderInfo);
        assertEquals(0xa1b28000, NtpTime.middle32(r.ntpTimestamp));
        assertEquals(16000, r.rtpTimestamp);
        assertEquals(100, r.senderPacketCount);
        assertEquals(16000, r.senderOctetCount);
        assertEquals(1, r.blockCount);
        assertEquals(0, r.blockFor(0x22222222));
        assertEquals(0x33, r.fractionLost[0]);
        assertEquals(-2, r.cumulativeLost[0]);
        assertEquals(0x10005, r.extendedHighestSeq[0]);
        assertEquals(16, r.jitter[0]);
        assertEquals(0xa1b20000, r.lastSr[0]);
        assertEquals(0x8000, r.delaySinceLastSr[0]);
        assertEquals(1, r.sdesCount);
        assertFalse(r.bye);
    }

    @Test
    void shouldRejectRtcpGarbage() {
        RtcpReport r = new RtcpReport();
        assertEquals(RtcpDecoder.TOO_SHORT, decode("80c8", r));
        assertEquals(RtcpDecoder.BAD_LENGTH, decode("80c9 0001 11111111 00", r));           // not 32-bit aligned
        assertEquals(RtcpDecoder.BAD_VERSION, decode("40c9 0001 11111111", r));
        assertEquals(RtcpDecoder.NOT_SR_OR_RR_FIRST, decode("81cb 0001 11111111", r));    // BYE first
        assertEquals(RtcpDecoder.BAD_LENGTH, decode("80c9 0005 11111111", r));            // length beyond datagram
        assertEquals(RtcpDecoder.BAD_REPORT_COUNT, decode("81c9 0001 11111111", r));      // RC=1, no block
        assertEquals(RtcpDecoder.BAD_PADDING, decode("a0c9 0001 11111111", r));           // padding in first packet
        assertEquals(RtcpDecoder.VALID, decode("80c9 0001 11111111", r));                 // empty RR is fine
    }

    @Test
    void shouldRoundTripSenderReportSdesAndBye() {
        RtpReceiveStatistics stats = new RtpReceiveStatistics();
        for (int seq = 100; seq < 200; seq++) {
            if (seq % 10 != 0) { // lose 10 of 100
                stats.update(seq, seq * 160, seq * 160L);
            }
        }
        ByteBuffer b = ByteBuffer.allocateDirect(256);
        long ntp = NtpTime.fromEpochNanos(1_700_000_000_123_000_000L);
        int len = RtcpEncoder.writeSenderReport(b, 0, 7, ntp, 1234, 50, 8000, 99, stats, 0x1234_5678, 0x0001_0000);
        len += RtcpEncoder.writeSdesCname(b, len, 7, "tandem@host".getBytes(StandardCharsets.US_ASCII));
        len += RtcpEncoder.writeBye(b, len, 7);
        RtcpReport r = new RtcpReport();
        assertEquals(RtcpDecoder.VALID, RtcpDecoder.decode(b, 0, len, r));
        assertEquals(7, r.senderSsrc);
        assertEquals(ntp, r.ntpTimestamp);
        assertEquals(50, r.senderPacketCount);
        assertEquals(99, r.blockSsrc[0]);
        // seq 100 is lost and 101 is the probation packet: counting starts at 102 (RFC 3550 A.1),
        // so 110..190 are the 9 losses
        assertEquals(stats.cumulativeLost(), r.cumulativeLost[0]);
        assertEquals(9, r.cumulativeLost[0]);
        assertEquals(199, r.extendedHighestSeq[0]);
        assertEquals(0x1234_5678, r.lastSr[0]);
        assertTrue(r.bye);
        assertEquals(7, r.byeSsrc[0]);
        assertEquals(1, r.sdesCount);
    }

    @Test
    void shouldComputeRoundTripTimeFromLsrAndDlsr() {
        // RFC 3550 figure 2: A = 0xb710:8000 (46864.500 s), LSR = 0xb705:2000 (46853.125 s),
        // DLSR = 0x0005:4000 (5.250 s) -> RTT = 6.125 s.
        long rtt = NtpTime.roundTripNanos(0xb7108000, 0xb7052000, 0x00054000);
        assertEquals(6_125_000_000L, rtt);
        assertEquals(-1, NtpTime.roundTripNanos(0xb7108000, 0, 0));
    }

    private static int decode(String hex, RtcpReport r) {
        return RtcpDecoder.decode(Hex.buffer(hex), 4, Hex.length(hex), r);
    }
}
