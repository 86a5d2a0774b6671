package org.tandem.jna.libc;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One epoll instance (Linux {@code epoll(7)}, level-triggered) and its array of ready events,
 * through JNA direct mapping. For a loop that watches many descriptors of which few are ready
 * per turn: {@code poll(2)} costs the kernel a lookup and a poll call per watched descriptor
 * every turn, {@code epoll_wait} only per ready one.
 *
 * <p>Each registered descriptor carries a 64-bit tag ({@code epoll_data_t}) that comes back with
 * its ready events. The readiness bits are poll's: {@link LibC#POLLIN}, {@link LibC#POLLPRI},
 * {@link LibC#POLLERR}, {@link LibC#POLLHUP} (EPOLLERR and EPOLLHUP are reported whether asked or
 * not, like POLLERR/POLLHUP). Unlike poll there is no POLLNVAL: a descriptor closed while
 * registered silently leaves the set (the kernel drops it with its last reference).
 *
 * <pre>
 *  struct epoll_event { uint32_t events; epoll_data_t data; }
 *  x86_64: packed, 12 bytes (data at 4); aarch64 and others: 16 bytes (data at 8)
 * </pre>
 *
 * <p>Not thread-safe: one thread registers and waits. {@link #await} neither throws nor allocates.
 */
public final class Epoll implements AutoCloseable {
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLL_CLOEXEC = 0x80000;

    /** sizeof(struct epoll_event): the x86_64 ABI packs it (glibc's __EPOLL_PACKED). */
    public static final int EVENT_SIZE = Platform.isIntel() ? 12 : 16;
    private static final int DATA_OFFSET = Platform.isIntel() ? 4 : 8;

    /** Direct-mapped, non-throwing; errno stays for {@link Native#getLastError()}. */
    static final class Natives {
        static {
            Native.register(Natives.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        }

        private Natives() {
        }

        static native int epoll_create1(int flags);

        static native int epoll_ctl(int epfd, int op, int fd, long event);

        static native int epoll_wait(int epfd, long events, int maxevents, int timeoutMs);

        static native int close(int fd);
    }

    private final int epfd;
    private final int maxEvents;
    private final Memory ready;
    private final long readyAddress;
    private final ByteBuffer readyView;
    private final Memory ctl;
    private final long ctlAddress;
    private boolean closed;

    private Epoll(int epfd, int maxEvents) {
        this.epfd = epfd;
        this.maxEvents = maxEvents;
        this.ready = new Memory((long) maxEvents * EVENT_SIZE);
        this.ready.clear();
        this.readyAddress = Pointer.nativeValue(ready);
        this.readyView = ready.getByteBuffer(0, (long) maxEvents * EVENT_SIZE).order(ByteOrder.nativeOrder());
        this.ctl = new Memory(16);
        this.ctl.clear();
        this.ctlAddress = Pointer.nativeValue(ctl);
    }

    /**
     * A new epoll instance (close-on-exec) that reports up to {@code maxEvents} ready descriptors
     * per {@link #await}; more stay ready for the next one.
     *
     * @throws PosixException naming the call and errno
     */
    public static Epoll open(int maxEvents) {
        if (maxEvents <= 0) {
            throw new IllegalArgumentException("maxEvents must be > 0: " + maxEvents);
        }
        if (!Platform.isLinux() || Native.POINTER_SIZE != 8) {
            throw new UnsupportedOperationException("epoll needs 64-bit Linux");
        }
        int fd = Natives.epoll_create1(EPOLL_CLOEXEC);
        if (fd < 0) {
            int errno = Native.getLastError();
            throw new PosixException("epoll_create1(EPOLL_CLOEXEC)", errno, Posix.system().strerror(errno));
        }
        return new Epoll(fd, maxEvents);
    }

    public int fd() {
        return epfd;
    }

    public int maxEvents() {
        return maxEvents;
    }

    /** Watches {@code fd} for {@code events} (poll bits); {@code tag} comes back with its readiness. */
    public void add(int fd, int events, long tag) {
        control(EPOLL_CTL_ADD, fd, events, tag, "EPOLL_CTL_ADD");
    }

    /** Changes what {@code fd} is watched for, and its tag. */
    public void modify(int fd, int events, long tag) {
        control(EPOLL_CTL_MOD, fd, events, tag, "EPOLL_CTL_MOD");
    }

    /** Stops watching {@code fd}. */
    public void delete(int fd) {
        control(EPOLL_CTL_DEL, fd, 0, 0, "EPOLL_CTL_DEL");
    }

    private void control(int op, int fd, int events, long tag, String opName) {
        ctl.setInt(0, events);
        ctl.setLong(DATA_OFFSET, tag);
        if (Natives.epoll_ctl(epfd, op, fd, ctlAddress) != 0) {
            int errno = Native.getLastError();
            throw new PosixException("epoll_ctl(epfd=" + epfd + ", " + opName + ", fd=" + fd + ", events=0x"
                + Integer.toHexString(events) + ")", errno, Posix.system().strerror(errno));
        }
    }

    /**
     * Waits up to {@code timeoutMs} (-1: forever, 0: not at all) for readiness: the number of
     * ready descriptors (their bits and tags in {@link #events}/{@link #tag} 0..n-1), 0 on
     * timeout, or {@code -errno} ({@link Posix#INTERRUPTED} for a signal).
     */
    public int await(int timeoutMs) {
        int n = Natives.epoll_wait(epfd, readyAddress, maxEvents, timeoutMs);
        return n >= 0 ? n : -Native.getLastError();
    }

    /** Ready bits of entry {@code i} of the last {@link #await}. */
    public int events(int i) {
        return readyView.getInt(offset(i));
    }

    /** Tag of entry {@code i} of the last {@link #await}. */
    public long tag(int i) {
        return readyView.getLong(offset(i) + DATA_OFFSET);
    }

    private int offset(int i) {
        if (i < 0 || i >= maxEvents) {
            throw new IndexOutOfBoundsException("epoll event " + i + " of " + maxEvents);
        }
        return i * EVENT_SIZE;
    }

    /** Closes the epoll descriptor (the watched descriptors stay open). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Natives.close(epfd);
        }
    }
}
