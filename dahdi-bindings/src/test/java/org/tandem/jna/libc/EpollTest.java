package org.tandem.jna.libc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against the real kernel, on socketpairs and an eventfd. */
class EpollTest {
    private final Posix posix = Posix.system();
    private int[] a;
    private int[] b;
    private int efd;
    private Epoll epoll;

    @BeforeEach
    void open() {
        a = posix.socketpair(LibC.AF_UNIX, LibC.SOCK_SEQPACKET | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC);
        b = posix.socketpair(LibC.AF_UNIX, LibC.SOCK_SEQPACKET | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC);
        efd = posix.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        epoll = Epoll.open(4);
    }

    @AfterEach
    void close() {
        epoll.close();
        for (int fd : new int[] {a[0], a[1], b[0], b[1], efd}) {
            posix.closeQuietly(fd);
        }
    }

    @Test
    void shouldReportOnlyTheReadyDescriptorWithItsTagAndKeepReportingItUntilRead() {
        epoll.add(a[0], LibC.POLLIN, 0x1_0000_0007L);
        epoll.add(b[0], LibC.POLLIN, 42);
        epoll.add(efd, LibC.POLLIN, 9);
        assertEquals(0, epoll.await(0), "nothing ready yet");

        assertEquals(3, posix.write(b[1], new byte[] {1, 2, 3}, 3));
        assertEquals(1, epoll.await(1000));
        assertEquals(42, epoll.tag(0));
        assertEquals(LibC.POLLIN, epoll.events(0));
        // Level-triggered: still ready while the frame is unread.
        assertEquals(1, epoll.await(0));
        assertEquals(42, epoll.tag(0));
        assertEquals(3, posix.read(b[0], new byte[16], 16));
        assertEquals(0, epoll.await(0));

        assertEquals(8, posix.write(efd, new byte[] {1, 0, 0, 0, 0, 0, 0, 0}, 8));
        assertEquals(1, posix.write(a[1], new byte[] {5}, 1));
        assertEquals(2, epoll.await(1000));
        long t0 = epoll.tag(0);
        long t1 = epoll.tag(1);
        assertTrue((t0 == 9 && t1 == 0x1_0000_0007L) || (t0 == 0x1_0000_0007L && t1 == 9),
            "tags " + t0 + ", " + t1 + ": the full 64 bits come back");
    }

    @Test
    void shouldReportAHangUpOfThePeerAndStopReportingADeletedDescriptor() {
        epoll.add(a[0], LibC.POLLIN, 1);
        epoll.add(b[0], LibC.POLLPRI, 2);
        posix.close(a[1]);
        a[1] = -1;
        assertEquals(1, epoll.await(1000));
        assertEquals(1, epoll.tag(0));
        assertTrue((epoll.events(0) & LibC.POLLHUP) != 0, "POLLHUP in 0x" + Integer.toHexString(epoll.events(0)));

        epoll.delete(a[0]);
        assertEquals(1, posix.write(b[1], new byte[] {5}, 1));
        assertEquals(0, epoll.await(0), "b[0] is readable but watched for POLLPRI only; a[0] deleted");

        epoll.modify(b[0], LibC.POLLIN, 3);
        assertEquals(1, epoll.await(1000));
        assertEquals(3, epoll.tag(0));
    }

    @Test
    void shouldNameTheCallAndErrnoWhenADescriptorCannotBeWatched() {
        epoll.add(a[0], LibC.POLLIN, 1);
        PosixException twice = assertThrows(PosixException.class, () -> epoll.add(a[0], LibC.POLLIN, 1));
        assertEquals(17, twice.errno(), twice.getMessage()); // EEXIST
        assertTrue(twice.getMessage().startsWith("epoll_ctl(epfd=" + epoll.fd() + ", EPOLL_CTL_ADD, fd=" + a[0]),
            twice.getMessage());
        PosixException closed = assertThrows(PosixException.class, () -> epoll.add(999_999, LibC.POLLIN, 1));
        assertEquals(LibC.EBADF, closed.errno(), closed.getMessage());
    }

    @Test
    void shouldReturnAtMostMaxEventsAndTheRestOnTheNextWait() {
        int[] extra = posix.socketpair(LibC.AF_UNIX, LibC.SOCK_SEQPACKET | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC);
        try (Epoll small = Epoll.open(1)) {
            small.add(a[0], LibC.POLLIN, 1);
            small.add(extra[0], LibC.POLLIN, 2);
            posix.write(a[1], new byte[] {1}, 1);
            posix.write(extra[1], new byte[] {1}, 1);
            assertEquals(1, small.await(1000));
            long first = small.tag(0);
            posix.read(first == 1 ? a[0] : extra[0], new byte[4], 4);
            assertEquals(1, small.await(1000));
            assertEquals(first == 1 ? 2 : 1, small.tag(0));
        } finally {
            posix.closeQuietly(extra[0]);
            posix.closeQuietly(extra[1]);
        }
    }
}
