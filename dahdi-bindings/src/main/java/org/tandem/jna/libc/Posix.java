package org.tandem.jna.libc;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Checked wrapper over {@link LibC}.
 *
 * <p>Set-up calls ({@link #open}, {@link #ioctl}, {@link #socketpair}, ...) throw
 * {@link PosixException} whose message names the call, its arguments and errno, e.g.
 * {@code ioctl(fd=7, DAHDI_SPECIFY, 42) failed: ENXIO (No such device or address)}.
 *
 * <p>Hot-path calls ({@link #read(int, long, int)}, {@link #write(int, long, int)},
 * {@link #poll(PollFds, int, int)}) never throw and never allocate: they return the byte count
 * (or ready count) when {@code >= 0}, else {@code -errno}: {@link #WOULD_BLOCK} for EAGAIN,
 * {@link #EVENT_PENDING} for DAHDI's ELAST, {@link #INTERRUPTED} for EINTR.
 *
 * <p>Thread-safe (stateless); errno is per thread.
 */
public final class Posix {
    /** Hot-path result: EAGAIN, nothing to read / no room to write. */
    public static final int WOULD_BLOCK = -LibC.EAGAIN;
    /** Hot-path result: ELAST (500), DAHDI has an event pending; call DAHDI_GETEVENT. */
    public static final int EVENT_PENDING = -LibC.ELAST;
    /** Hot-path result: EINTR. */
    public static final int INTERRUPTED = -LibC.EINTR;

    private final LibC libc;

    /** Wraps {@code libc} (a fake in tests). */
    public Posix(LibC libc) {
        this.libc = libc;
    }

    /** The real C library; loaded on first use. */
    public static Posix system() {
        return Holder.SYSTEM;
    }

    private static final class Holder {
        static final Posix SYSTEM = new Posix(NativeLibC.INSTANCE);
    }

    public LibC libc() {
        return libc;
    }

    // ---------------------------------------------------------------- set-up calls (throwing)

    /** {@code open(path, flags)}; returns the descriptor. */
    public int open(String path, int flags) {
        try {
            return libc.open(path, flags);
        } catch (LastErrorException e) {
            throw fail("open(\"" + path + "\", " + openFlags(flags) + ")", e);
        }
    }

    public void close(int fd) {
        try {
            libc.close(fd);
        } catch (LastErrorException e) {
            throw fail("close(fd=" + fd + ")", e);
        }
    }

    /** Closes {@code fd} if it is {@code >= 0}; returns 0 or the errno (for logging by the caller). */
    public int closeQuietly(int fd) {
        if (fd < 0) {
            return 0;
        }
        try {
            libc.close(fd);
            return 0;
        } catch (LastErrorException e) {
            return e.getErrorCode();
        }
    }

    /** {@code ioctl(fd, request, value)}; {@code name} is the request's C name for the message. */
    public int ioctl(int fd, long request, String name, int value) {
        try {
            return libc.ioctl(fd, request, value);
        } catch (LastErrorException e) {
            throw fail("ioctl(fd=" + fd + ", " + name + ", " + value + ")", e);
        }
    }

    /** {@code ioctl(fd, request, &value)}: passes {@code value} in and returns what the call left there. */
    public int ioctlInt(int fd, long request, String name, int value) {
        IntByReference ref = new IntByReference(value);
        try {
            libc.ioctl(fd, request, ref);
        } catch (LastErrorException e) {
            throw fail("ioctl(fd=" + fd + ", " + name + ", &" + value + ")", e);
        }
        return ref.getValue();
    }

    /** {@code ioctl(fd, request, &struct)}; the structure is written before and read after. */
    public int ioctl(int fd, long request, String name, Structure arg) {
        try {
            return libc.ioctl(fd, request, arg);
        } catch (LastErrorException e) {
            throw fail("ioctl(fd=" + fd + ", " + name + ", " + describe(arg) + ")", e);
        }
    }

    /** {@code ioctl(fd, request, ptr)} on raw memory. */
    public int ioctl(int fd, long request, String name, Pointer arg) {
        try {
            return libc.ioctl(fd, request, arg);
        } catch (LastErrorException e) {
            throw fail("ioctl(fd=" + fd + ", " + name + ", " + arg + ")", e);
        }
    }

    public int fcntl(int fd, int cmd, int arg) {
        try {
            return libc.fcntl(fd, cmd, arg);
        } catch (LastErrorException e) {
            throw fail("fcntl(fd=" + fd + ", " + cmd + ", " + arg + ")", e);
        }
    }

    /** Sets or clears O_NONBLOCK. */
    public void setNonBlocking(int fd, boolean nonBlocking) {
        int flags = fcntl(fd, LibC.F_GETFL, 0);
        int wanted = nonBlocking ? flags | LibC.O_NONBLOCK : flags & ~LibC.O_NONBLOCK;
        if (wanted != flags) {
            fcntl(fd, LibC.F_SETFL, wanted);
        }
    }

    /** {@code socketpair(domain, type, 0, sv)}; returns {@code {sv[0], sv[1]}}. */
    public int[] socketpair(int domain, int type) {
        int[] sv = new int[2];
        try {
            libc.socketpair(domain, type, 0, sv);
        } catch (LastErrorException e) {
            throw fail("socketpair(" + domain + ", " + socketType(type) + ", 0)", e);
        }
        return sv;
    }

    public void setSockOptInt(int fd, int level, int option, int value) {
        try {
            libc.setsockopt(fd, level, option, new IntByReference(value), 4);
        } catch (LastErrorException e) {
            throw fail("setsockopt(fd=" + fd + ", " + level + ", " + sockOpt(option) + ", " + value + ")", e);
        }
    }

    public int getSockOptInt(int fd, int level, int option) {
        IntByReference value = new IntByReference();
        IntByReference len = new IntByReference(4);
        try {
            libc.getsockopt(fd, level, option, value, len);
        } catch (LastErrorException e) {
            throw fail("getsockopt(fd=" + fd + ", " + level + ", " + sockOpt(option) + ")", e);
        }
        return value.getValue();
    }

    public int eventfd(int initval, int flags) {
        try {
            return libc.eventfd(initval, flags);
        } catch (LastErrorException e) {
            throw fail("eventfd(" + initval + ", " + flags + ")", e);
        }
    }

    /** {@code poll} that throws on failure other than EINTR (returns 0 then). */
    public int pollChecked(PollFds fds, int count, int timeoutMs) {
        int r = poll(fds, count, timeoutMs);
        if (r == INTERRUPTED) {
            return 0;
        }
        if (r < 0) {
            throw new PosixException("poll(" + count + " fds, " + timeoutMs + " ms)", -r, strerror(-r));
        }
        return r;
    }

    /** {@code read(fd, buf, len)} into a byte array from index {@code off}; throws on any failure but EAGAIN (returns -EAGAIN). */
    public int readChecked(int fd, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        byte[] target = off == 0 ? buf : new byte[len];
        long n = libc.readErrno(fd, target, len);
        if (n < 0) {
            int errno = libc.errno();
            if (errno == LibC.EAGAIN) {
                return WOULD_BLOCK;
            }
            throw new PosixException("read(fd=" + fd + ", " + len + ")", errno, strerror(errno));
        }
        if (target != buf) {
            System.arraycopy(target, 0, buf, off, (int) n);
        }
        return (int) n;
    }

    // ---------------------------------------------------------------- hot path (status codes)

    /** {@code read(fd, address, len)}: bytes read (0 = end of file), or {@code -errno}. */
    public int read(int fd, long address, int len) {
        long n = libc.readErrno(fd, address, len);
        return n >= 0 ? (int) n : -libc.errno();
    }

    /** {@code write(fd, address, len)}: bytes written, or {@code -errno}. */
    public int write(int fd, long address, int len) {
        long n = libc.writeErrno(fd, address, len);
        return n >= 0 ? (int) n : -libc.errno();
    }

    /** {@code read(fd, buf, len)} into a byte array from index 0: bytes read, or {@code -errno}. */
    public int read(int fd, byte[] buf, int len) {
        long n = libc.readErrno(fd, buf, len);
        return n >= 0 ? (int) n : -libc.errno();
    }

    /** {@code write(fd, buf, len)} from a byte array index 0: bytes written, or {@code -errno}. */
    public int write(int fd, byte[] buf, int len) {
        long n = libc.writeErrno(fd, buf, len);
        return n >= 0 ? (int) n : -libc.errno();
    }

    /**
     * Reads into a direct buffer at its position, up to its remaining bytes, advancing the
     * position. {@code addr} caches the buffer's address (one per calling thread).
     */
    public int read(int fd, ByteBuffer dst, DirectBufferAddress addr) {
        int pos = dst.position();
        int n = read(fd, addr.of(dst) + pos, dst.limit() - pos);
        if (n > 0) {
            dst.position(pos + n);
        }
        return n;
    }

    /** Writes a direct buffer's remaining bytes from its position, advancing the position. */
    public int write(int fd, ByteBuffer src, DirectBufferAddress addr) {
        int pos = src.position();
        int n = write(fd, addr.of(src) + pos, src.limit() - pos);
        if (n > 0) {
            src.position(pos + n);
        }
        return n;
    }

    /** {@code poll} on the first {@code count} entries: number ready, 0 on timeout, or {@code -errno}. */
    public int poll(PollFds fds, int count, int timeoutMs) {
        if (count > fds.capacity()) {
            return -LibC.EINVAL;
        }
        int n = libc.pollErrno(fds.address(), count, timeoutMs);
        return n >= 0 ? n : -libc.errno();
    }

    // ---------------------------------------------------------------- messages

    public String strerror(int errno) {
        if (errno == LibC.ELAST) {
            return "DAHDI event pending";
        }
        try {
            String s = libc.strerror(errno);
            return s == null ? "errno " + errno : s;
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return "errno " + errno;
        }
    }

    private PosixException fail(String call, LastErrorException e) {
        PosixException pe = new PosixException(call, e.getErrorCode(), strerror(e.getErrorCode()));
        pe.initCause(e);
        return pe;
    }

    private static String describe(Structure s) {
        return "&" + s.getClass().getSimpleName();
    }

    static String openFlags(int flags) {
        StringBuilder b = new StringBuilder();
        switch (flags & 3) {
            case LibC.O_WRONLY: b.append("O_WRONLY"); break;
            case LibC.O_RDWR: b.append("O_RDWR"); break;
            default: b.append("O_RDONLY"); break;
        }
        if ((flags & LibC.O_NONBLOCK) != 0) {
            b.append("|O_NONBLOCK");
        }
        if ((flags & LibC.O_CLOEXEC) != 0) {
            b.append("|O_CLOEXEC");
        }
        int rest = flags & ~(3 | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (rest != 0) {
            b.append("|0x").append(Integer.toHexString(rest));
        }
        return b.toString();
    }

    private static String socketType(int type) {
        int base = type & 0xf;
        String s = base == LibC.SOCK_SEQPACKET ? "SOCK_SEQPACKET"
            : base == LibC.SOCK_DGRAM ? "SOCK_DGRAM" : base == LibC.SOCK_STREAM ? "SOCK_STREAM" : "type " + base;
        if ((type & LibC.SOCK_NONBLOCK) != 0) {
            s += "|SOCK_NONBLOCK";
        }
        if ((type & LibC.SOCK_CLOEXEC) != 0) {
            s += "|SOCK_CLOEXEC";
        }
        return s;
    }

    private static String sockOpt(int option) {
        return option == LibC.SO_SNDBUF ? "SO_SNDBUF" : option == LibC.SO_RCVBUF ? "SO_RCVBUF" : "opt " + option;
    }
}
