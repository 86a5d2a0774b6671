package org.tandem.gateway.app;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service manager's readiness protocol (sd_notify(3)): one datagram such as {@code READY=1}
 * to the AF_UNIX socket named by {@code $NOTIFY_SOCKET}, which systemd sets for a
 * {@code Type=notify} service (packaging/debian/tandem.service). {@code tandem run} sends
 * {@code READY=1} once the gateway has logged "Tandem ready", and {@code STOPPING=1} when a signal
 * starts the graceful shutdown.
 *
 * <p>JDK 17 has Unix stream channels but no Unix datagram socket, so the datagram goes through
 * the C library with JNA. The sender must be the service's main process
 * ({@code NotifyAccess=main}): /usr/bin/tandem execs the JVM, so it is. A leading {@code @} in the
 * address names a socket in the abstract namespace (sun_path starting with a NUL byte).
 * Not a hot path: one socket per message, as libsystemd does.
 */
public final class SystemdNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(SystemdNotifier.class);
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_NOSIGNAL = 0x4000;
    /** sizeof(struct sockaddr_un): sa_family_t then sun_path[108]. */
    static final int SOCKADDR_UN_SIZE = 110;
    private static final int SUN_PATH_MAX = SOCKADDR_UN_SIZE - 2;

    /** The few libc calls needed, by JNA interface mapping (no native code of ours). */
    interface Socket extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrLen) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static volatile Socket libc;

    private final String address;
    private final byte[] sockaddr;
    private final int sockaddrLength;

    private SystemdNotifier(String address, byte[] sockaddr, int sockaddrLength) {
        this.address = address;
        this.sockaddr = sockaddr;
        this.sockaddrLength = sockaddrLength;
    }

    /** The notifier of this process: empty when not started by a service manager that listens. */
    public static Optional<SystemdNotifier> fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * @return empty when {@code NOTIFY_SOCKET} is unset or empty; also (with a warning) when it is
     *     not an address this class can use (too long for sun_path, not a path or {@code @name}),
     *     or on a platform other than Linux
     */
    static Optional<SystemdNotifier> fromEnvironment(Map<String, String> env) {
        String address = env.get("NOTIFY_SOCKET");
        if (address == null || address.isEmpty()) {
            return Optional.empty();
        }
        if (!Platform.isLinux()) {
            LOG.warn("NOTIFY_SOCKET is set but readiness notification is implemented for Linux only");
            return Optional.empty();
        }
        boolean abstractName = address.charAt(0) == '@';
        if (!abstractName && address.charAt(0) != '/') {
            LOG.warn("NOTIFY_SOCKET '{}' is neither an absolute path nor @name: no readiness notification",
                    address);
            return Optional.empty();
        }
        byte[] name = address.getBytes(StandardCharsets.UTF_8);
        // A path needs its terminating NUL inside sun_path; an abstract name does not.
        if (name.length > (abstractName ? SUN_PATH_MAX : SUN_PATH_MAX - 1)) {
            LOG.warn("NOTIFY_SOCKET '{}' is longer than sun_path: no readiness notification", address);
            return Optional.empty();
        }
        ByteBuffer sa = ByteBuffer.allocate(SOCKADDR_UN_SIZE).order(ByteOrder.nativeOrder());
        sa.putShort((short) AF_UNIX);
        sa.put(name);
        byte[] bytes = sa.array();
        int length;
        if (abstractName) {
            bytes[2] = 0;
            length = 2 + name.length;
        } else {
            length = 2 + name.length + 1;
        }
        return Optional.of(new SystemdNotifier(address, bytes, length));
    }

    /** Where the messages go, as {@code NOTIFY_SOCKET} named it. */
    public String address() {
        return address;
    }

    /**
     * Sends one message ({@code KEY=VALUE} lines, e.g. {@code "READY=1\nSTATUS=..."}).
     *
     * @return whether the datagram was sent; a failure is logged (WARN) and never thrown: the
     *     gateway runs on, and systemd reports the start as timed out
     */
    public boolean notify(String state) {
        byte[] message = state.getBytes(StandardCharsets.UTF_8);
        Socket c;
        int fd;
        try {
            c = library();
            fd = c.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            LOG.warn("readiness notification to {} failed: socket: {}", address, e.getMessage());
            return false;
        }
        try {
            c.sendto(fd, message, message.length, MSG_NOSIGNAL, sockaddr, sockaddrLength);
            return true;
        } catch (LastErrorException e) {
            LOG.warn("readiness notification to {} failed: sendto: {}", address, e.getMessage());
            return false;
        } finally {
            try {
                c.close(fd);
            } catch (LastErrorException ignored) {
                // nothing to do about a failed close of a datagram socket
            }
        }
    }

    private static Socket library() {
        Socket l = libc;
        if (l == null) {
            synchronized (SystemdNotifier.class) {
                l = libc;
                if (l == null) {
                    l = Native.load(Platform.C_LIBRARY_NAME, Socket.class);
                    libc = l;
                }
            }
        }
        return l;
    }
}
