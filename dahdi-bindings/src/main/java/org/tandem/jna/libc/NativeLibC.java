package org.tandem.jna.libc;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import java.nio.ByteBuffer;

/**
 * The real C library through JNA direct mapping (no reflection or argument boxing per call).
 *
 * <p>Two registered classes bind the same C symbols: {@link Checked} declares
 * {@code throws LastErrorException}, so JNA turns a failure into an exception with errno;
 * {@link Plain} does not throw, and JNA keeps errno for {@link Native#getLastError()}: the
 * allocation-free path.
 */
public final class NativeLibC implements LibC {
    public static final NativeLibC INSTANCE = new NativeLibC();

    private static final String LIBRARY = Platform.C_LIBRARY_NAME;

    private NativeLibC() {
        if (!Platform.isLinux() || Native.LONG_SIZE != 8 || Native.POINTER_SIZE != 8) {
            throw new UnsupportedOperationException("org.tandem.jna.libc needs 64-bit Linux (LP64); this is "
                + System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
        }
    }

    /** Direct-mapped, throwing. ssize_t/size_t/nfds_t/unsigned long are Java long (LP64). */
    static final class Checked {
        static {
            Native.register(Checked.class, NativeLibrary.getInstance(LIBRARY));
        }

        private Checked() {
        }

        static native int open(String path, int flags) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;

        static native long read(int fd, byte[] buf, long count) throws LastErrorException;

        static native long write(int fd, byte[] buf, long count) throws LastErrorException;

        static native long read(int fd, ByteBuffer buf, long count) throws LastErrorException;

        static native long write(int fd, ByteBuffer buf, long count) throws LastErrorException;

        static native int poll(Pointer fds, long nfds, int timeoutMs) throws LastErrorException;

        static native int ioctl(int fd, long request, int value) throws LastErrorException;

        static native int ioctl(int fd, long request, Pointer arg) throws LastErrorException;

        static native int fcntl(int fd, int cmd, int arg) throws LastErrorException;

        static native int socketpair(int domain, int type, int protocol, int[] sv) throws LastErrorException;

        static native int setsockopt(int fd, int level, int optname, Pointer optval, int optlen)
            throws LastErrorException;

        static native int getsockopt(int fd, int level, int optname, Pointer optval, Pointer optlen)
            throws LastErrorException;

        static native int eventfd(int initval, int flags) throws LastErrorException;

        static native int pipe2(int[] fds, int flags) throws LastErrorException;

        static native String strerror(int errnum);
    }

    /** Direct-mapped, non-throwing: the 20 ms path. Addresses are passed as 64-bit integers. */
    static final class Plain {
        static {
            Native.register(Plain.class, NativeLibrary.getInstance(LIBRARY));
        }

        private Plain() {
        }

        static native long read(int fd, long address, long count);

        static native long write(int fd, long address, long count);

        static native long read(int fd, byte[] buf, long count);

        static native long write(int fd, byte[] buf, long count);

        static native int poll(long address, long nfds, int timeoutMs);
    }

    @Override
    public int open(String path, int flags) {
        return Checked.open(path, flags);
    }

    @Override
    public int close(int fd) {
        return Checked.close(fd);
    }

    @Override
    public long read(int fd, byte[] buf, long count) {
        checkBounds(buf.length, count);
        return Checked.read(fd, buf, count);
    }

    @Override
    public long write(int fd, byte[] buf, long count) {
        checkBounds(buf.length, count);
        return Checked.write(fd, buf, count);
    }

    @Override
    public long read(int fd, ByteBuffer buf, long count) {
        checkDirect(buf, count);
        return Checked.read(fd, buf, count);
    }

    @Override
    public long write(int fd, ByteBuffer buf, long count) {
        checkDirect(buf, count);
        return Checked.write(fd, buf, count);
    }

    @Override
    public int poll(Pointer fds, long nfds, int timeoutMs) {
        return Checked.poll(fds, nfds, timeoutMs);
    }

    @Override
    public int ioctl(int fd, long request, int value) {
        return Checked.ioctl(fd, request, value);
    }

    @Override
    public int ioctl(int fd, long request, IntByReference value) {
        return Checked.ioctl(fd, request, value.getPointer());
    }

    @Override
    public int ioctl(int fd, long request, Pointer arg) {
        return Checked.ioctl(fd, request, arg);
    }

    @Override
    public int ioctl(int fd, long request, Structure arg) {
        arg.write();
        try {
            return Checked.ioctl(fd, request, arg.getPointer());
        } finally {
            arg.read();
        }
    }

    @Override
    public int fcntl(int fd, int cmd, int arg) {
        return Checked.fcntl(fd, cmd, arg);
    }

    @Override
    public int socketpair(int domain, int type, int protocol, int[] sv) {
        if (sv.length < 2) {
            throw new IllegalArgumentException("socketpair needs int[2], got int[" + sv.length + "]");
        }
        return Checked.socketpair(domain, type, protocol, sv);
    }

    @Override
    public int setsockopt(int fd, int level, int optname, IntByReference optval, int optlen) {
        return Checked.setsockopt(fd, level, optname, optval.getPointer(), optlen);
    }

    @Override
    public int getsockopt(int fd, int level, int optname, IntByReference optval, IntByReference optlen) {
        return Checked.getsockopt(fd, level, optname, optval.getPointer(), optlen.getPointer());
    }

    @Override
    public int eventfd(int initval, int flags) {
        return Checked.eventfd(initval, flags);
    }

    @Override
    public int pipe2(int[] fds, int flags) {
        if (fds.length < 2) {
            throw new IllegalArgumentException("pipe2 needs int[2], got int[" + fds.length + "]");
        }
        return Checked.pipe2(fds, flags);
    }

    @Override
    public String strerror(int errnum) {
        return Checked.strerror(errnum);
    }

    @Override
    public long readErrno(int fd, long address, long count) {
        return Plain.read(fd, address, count);
    }

    @Override
    public long readErrno(int fd, byte[] buf, long count) {
        if (count < 0 || count > buf.length) {
            return -1;
        }
        return Plain.read(fd, buf, count);
    }

    @Override
    public long writeErrno(int fd, byte[] buf, long count) {
        if (count < 0 || count > buf.length) {
            return -1;
        }
        return Plain.write(fd, buf, count);
    }

    @Override
    public long writeErrno(int fd, long address, long count) {
        return Plain.write(fd, address, count);
    }

    @Override
    public int pollErrno(long address, long nfds, int timeoutMs) {
        return Plain.poll(address, nfds, timeoutMs);
    }

    @Override
    public int errno() {
        return Native.getLastError();
    }

    private static void checkBounds(int length, long count) {
        if (count < 0 || count > length) {
            throw new IndexOutOfBoundsException("count " + count + " outside array of " + length);
        }
    }

    private static void checkDirect(ByteBuffer buf, long count) {
        if (!buf.isDirect()) {
            throw new IllegalArgumentException("buffer must be direct");
        }
        checkBounds(buf.capacity(), count);
    }
}
