package org.tandem.gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class RtpPacketTest {
    // Fixtures sit at offset 4 of their buffer to prove the flyweight honours the offset.
    private static final String PCMA_WITH_CSRC_EXTENSION_PADDING = """
            b1          # V=2 P=1 X=1 CC=1
            88          # M=1 PT=8 (PCMA)
            1234        # sequence 4660
            000001e0    # timestamp 480
            deadbeef    # SSRC
            cafebabe    # CSRC[0]
            bede 0001   # extension profile 0xBEDE (RFC 8285), 1 word
            10ff0000    # extension data
            d5d5d5d5    # payload: 4 bytes of A-law idle
            0000 0003   # 1 more payload byte (00), then padding: 3 octets, the last one counting them
            """;

    @Test
    void shouldParseEveryHeaderFieldFromAnnotatedHex() {
        ByteBuffer b = Hex.buffer(PCMA_WITH_CSRC_EXTENSION_PADDING);
        RtpPacket p = new RtpPacket().wrap(b, 4, Hex.length(PCMA_WITH_CSRC_EXTENSION_PADDING));
        assertEquals(RtpPacket.VALID, p.validate());
        assertEquals(2, p.version());
        assertTrue(p.padding());
        assertTrue(p.extension());
        assertEquals(1, p.csrcCount());
        assertTrue(p.marker());
        assertEquals(8, p.payloadType());
        assertEquals(0x1234, p.sequenceNumber());
        assertEquals(480, p.timestamp());
        assertEquals(0xdeadbeef, p.ssrc());
        assertEquals(0xcafebabe, p.csrc(0));
        assertEquals(0xbede, p.extensionProfile());
        assertEquals(4, p.extensionLength());
        assertEquals(24, p.payloadOffset());
        // 32 bytes - 24 header - 3 padding: 4 idle bytes and one zero byte
        assertEquals(5, p.payloadLength());
        assertEquals((byte) 0xd5, b.get(p.payloadIndex()));
    }

    @Test
    void shouldReadSequenceTimestampAndSsrcAsUnsignedBits() {
        String hex = "80 00 ffff ffffffff 80000000 ff";
        RtpPacket p = new RtpPacket().wrap(Hex.buffer(hex), 4, Hex.length(hex));
        assertEquals(RtpPacket.VALID, p.validate());
        assertEquals(65535, p.sequenceNumber());
        assertEquals(0xffffffffL, p.timestamp() & 0xffffffffL);
        assertEquals(0x80000000, p.ssrc());
        assertFalse(p.marker());
        assertEquals(0, p.payloadType());
        assertEquals(1, p.payloadLength());
    }

    @Test
    void shouldRejectMalformedHeadersWithStatusCodes() {
        assertStatus(RtpPacket.TOO_SHORT, "80 08 0001 00000000");                      // 8 bytes
        assertStatus(RtpPacket.BAD_VERSION, "40 08 0001 00000000 00000001 d5");         // V=1
        assertStatus(RtpPacket.BAD_CSRC_COUNT, "8f 08 0001 00000000 00000001 d5d5d5d5"); // CC=15, 4 bytes
        assertStatus(RtpPacket.BAD_EXTENSION, "90 08 0001 00000000 00000001 bede");     // X=1, cut header
        assertStatus(RtpPacket.BAD_EXTENSION, "90 08 0001 00000000 00000001 bede0002 00000000"); // 2 words claimed, 1 there
        assertStatus(RtpPacket.BAD_PADDING, "a0 08 0001 00000000 00000001 d5d5d500");   // pad count 0
        assertStatus(RtpPacket.BAD_PADDING, "a0 08 0001 00000000 00000001 d5d5d509");   // pad beyond payload
        assertStatus(RtpPacket.LOOKS_LIKE_RTCP, "80 c8 0006 00000000 00000001 00");     // SR on the RTP port
    }

    @Test
    void shouldWriteAHeaderThatParsesBack() {
        ByteBuffer b = ByteBuffer.allocateDirect(64);
        int h = RtpPacket.writeHeader(b, 10, true, 0, 65535, -1, 42);
        assertEquals(12, h);
        RtpPacket p = new RtpPacket().wrap(b, 10, 12 + 160);
        assertEquals(RtpPacket.VALID, p.validate());
        assertTrue(p.marker());
        assertEquals(0, p.payloadType());
        assertEquals(65535, p.sequenceNumber());
        assertEquals(-1, p.timestamp());
        assertEquals(42, p.ssrc());
        assertEquals(160, p.payloadLength());
    }

    private static void assertStatus(int expected, String hex) {
        RtpPacket p = new RtpPacket().wrap(Hex.buffer(hex), 4, Hex.length(hex));
        assertEquals(expected, p.validate(), hex);
    }
}
