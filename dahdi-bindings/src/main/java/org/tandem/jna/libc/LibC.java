package org.tandem.jna.libc;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import java.nio.ByteBuffer;

/**
 * Raw binding to the C library, with C names and C semantics (Linux, LP64 only). Every call that
 * can fail {@code throws LastErrorException} carrying errno; use {@link Posix} for exceptions that
 * name the call and its arguments.
 *
 * <p>The {@code *Errno} variants are for the 20 ms path: the same C calls, but they never throw:
 * they return the C result (-1 on failure) and leave errno for {@link #errno()} on the calling
 * thread. They take raw addresses (see {@link DirectBufferAddress}) so that no Java object is
 * created per call.
 *
 * <p>{@link NativeLibC#INSTANCE} is the real library (JNA direct mapping);
 * {@code FakeLibC} in the tests replaces it.
 */
public interface LibC {
    // open(2) flags (Linux generic values, x86_64 and aarch64)
    int O_RDONLY = 0;
    int O_WRONLY = 1;
    int O_RDWR = 2;
    int O_NONBLOCK = 0x800;
    int O_CLOEXEC = 0x80000;

    // fcntl(2)
    int F_GETFD = 1;
    int F_SETFD = 2;
    int F_GETFL = 3;
    int F_SETFL = 4;
    int FD_CLOEXEC = 1;

    // poll(2) event bits
    short POLLIN = 0x001;
    short POLLPRI = 0x002;
    short POLLOUT = 0x004;
    short POLLERR = 0x008;
    short POLLHUP = 0x010;
    short POLLNVAL = 0x020;

    // sockets
    int AF_UNIX = 1;
    int SOCK_STREAM = 1;
    int SOCK_DGRAM = 2;
    int SOCK_SEQPACKET = 5;
    int SOCK_NONBLOCK = 0x800;
    int SOCK_CLOEXEC = 0x80000;
    int SOL_SOCKET = 1;
    int SO_SNDBUF = 7;
    int SO_RCVBUF = 8;
    int MSG_DONTWAIT = 0x40;

    // eventfd(2)
    int EFD_NONBLOCK = 0x800;
    int EFD_CLOEXEC = 0x80000;
    int EFD_SEMAPHORE = 1;

    // errno values used by callers (Linux)
    int EPERM = 1;
    int ENOENT = 2;
    int EINTR = 4;
    int EIO = 5;
    int ENXIO = 6;
    int EBADF = 9;
    int EAGAIN = 11;
    int ENOMEM = 12;
    int EBUSY = 16;
    int ENODEV = 19;
    int EINVAL = 22;
    int ENOTTY = 25;
    int EPIPE = 32;
    int ECONNRESET = 104;
    int ENOBUFS = 105;
    /** DAHDI's "an event is pending" errno on read/write (its ELAST). */
    int ELAST = 500;

    int open(String path, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    /** Reads into {@code buf} from index 0. */
    long read(int fd, byte[] buf, long count) throws LastErrorException;

    long write(int fd, byte[] buf, long count) throws LastErrorException;

    /** Reads into a direct buffer starting at its address (index 0; position is ignored). */
    long read(int fd, ByteBuffer buf, long count) throws LastErrorException;

    /** Writes from a direct buffer starting at its address (index 0; position is ignored). */
    long write(int fd, ByteBuffer buf, long count) throws LastErrorException;

    /** {@code fds} points at {@code nfds} {@code struct pollfd} (8 bytes each, see {@link PollFds}). */
    int poll(Pointer fds, long nfds, int timeoutMs) throws LastErrorException;

    int ioctl(int fd, long request, int value) throws LastErrorException;

    int ioctl(int fd, long request, IntByReference value) throws LastErrorException;

    int ioctl(int fd, long request, Pointer arg) throws LastErrorException;

    /** The structure is written to native memory before and read back after the call. */
    int ioctl(int fd, long request, Structure arg) throws LastErrorException;

    int fcntl(int fd, int cmd, int arg) throws LastErrorException;

    int socketpair(int domain, int type, int protocol, int[] sv) throws LastErrorException;

    int setsockopt(int fd, int level, int optname, IntByReference optval, int optlen) throws LastErrorException;

    int getsockopt(int fd, int level, int optname, IntByReference optval, IntByReference optlen)
        throws LastErrorException;

    int eventfd(int initval, int flags) throws LastErrorException;

    int pipe2(int[] fds, int flags) throws LastErrorException;

    String strerror(int errnum);

    /** {@code read(2)} into native memory at {@code address}; -1 and {@link #errno()} on failure. */
    long readErrno(int fd, long address, long count);

    /** {@code read(2)} into {@code buf} from index 0; -1 and {@link #errno()} on failure. */
    long readErrno(int fd, byte[] buf, long count);

    /** {@code write(2)} from {@code buf} index 0; -1 and {@link #errno()} on failure. */
    long writeErrno(int fd, byte[] buf, long count);

    /** {@code write(2)} from native memory at {@code address}; -1 and {@link #errno()} on failure. */
    long writeErrno(int fd, long address, long count);

    /** {@code poll(2)} on pollfds at {@code address}; -1 and {@link #errno()} on failure. */
    int pollErrno(long address, long nfds, int timeoutMs);

    /** errno of the last {@code *Errno} call on this thread. */
    int errno();
}
