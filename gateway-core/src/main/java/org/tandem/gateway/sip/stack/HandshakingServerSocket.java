package org.tandem.gateway.sip.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS listening socket the RI's {@code TLSMessageProcessor} accepts from, with the handshake
 * done before {@link #accept()} returns. The RI handshakes on its one accept thread with no time
 * limit, so a client that connects and sends nothing would stop every other TLS client from
 * connecting, and a failed handshake counts against its connection limit for ever. Here an
 * acceptor thread hands each connection to a small pool (at most {@value #HANDSHAKERS} at once;
 * more are refused, closed at once) that handshakes with a time limit; only completed handshakes
 * are queued for the RI. A failed one (no or a wrong client certificate, not TLS, too slow) is
 * logged with its source and closed, and disturbs nothing else.
 */
final class HandshakingServerSocket extends SSLServerSocket {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakingServerSocket.class);
    static final int HANDSHAKERS = 8;
    private static final int READY = 64;

    private final SSLServerSocket listener;
    private final int handshakeTimeoutMs;
    private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(READY);
    private final ExecutorService handshakers;
    private final Thread acceptor;
    private volatile boolean closed;

    HandshakingServerSocket(SSLServerSocket listener, int handshakeTimeoutMs) throws IOException {
        this.listener = listener;
        this.handshakeTimeoutMs = handshakeTimeoutMs;
        String name = "sip-tls-" + listener.getLocalPort();
        this.handshakers = new ThreadPoolExecutor(0, HANDSHAKERS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, name + "-handshake");
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, name + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.error("TLS listener {} stopped accepting: {}", listener.getLocalSocketAddress(), e.toString());
                }
                break;
            }
            try {
                handshakers.execute(() -> handshake((SSLSocket) s));
            } catch (RejectedExecutionException e) {
                LOG.warn("TLS connection from {} refused: {} handshakes already in progress", s.getRemoteSocketAddress(),
                        HANDSHAKERS);
                quietClose(s);
            }
        }
        ready.offer(Boolean.FALSE); // wakes accept() to report the close
    }

    private void handshake(SSLSocket s) {
        try {
            s.setSoTimeout(handshakeTimeoutMs);
            s.startHandshake();
            s.setSoTimeout(0);
        } catch (IOException e) {
            LOG.warn("TLS handshake from {} failed: {}", s.getRemoteSocketAddress(), reason(e));
            quietClose(s);
            return;
        }
        if (closed || !ready.offer(s)) {
            LOG.warn("TLS connection from {} dropped: the SIP stack is not taking connections", s.getRemoteSocketAddress());
            quietClose(s);
        }
    }

    static String reason(Throwable e) {
        StringBuilder b = new StringBuilder(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
        Throwable cause = e.getCause();
        for (int i = 0; cause != null && i < 3; i++, cause = cause.getCause()) {
            b.append(" <- ").append(cause.getMessage());
        }
        return b.toString();
    }

    private static void quietClose(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a failed connection
        }
    }

    @Override
    public Socket accept() throws IOException {
        try {
            Object o = ready.take();
            if (o instanceof SSLSocket s) {
                return s;
            }
            ready.offer(Boolean.FALSE); // for the next caller
            throw new SocketException("TLS listener closed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SocketException("interrupted waiting for a TLS connection");
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        handshakers.shutdownNow();
        ready.offer(Boolean.FALSE);
        Object o;
        while ((o = ready.poll()) != null) {
            if (o instanceof SSLSocket s) {
                quietClose(s);
            }
        }
        ready.offer(Boolean.FALSE);
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean isBound() {
        return listener.isBound();
    }

    @Override
    public InetAddress getInetAddress() {
        return listener.getInetAddress();
    }

    @Override
    public int getLocalPort() {
        return listener.getLocalPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return listener.getLocalSocketAddress();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return listener.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        listener.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return listener.getSupportedCipherSuites();
    }

    @Override
    public String[] getSupportedProtocols() {
        return listener.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return listener.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        listener.setEnabledProtocols(protocols);
    }

    /**
     * Ignored, like {@link #setWantClientAuth}: the mode is fixed by {@code [sip] tls_verify_clients}
     * before the RI sees the socket. The RI's TLSMessageProcessor calls setNeedClientAuth(true) and
     * then setWantClientAuth(false), which in JSSE clears "need" again: a required client
     * certificate would silently become none.
     */
    @Override
    public void setNeedClientAuth(boolean need) {
        // fixed at creation, see above
    }

    @Override
    public boolean getNeedClientAuth() {
        return listener.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        // fixed at creation, see setNeedClientAuth
    }

    @Override
    public boolean getWantClientAuth() {
        return listener.getWantClientAuth();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        listener.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return listener.getUseClientMode();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        listener.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return listener.getEnableSessionCreation();
    }
}
