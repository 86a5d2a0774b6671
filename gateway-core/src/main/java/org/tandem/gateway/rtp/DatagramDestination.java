package org.tandem.gateway.rtp;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tandem.gateway.rtp.jna.SocketCalls;

/**
 * Where an unconnected datagram socket sends: the sockaddr is built once, when the address is set
 * (attach, re-INVITE), and every send passes that preallocated struct to {@code sendto(2)}. Used
 * until symmetric RTP latches the peer and the socket is connected; from then on {@code send(2)}.
 * Allocation-free per send; one per socket, used on the socket's owning thread.
 *
 * <pre>
 *  sockaddr_in (AF_INET socket, 16 bytes)    sockaddr_in6 (AF_INET6 socket, 28 bytes)
 *  0: family u16 (host order) = 2            0: family u16 (host order) = 10
 *  2: port   u16 (network order)             2: port u16 (network order)
 *  4: addr   4 bytes                         4: flowinfo u32 = 0
 *  8: zero   8 bytes                         8: addr 16 bytes (IPv4 as ::ffff:a.b.c.d)
 *                                           24: scope_id u32
 * </pre>
 */
public final class DatagramDestination {
    private static final int SOCKADDR_IN = 16;
    private static final int SOCKADDR_IN6 = 28;
    /** Bytes of native memory a destination needs for its sockaddr (the larger, sockaddr_in6). */
    public static final int SOCKADDR_BYTES = SOCKADDR_IN6;

    private final int fd;
    private final boolean ipv6Socket;
    private final ByteBuffer sockaddr;
    private final long sockaddrAddress;
    private int sockaddrLength;
    private InetSocketAddress address;

    /**
     * For the datagram socket {@code fd} whose family the caller knows ({@code ipv6Socket}: AF_INET6,
     * else AF_INET; {@code RtpPorts.ipv6()}), with the sockaddr in {@code sockaddr}, a direct buffer
     * of at least {@link #SOCKADDR_BYTES} from index 0 that this destination owns until its socket
     * sends no more (the media channel takes it from its agent's pool and gives it back at detach).
     * No system call, no allocation of native memory: what a call's attach costs.
     */
    public DatagramDestination(int fd, boolean ipv6Socket, ByteBuffer sockaddr) {
        if (!sockaddr.isDirect() || sockaddr.capacity() < SOCKADDR_IN6) {
            throw new IllegalArgumentException("a sockaddr needs a direct buffer of " + SOCKADDR_IN6
                    + " bytes, got " + sockaddr);
        }
        this.fd = fd;
        this.ipv6Socket = ipv6Socket;
        this.sockaddr = sockaddr.order(ByteOrder.nativeOrder());
        this.sockaddrAddress = Pointer.nativeValue(Native.getDirectBufferPointer(sockaddr));
    }

    /**
     * Whether the datagram socket {@code fd} is AF_INET6 (false: AF_INET), from
     * {@code getsockopt(SO_DOMAIN)}; an error for any other family or a failed call.
     */
    public static boolean isIpv6Socket(int fd) {
        ByteBuffer opt = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        long optAddress = Pointer.nativeValue(Native.getDirectBufferPointer(opt));
        opt.putInt(4, 4);
        if (SocketCalls.getsockopt(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_DOMAIN, optAddress, optAddress + 4) != 0) {
            throw new IllegalStateException("getsockopt(" + fd + ", SOL_SOCKET, SO_DOMAIN) failed: errno "
                    + Native.getLastError());
        }
        int family = opt.getInt(0);
        if (family != SocketCalls.AF_INET && family != SocketCalls.AF_INET6) {
            throw new IllegalArgumentException("fd " + fd + " is not an IP socket (family " + family + ")");
        }
        return family == SocketCalls.AF_INET6;
    }

    /** The buffer holding the sockaddr (the one given to the constructor). */
    public ByteBuffer sockaddrBuffer() {
        return sockaddr;
    }

    /** Sets the destination (not on the per-packet path: this may allocate). */
    public void set(InetSocketAddress to) {
        if (to.isUnresolved()) {
            throw new IllegalArgumentException("unresolved destination " + to);
        }
        byte[] ip = to.getAddress().getAddress();
        for (int i = 0; i < SOCKADDR_IN6; i++) {
            sockaddr.put(i, (byte) 0);
        }
        sockaddr.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) to.getPort()).order(ByteOrder.nativeOrder());
        if (ipv6Socket) {
            sockaddr.putShort(0, (short) SocketCalls.AF_INET6);
            if (to.getAddress() instanceof Inet4Address) {
                sockaddr.put(18, (byte) 0xFF).put(19, (byte) 0xFF).put(20, ip);
            } else {
                sockaddr.put(8, ip);
                sockaddr.putInt(24, ((Inet6Address) to.getAddress()).getScopeId());
            }
            sockaddrLength = SOCKADDR_IN6;
        } else {
            if (!(to.getAddress() instanceof Inet4Address)) {
                throw new IllegalArgumentException("IPv6 destination " + to + " for an IPv4 socket (fd " + fd + ")");
            }
            sockaddr.putShort(0, (short) SocketCalls.AF_INET);
            sockaddr.put(4, ip);
            sockaddrLength = SOCKADDR_IN;
        }
        address = to;
    }

    public InetSocketAddress address() {
        return address;
    }

    /**
     * Sends {@code length} bytes at native address {@code buffer} to the destination, without
     * blocking. Returns the bytes sent, or minus errno (e.g. -11 EAGAIN: socket buffer full).
     */
    public int send(long buffer, int length) {
        long n = SocketCalls.sendto(fd, buffer, length, SocketCalls.MSG_DONTWAIT, sockaddrAddress, sockaddrLength);
        return n >= 0 ? (int) n : -Native.getLastError();
    }
}
