package org.tandem.gateway.media;

import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.rtp.DatagramDestination;

/**
 * Where one call's RTP and RTCP go (symmetric RTP, RFC 4961; NAT traversal): to the SDP's address
 * (then a re-INVITE's) through {@code sendto(2)} until the peer's first valid packet, then to that
 * packet's source on the socket connected to it, with {@code send(2)}.
 *
 * <p>Runs on the owning {@link MediaChannel}'s thread (its agent's event loop). Owns the latch
 * state and the preallocated destinations; the two sockets belong to {@code RtpPorts}.
 */
final class SymmetricRtp {
    /** The channel's logger: these lines were MediaChannel's before the split. */
    private static final Logger LOG = LoggerFactory.getLogger(MediaChannel.class);

    private final String callId;
    private final Socket rtpSocket;
    private final Socket rtcpSocket;
    /** Unlatched destinations (the SDP's, then a re-INVITE's): preallocated sockaddrs, no garbage per send. */
    private final DatagramDestination rtpTo;
    private final DatagramDestination rtcpTo;
    private InetSocketAddress remoteRtp;
    private InetSocketAddress remoteRtcp;
    private boolean rtpLatched;
    private boolean rtcpLatched;
    private final SrtpStage srtp;

    /**
     * {@code ipv6}: the sockets' family ({@code RtpPorts.ipv6()}); the two sockaddrs live in
     * {@code buffers}' direct buffers, given back by {@link #releaseBuffers}: an attach makes no
     * system call and allocates no native memory here.
     */
    SymmetricRtp(String callId, Socket rtpSocket, Socket rtcpSocket, boolean ipv6, InetSocketAddress remoteRtp,
                 SrtpStage srtp, MediaBuffers buffers) {
        this.callId = callId;
        this.srtp = srtp;
        this.rtpSocket = rtpSocket;
        this.rtcpSocket = rtcpSocket;
        this.remoteRtp = remoteRtp;
        this.remoteRtcp = new InetSocketAddress(remoteRtp.getAddress(), remoteRtp.getPort() + 1);
        this.rtpTo = new DatagramDestination(rtpSocket.intValue(), ipv6,
                buffers.takeDirect(DatagramDestination.SOCKADDR_BYTES));
        this.rtcpTo = new DatagramDestination(rtcpSocket.intValue(), ipv6,
                buffers.takeDirect(DatagramDestination.SOCKADDR_BYTES));
        rtpTo.set(remoteRtp);
        rtcpTo.set(remoteRtcp);
    }

    Socket rtpSocket() {
        return rtpSocket;
    }

    Socket rtcpSocket() {
        return rtcpSocket;
    }

    boolean rtpLatched() {
        return rtpLatched;
    }

    boolean rtcpLatched() {
        return rtcpLatched;
    }

    InetSocketAddress remoteRtp() {
        return remoteRtp;
    }

    InetSocketAddress remoteRtcp() {
        return remoteRtcp;
    }

    /**
     * Sends {@code buffer[0..length)} ({@code address} is its native address), SRTP-protected in
     * place first when the call has keys (the buffer needs {@link SrtpStage#RTP_OVERHEAD} spare
     * bytes); the socket's result, or a negative SRTP code when the packet could not be protected.
     */
    int sendRtp(ByteBuffer buffer, long address, int length) throws IOException {
        int n = srtp.protectRtp(buffer, length);
        if (n < 0) {
            return n;
        }
        return rtpLatched ? rtpSocket.send(buffer, 0, n) : rtpTo.send(address, n);
    }

    /** As {@link #sendRtp}, for RTCP (SRTCP, {@link SrtpStage#RTCP_OVERHEAD} spare bytes). */
    int sendRtcp(ByteBuffer buffer, long address, int length) throws IOException {
        int n = srtp.protectRtcp(buffer, length);
        if (n < 0) {
            return n;
        }
        return rtcpLatched ? rtcpSocket.send(buffer, 0, n) : rtcpTo.send(address, n);
    }

    SrtpStage srtp() {
        return srtp;
    }

    /** Symmetric RTP (RFC 4961; NAT traversal): send where the peer's packets come from. */
    void latchRtp(InetSocketAddress source) {
        InetSocketAddress at = new InetSocketAddress(source.getAddress(), source.getPort());
        try {
            rtpSocket.connect(at);
            rtpLatched = true;
            if (!at.equals(remoteRtp)) {
                LOG.info("call {}: RTP latched to {} (SDP said {})", callId, at, remoteRtp);
            }
            remoteRtp = at;
        } catch (IOException e) {
            LOG.warn("call {}: cannot latch RTP to {}: {}", callId, at, e.toString());
        }
    }

    void latchRtcp(InetSocketAddress source) {
        try {
            InetSocketAddress at = new InetSocketAddress(source.getAddress(), source.getPort());
            rtcpSocket.connect(at);
            remoteRtcp = at;
            rtcpLatched = true;
        } catch (IOException e) {
            LOG.debug("call {}: cannot latch RTCP to {}: {}", callId, source, e.toString());
        }
    }

    /** A re-INVITE is coming: disconnect both sockets so that the peer is learned again. */
    void unlatch() {
        try {
            if (rtpLatched) {
                rtpSocket.disconnect();
            }
            if (rtcpLatched) {
                rtcpSocket.disconnect();
            }
        } catch (IOException e) {
            LOG.warn("call {}: disconnecting RTP sockets: {}", callId, e.toString());
        }
        rtpLatched = false;
        rtcpLatched = false;
    }

    /** Gives the sockaddr buffers back (MediaChannel.releaseBuffers: nothing sends any more). */
    void releaseBuffers(MediaBuffers buffers) {
        buffers.giveDirect(rtpTo.sockaddrBuffer());
        buffers.giveDirect(rtcpTo.sockaddrBuffer());
    }

    /** The re-INVITE's address (RTCP at port + 1), used until the peer's packets latch again. */
    void sendTo(InetSocketAddress remote) {
        remoteRtp = remote;
        remoteRtcp = new InetSocketAddress(remote.getAddress(), remote.getPort() + 1);
        rtpTo.set(remoteRtp);
        rtcpTo.set(remoteRtcp);
    }
}
