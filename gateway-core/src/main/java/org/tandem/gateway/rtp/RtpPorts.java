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
    private final AtomicBoolean closed = new AtomicBoolean();

    RtpPorts(RtpPortAllocator allocator, int rtpPort, Socket rtp, Socket rtcp) {
        this.allocator = allocator;
        this.rtpPort = rtpPort;
        this.rtp = rtp;
        this.rtcp = rtcp;
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
