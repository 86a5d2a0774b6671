package org.tandem.jna.libc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against the real C library, on socketpairs (no device needed). */
class PosixTest {
    private final Posix posix = Posix.system();
    private int[] sv;

    @BeforeEach
    void pair() {
        sv = posix.socketpair(LibC.AF_UNIX, LibC.SOCK_SEQPACKET | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC);
    }

    @AfterEach
    void closePair() {
        posix.closeQuietly(sv[0]);
        posix.closeQuietly(sv[1]);
    }

    @Test
    void shouldReturnWouldBlockWithoutThrowingWhenNothingToRead() {
        ByteBuffer buf = ByteBuffer.allocateDirect(160);
        DirectBufferAddress addr = new DirectBufferAddress();
        assertEquals(Posix.WOULD_BLOCK, posix.read(sv[0], buf, addr));
        assertEquals(0, buf.position());
        assertEquals(LibC.EAGAIN, posix.libc().errno());
    }

    @Test
    void shouldCarryOneBlockPerPacketThroughDirectBuffersAtTheirPosition() {
        ByteBuffer out = ByteBuffer.allocateDirect(200);
        for (int i = 0; i < 200; i++) {
            out.put(i, (byte) i);
        }
        out.position(40).limit(200);
        DirectBufferAddress outAddr = new DirectBufferAddress();
        assertEquals(160, posix.write(sv[0], out, outAddr));
        assertEquals(200, out.position());

        ByteBuffer in = ByteBuffer.allocateDirect(400);
        in.position(10);
        assertEquals(160, posix.read(sv[1], in, new DirectBufferAddress()));
        for (int i = 0; i < 160; i++) {
            assertEquals((byte) (40 + i), in.get(10 + i), "byte " + i);
        }
        assertEquals(Posix.WOULD_BLOCK, posix.read(sv[1], in, new DirectBufferAddress()), "one packet per read");
    }

    @Test
    void shouldReadFramesIntoArraysAtAnOffset() {
        byte[] frame = {1, 2, 3, 4, 5};
        assertEquals(5, posix.write(sv[1], frame, 5));
        byte[] buf = new byte[16];
        assertEquals(5, posix.readChecked(sv[0], buf, 3, 13));
        assertArrayEquals(new byte[] {0, 0, 0, 1, 2, 3, 4, 5, 0}, java.util.Arrays.copyOf(buf, 9));
        assertEquals(Posix.WOULD_BLOCK, posix.readChecked(sv[0], buf, 0, 16));
    }

    @Test
    void shouldReportReadinessThroughPoll() {
        PollFds fds = new PollFds(2);
        fds.set(0, sv[0], LibC.POLLIN).set(1, sv[1], LibC.POLLIN);
        assertEquals(0, posix.poll(fds, 2, 0));
        posix.write(sv[1], new byte[] {9}, 1);
        assertEquals(1, posix.poll(fds, 2, 1000));
        assertEquals(LibC.POLLIN, fds.revents(0) & LibC.POLLIN);
        assertEquals(0, fds.revents(1));
    }

    @Test
    void shouldNameTheCallItsArgumentsAndErrnoWhenAnIoctlFails() {
        PosixException e = assertThrows(PosixException.class,
            () -> posix.ioctl(sv[0], 0x4004DA26L, "DAHDI_SPECIFY", 42));
        assertEquals("ioctl(fd=" + sv[0] + ", DAHDI_SPECIFY, 42) failed: ENOTTY (Inappropriate ioctl for device)",
            e.getMessage());
        assertEquals(LibC.ENOTTY, e.errno());
    }

    @Test
    void shouldNameThePathWhenOpenFails() {
        PosixException e = assertThrows(PosixException.class,
            () -> posix.open("/nonexistent/dahdi/channel", LibC.O_RDWR | LibC.O_NONBLOCK));
        assertEquals("open(\"/nonexistent/dahdi/channel\", O_RDWR|O_NONBLOCK) failed: ENOENT (No such file or directory)",
            e.getMessage());
    }

    @Test
    void shouldSetSocketBufferSizes() {
        posix.setSockOptInt(sv[0], LibC.SOL_SOCKET, LibC.SO_SNDBUF, 4096);
        // Linux doubles the requested value for bookkeeping overhead.
        assertTrue(posix.getSockOptInt(sv[0], LibC.SOL_SOCKET, LibC.SO_SNDBUF) >= 4096);
    }

    @Test
    void shouldNameElastAsAnEventPending() {
        assertEquals("ELAST", Errno.name(LibC.ELAST));
        assertEquals("ENXIO", Errno.name(LibC.ENXIO));
        assertEquals(-500, Posix.EVENT_PENDING);
    }
}
