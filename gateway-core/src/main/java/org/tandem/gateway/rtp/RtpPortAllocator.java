package org.tandem.gateway.rtp;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.BitSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out RTP/RTCP port pairs from the configured range: an even port for RTP and the odd port
 * above it for RTCP (RFC 3550 section 11), bound to the media address. The reservation and the
 * bound sockets are one object ({@link RtpPorts}): closing it releases both sockets and the pair,
 * so a call that fails half way leaks nothing as long as it closes what it got (close is
 * idempotent).
 *
 * <p>Pairs are handed out round-robin so a just-released pair is not reused at once (late packets
 * of the previous call would land in the next one). A pair whose bind fails (another process holds
 * the port) is skipped. Thread-safe; not on the per-packet path.
 */
public final class RtpPortAllocator {
    private static final Logger LOG = LoggerFactory.getLogger(RtpPortAllocator.class);
    private static final int AF_INET = org.tandem.gateway.rtp.jna.SocketCalls.AF_INET;
    private static final int AF_INET6 = org.tandem.gateway.rtp.jna.SocketCalls.AF_INET6;

    private final InetAddress bindAddress;
    private final int firstPort;
    private final int pairs;
    private final int trafficClass;
    private final BitSet inUse;
    private int next;
    /**
     * The family of the sockets, asked of the kernel for the first one (0: not yet; else AF_INET or
     * AF_INET6). Every socket comes from {@code Socket.newSocketDgram()}, whose family Netty picks
     * once per JVM (IPv6 where the host has it), so one {@code getsockopt} serves them all instead
     * of two per call at attach (DatagramDestination).
     */
    private int family;

    /**
     * @param bindAddress address the sockets bind (the SIP listen host)
     * @param firstPort   first port of the range; rounded up to even
     * @param lastPort    last port of the range, inclusive
     * @param dscp        DSCP code point 0..63 for IP_TOS/IPV6_TCLASS (dscp &lt;&lt; 2)
     */
    public RtpPortAllocator(InetAddress bindAddress, int firstPort, int lastPort, int dscp) {
        int first = (firstPort + 1) & ~1;
        if (first < 1024 || lastPort > 65535 || lastPort < first + 1) {
            throw new IllegalArgumentException("RTP port range " + firstPort + "-" + lastPort
                    + " must hold at least one even/odd pair within 1024-65535");
        }
        if (dscp < 0 || dscp > 63) {
            throw new IllegalArgumentException("DSCP " + dscp + " is outside 0..63");
        }
        if (!Epoll.isAvailable()) {
            // The sockets are Netty's native ones (they join the agents' epoll loops); loading
            // the epoll transport also loads the native library behind them.
            throw new IllegalStateException("RTP sockets need Netty's native epoll transport: "
                    + Epoll.unavailabilityCause(), Epoll.unavailabilityCause());
        }
        this.bindAddress = bindAddress;
        this.firstPort = first;
        this.pairs = (lastPort - first + 1) / 2;
        this.trafficClass = dscp << 2;
        this.inUse = new BitSet(pairs);
    }

    /**
     * Reserves and binds the next free pair.
     *
     * @throws IOException naming the range when every pair is taken or fails to bind
     */
    public synchronized RtpPorts allocate() throws IOException {
        IOException lastFailure = null;
        for (int tried = 0; tried < pairs; tried++) {
            int pair = next;
            next = next + 1 == pairs ? 0 : next + 1;
            if (inUse.get(pair)) {
                continue;
            }
            int rtpPort = firstPort + 2 * pair;
            Socket rtp = null;
            Socket rtcp = null;
            try {
                rtp = open(rtpPort);
                rtcp = open(rtpPort + 1);
                if (family == 0) {
                    family = DatagramDestination.isIpv6Socket(rtp.intValue()) ? AF_INET6 : AF_INET;
                }
                inUse.set(pair);
                return new RtpPorts(this, rtpPort, rtp, rtcp, family == AF_INET6);
            } catch (IOException | RuntimeException e) {
                closeQuietly(rtp);
                closeQuietly(rtcp);
                lastFailure = e instanceof IOException ? (IOException) e : new IOException(e);
                LOG.debug("RTP port pair {}/{} on {} unavailable: {}", rtpPort, rtpPort + 1, bindAddress, e.toString());
            }
        }
        IOException ex = new IOException("no free RTP port pair in " + firstPort + "-" + (firstPort + 2 * pairs - 1)
                + " on " + bindAddress.getHostAddress() + " (" + inUseCount() + " of " + pairs + " pairs in use)");
        if (lastFailure != null) {
            ex.addSuppressed(lastFailure);
        }
        throw ex;
    }

    private Socket open(int port) throws IOException {
        Socket s = Socket.newSocketDgram();
        try {
            // No setReuseAddress(false): SO_REUSEADDR is off on every new socket (socket(7)), and
            // the setsockopt was two system calls per call for nothing.
            if (trafficClass != 0) {
                s.setTrafficClass(trafficClass);
            }
            s.bind(new InetSocketAddress(bindAddress, port));
            return s;
        } catch (IOException | RuntimeException e) {
            closeQuietly(s);
            throw e;
        }
    }

    synchronized void release(int rtpPort) {
        int pair = (rtpPort - firstPort) / 2;
        if (!inUse.get(pair)) {
            LOG.warn("RTP port pair {} released twice", rtpPort);
            return;
        }
        inUse.clear(pair);
    }

    public synchronized int inUseCount() {
        return inUse.cardinality();
    }

    public int capacity() {
        return pairs;
    }

    public int trafficClass() {
        return trafficClass;
    }

    static void closeQuietly(Socket s) {
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (IOException e) {
            LOG.debug("closing RTP socket: {}", e.toString());
        }
    }
}
