package org.tandem.gateway.sip.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.function.Predicate;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.tandem.gateway.sip.TcpLimits;

/**
 * The TLS listening socket given to the RI's {@code TLSMessageProcessor}, with the client
 * certificate mode fixed by {@code [sip] tls_verify_clients}. The RI sets it itself from
 * {@code TLS_CLIENT_AUTH_TYPE} but, for {@code Enabled}, calls {@code setNeedClientAuth(true)} and
 * then {@code setWantClientAuth(false)}, which in JSSE clears "need" again: a required client
 * certificate would silently become none. Every other call goes to the JDK's socket. Accepted
 * connections are bounded like TCP's ({@link #accept}).
 *
 * <p>Handshakes are not done here: the RI runs each on the connection's own thread, bounded by
 * its watchdog ({@code SSL_HANDSHAKE_TIMEOUT}, SipStackFactory), so a client that connects and
 * stalls holds one thread for that long and blocks no one else (TlsEndToEndTest). A handshake
 * done before the RI sees the socket would not do: the RI's watchdog waits for a handshake event
 * that then never comes and closes the connection.
 */
final class ClientAuthServerSocket extends SSLServerSocket {
    private final SSLServerSocket listener;
    private final ConnectionGuard guard;

    ClientAuthServerSocket(SSLServerSocket listener, TcpLimits limits, Predicate<InetAddress> trusted)
            throws IOException {
        this.listener = listener;
        this.guard = new ConnectionGuard("TLS", listener.getLocalPort(), limits, trusted);
    }

    /**
     * The next connection within the bounds of {@code [sip] tcp_*} (the same as on TCP: per source,
     * in all, to the first message, per message; {@link ConnectionGuard}); one beyond them is reset
     * before its handshake starts or the RI gives it a thread.
     */
    @Override
    public Socket accept() throws IOException {
        while (true) {
            SSLSocket s = (SSLSocket) listener.accept();
            ConnectionGuard.Ticket t = guard.admit(s);
            if (t != null) {
                return new GuardedSslSocket(s, t);
            }
        }
    }

    @Override
    public void close() throws IOException {
        guard.close();
        listener.close();
    }

    ConnectionGuard guard() {
        return guard;
    }

    @Override
    public boolean isClosed() {
        return listener.isClosed();
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
