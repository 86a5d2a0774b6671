package org.tandem.gateway.rtp.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The two socket calls the RTP path makes itself, direct-mapped (JNA, LP64 Linux): primitive
 * arguments only, so a call allocates nothing; a failure returns -1 and leaves errno for
 * {@link Native#getLastError()}. Netty's {@code Socket.sendTo} does the same syscall but converts
 * its {@code InetAddress} to a fresh sockaddr on every call (about 48 bytes of garbage per packet).
 */
public final class SocketCalls {
    public static final int SOL_SOCKET = 1;
    public static final int SO_DOMAIN = 39;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int MSG_DONTWAIT = 0x40;

    static {
        Native.register(SocketCalls.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private SocketCalls() {
    }

    /** ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *addr, socklen_t addrlen). */
    public static native long sendto(int fd, long buf, long len, int flags, long addr, int addrlen);

    /** int getsockopt(int fd, int level, int optname, void *optval, socklen_t *optlen). */
    public static native int getsockopt(int fd, int level, int optname, long optval, long optlen);
}
