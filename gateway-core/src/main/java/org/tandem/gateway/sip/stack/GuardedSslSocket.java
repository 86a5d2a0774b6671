package org.tandem.gateway.sip.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * An accepted TLS connection as the RI sees it: the JDK's socket, with the plaintext the RI reads
 * fed to its {@link ConnectionGuard} ticket (the bounds need SIP message ends, which only the
 * decrypted stream shows) and its close giving back the ticket's counts. Every call goes to the
 * JDK's socket; this object's own (unconnected) socket is never used.
 */
final class GuardedSslSocket extends SSLSocket {
    private final SSLSocket s;
    private final ConnectionGuard.Ticket ticket;
    private InputStream in;

    GuardedSslSocket(SSLSocket s, ConnectionGuard.Ticket ticket) {
        this.s = s;
        this.ticket = ticket;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (in == null) {
            in = ticket.scanning(s.getInputStream());
        }
        return in;
    }

    @Override
    public void close() throws IOException {
        try {
            s.close();
        } finally {
            ticket.release();
        }
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return s.getOutputStream();
    }

    @Override
    public boolean isClosed() {
        return s.isClosed();
    }

    @Override
    public boolean isConnected() {
        return s.isConnected();
    }

    @Override
    public boolean isBound() {
        return s.isBound();
    }

    @Override
    public boolean isInputShutdown() {
        return s.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return s.isOutputShutdown();
    }

    @Override
    public void shutdownInput() throws IOException {
        s.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        s.shutdownOutput();
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        throw new SocketException("an accepted socket is connected already");
    }

    @Override
    public void bind(SocketAddress bindpoint) throws IOException {
        throw new SocketException("an accepted socket is bound already");
    }

    @Override
    public InetAddress getInetAddress() {
        return s.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return s.getLocalAddress();
    }

    @Override
    public int getPort() {
        return s.getPort();
    }

    @Override
    public int getLocalPort() {
        return s.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return s.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return s.getLocalSocketAddress();
    }

    @Override
    public SocketChannel getChannel() {
        return null;
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        s.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return s.getTcpNoDelay();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        s.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return s.getSoLinger();
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
        s.sendUrgentData(data);
    }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        s.setOOBInline(on);
    }

    @Override
    public boolean getOOBInline() throws SocketException {
        return s.getOOBInline();
    }

    @Override
    public synchronized void setSoTimeout(int timeout) throws SocketException {
        s.setSoTimeout(timeout);
    }

    @Override
    public synchronized int getSoTimeout() throws SocketException {
        return s.getSoTimeout();
    }

    @Override
    public synchronized void setSendBufferSize(int size) throws SocketException {
        s.setSendBufferSize(size);
    }

    @Override
    public synchronized int getSendBufferSize() throws SocketException {
        return s.getSendBufferSize();
    }

    @Override
    public synchronized void setReceiveBufferSize(int size) throws SocketException {
        s.setReceiveBufferSize(size);
    }

    @Override
    public synchronized int getReceiveBufferSize() throws SocketException {
        return s.getReceiveBufferSize();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        s.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return s.getKeepAlive();
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        s.setTrafficClass(tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return s.getTrafficClass();
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        s.setReuseAddress(on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return s.getReuseAddress();
    }

    @Override
    public <T> SSLSocket setOption(SocketOption<T> name, T value) throws IOException {
        s.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return s.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return s.supportedOptions();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return s.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return s.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        s.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return s.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return s.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        s.setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
        return s.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return s.getHandshakeSession();
    }

    @Override
    public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
        s.addHandshakeCompletedListener(listener);
    }

    @Override
    public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
        s.removeHandshakeCompletedListener(listener);
    }

    @Override
    public void startHandshake() throws IOException {
        s.startHandshake();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        s.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return s.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        s.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return s.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        s.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return s.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        s.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return s.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return s.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
        s.setSSLParameters(params);
    }

    @Override
    public String getApplicationProtocol() {
        return s.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return s.getHandshakeApplicationProtocol();
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(BiFunction<SSLSocket, List<String>, String> selector) {
        s.setHandshakeApplicationProtocolSelector(selector);
    }

    @Override
    public BiFunction<SSLSocket, List<String>, String> getHandshakeApplicationProtocolSelector() {
        return s.getHandshakeApplicationProtocolSelector();
    }

    @Override
    public String toString() {
        return "guarded " + s;
    }
}
