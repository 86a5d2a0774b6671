package org.tandem.gateway.rtp;

import io.netty.channel.unix.Socket;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A reserved RTP/RTCP port pair with its two bound, not yet connected UDP sockets. Ownership
 * passes from call control to the media agent at attach; whoever holds it last closes it.
 * {@link #close()} is idempotent and thread-safe.
 */
public final class RtpPorts implements AutoCloseable {
    private final RtpPortAllocator allocator;
    private final int rtpPort;
    private final Socket rtp;
    private final Socket rtcp;
    private final boolean ipv6;
    private final AtomicBoolean closed = new AtomicBoolean();

    RtpPorts(RtpPortAllocator allocator, int rtpPort, Socket rtp, Socket rtcp, boolean ipv6) {
        this.allocator = allocator;
        this.rtpPort = rtpPort;
        this.rtp = rtp;
        this.rtcp = rtcp;
        this.ipv6 = ipv6;
    }

    public int rtpPort() {
        return rtpPort;
    }

    public int rtcpPort() {
        return rtpPort + 1;
    }

    public Socket rtpSocket() {
        return rtp;
    }

    public Socket rtcpSocket() {
        return rtcp;
    }

    /**
     * Whether both sockets are AF_INET6 (false: AF_INET), as {@code getsockopt(SO_DOMAIN)} says:
     * the allocator asks once, its sockets being all of one family ({@link RtpPortAllocator}).
     */
    public boolean ipv6() {
        return ipv6;
    }

    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            RtpPortAllocator.closeQuietly(rtp);
            RtpPortAllocator.closeQuietly(rtcp);
            allocator.release(rtpPort);
        }
    }

    @Override
    public String toString() {
        return "RtpPorts[" + rtpPort + "/" + (rtpPort + 1) + "]";
    }
}
