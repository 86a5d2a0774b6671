package org.tandem.testing.tdm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.tandem.tdm.BChannel;

class MemoryBChannelTest {
    private final ByteBuffer buf = ByteBuffer.allocateDirect(2048);

    @Test
    void shouldReadTheQueuedBlocksInOrderThenWouldBlock() {
        MemoryBChannel ch = MemoryBChannel.recording();
        ch.toRead.add(new byte[] {1, 2, 3});
        ch.toRead.add(new byte[] {4});
        assertEquals(3, ch.read(buf));
        assertEquals(1, ch.read(buf));
        assertEquals(BChannel.WOULD_BLOCK, ch.read(buf));
        assertEquals(4, buf.position());
        assertEquals(1, buf.get(0));
        assertEquals(4, buf.get(3));
    }

    @Test
    void shouldMakeOneLoudBlockReadablePerArrival() {
        MemoryBChannel ch = MemoryBChannel.counting();
        assertEquals(BChannel.WOULD_BLOCK, ch.read(buf));
        ch.arrive();
        assertEquals(160, ch.read(buf));
        assertEquals(BChannel.WOULD_BLOCK, ch.read(buf));
        for (int i = 0; i < 160; i++) {
            assertTrue((buf.get(i) & 0x80) != 0, "sign bit set at " + i);
        }
    }

    @Test
    void shouldKeepACopyOfEveryBlockWrittenWhenRecording() {
        MemoryBChannel ch = MemoryBChannel.recording();
        buf.put(new byte[] {9, 8, 7}).flip();
        assertEquals(3, ch.write(buf));
        assertEquals(3, buf.position(), "the source is consumed");
        buf.put(0, (byte) 0);
        assertEquals(1, ch.written.size());
        assertArrayEquals(new byte[] {9, 8, 7}, ch.written.get(0), "a copy, not the caller's buffer");
        assertEquals(1, ch.writes());
        assertEquals(3, ch.bytesWritten());
    }

    @Test
    void shouldOnlyCountWritesWhenCounting() {
        MemoryBChannel ch = MemoryBChannel.counting();
        for (int i = 0; i < 3; i++) {
            buf.clear().limit(160);
            assertEquals(160, ch.write(buf));
            assertEquals(160, buf.position(), "the source is consumed");
        }
        assertEquals(3, ch.writes());
        assertEquals(480, ch.bytesWritten());
        assertTrue(ch.written.isEmpty(), "nothing kept");
    }

    @Test
    void shouldDropWhatIsQueuedOnFlush() {
        MemoryBChannel ch = MemoryBChannel.counting();
        ch.arrive();
        ch.arrive();
        ch.flush(1);
        assertEquals(BChannel.WOULD_BLOCK, ch.read(buf));
    }
}
