package org.tandem.gateway.sip.stack;

import gov.nist.core.net.DefaultNetworkLayer;
import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.function.Predicate;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.sip.TcpLimits;

/**
 * The RI's socket factory (gov.nist.javax.sip.NETWORK_LAYER) with the signalling DSCP set on
 * every socket it makes (IP_TOS = DSCP << 2, RFC 2474): carriers police and queue by it (CS3 = 24
 * is the usual class for call signalling, RFC 4594). The value comes from the stack property
 * {@link #DSCP_PROPERTY}. Linux honours IP_TOS for unprivileged processes; where the OS refuses,
 * we log once and carry on unmarked.
 *
 * <p>TLS sockets come from the stack's own {@link TlsSockets} (our certificate, our CA, per-peer
 * name checks), given by {@link #useTls} before the TLS listening point is made; without it the RI
 * would fall back to the process-wide {@code javax.net.ssl.*} defaults, so every TLS socket is
 * refused instead.
 */
public final class DscpNetworkLayer implements NetworkLayer {
    public static final String DSCP_PROPERTY = "org.tandem.sip.DSCP";
    private static final Logger LOG = LoggerFactory.getLogger(DscpNetworkLayer.class);
    private final NetworkLayer delegate = DefaultNetworkLayer.SINGLETON;
    private volatile int trafficClass;
    private volatile boolean warned;
    private volatile TlsSockets tls;
    private volatile TcpLimits limits = TcpLimits.DEFAULTS;
    private volatile Predicate<InetAddress> trusted = a -> false;

    /** Public no-arg constructor: the RI instantiates this class by name. */
    public DscpNetworkLayer() {
    }

    @Override
    public void setSipStack(SipStackImpl sipStack) {
        delegate.setSipStack(sipStack);
        String dscp = sipStack.getConfigurationProperties().getProperty(DSCP_PROPERTY, "0");
        trafficClass = Integer.parseInt(dscp) << 2;
    }

    /** The TLS context of this stack (SipUserAgent sets it right after creating the stack). */
    public void useTls(TlsSockets sockets) {
        this.tls = sockets;
    }

    /**
     * The bounds of the TCP and TLS listeners made after this ({@code [sip] tcp_*}) and the addresses
     * exempt from their per-source limit (SipUserAgent: the live trunks' trusted addresses).
     */
    public void guard(TcpLimits tcpLimits, Predicate<InetAddress> trustedSource) {
        this.limits = tcpLimits;
        this.trusted = trustedSource;
    }

    private TlsSockets tls() throws IOException {
        TlsSockets t = tls;
        if (t == null) {
            throw new IOException("no TLS configured ([sip] tls_listen)");
        }
        return t;
    }

    private <T> T mark(T socket) {
        if (trafficClass == 0) {
            return socket;
        }
        try {
            if (socket instanceof DatagramSocket d) {
                d.setTrafficClass(trafficClass);
            } else if (socket instanceof Socket s) {
                s.setTrafficClass(trafficClass);
            }
        } catch (SocketException e) {
            if (!warned) {
                warned = true;
                LOG.warn("cannot set DSCP {} on SIP sockets ({}); signalling goes out unmarked",
                        trafficClass >> 2, e.getMessage());
            }
        }
        return socket;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        // bounds against idle, slowloris and one-source connection floods (GuardedServerSocket)
        ServerSocket server = new GuardedServerSocket(port, backlog, bindAddress, limits, trusted);
        if (trafficClass != 0) {
            // Linux copies IP_TOS from the listening socket to the sockets it accepts.
            try {
                server.setOption(java.net.StandardSocketOptions.IP_TOS, trafficClass);
            } catch (IOException | UnsupportedOperationException e) {
                LOG.warn("cannot set DSCP {} on the SIP TCP listener ({}); inbound TCP goes out unmarked",
                        trafficClass >> 2, e.getMessage());
            }
        }
        return server;
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return mark(delegate.createSocket(address, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        return mark(delegate.createSocket(address, port, myAddress));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress, int myPort) throws IOException {
        return mark(delegate.createSocket(address, port, myAddress, myPort));
    }

    @Override
    public DatagramSocket createDatagramSocket() throws SocketException {
        return mark(delegate.createDatagramSocket());
    }

    @Override
    public DatagramSocket createDatagramSocket(int port, InetAddress laddr) throws SocketException {
        return mark(delegate.createDatagramSocket(port, laddr));
    }

    @Override
    public SSLServerSocket createSSLServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return tls().serverSocket(port, backlog, bindAddress, trafficClass, limits, trusted);
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port) throws IOException {
        return mark(tls().clientSocket(address, port, null));
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        return mark(tls().clientSocket(address, port, myAddress));
    }
}
