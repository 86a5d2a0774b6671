package org.tandem.gateway.sip.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.config.tls.Pem;
import org.tandem.config.tls.PemException;
import org.tandem.gateway.sip.SipTrunk;
import org.tandem.gateway.sip.TcpLimits;
import org.tandem.gateway.sip.TlsSettings;

/**
 * The gateway's TLS: one {@link SSLContext} of this stack's own, built from the PEM files of
 * {@code [sip]} (never from {@code javax.net.ssl.*} system properties, which are process-wide),
 * and the sockets {@link DscpNetworkLayer} hands the RI. TLS 1.3 and 1.2 only, AEAD cipher suites
 * with forward secrecy only (RFC 9325 4.2); the RI's own default list (with anonymous and 3DES
 * suites) is replaced through the stack properties {@link #protocolsProperty()} and
 * {@link #cipherSuitesProperty()}.
 */
public final class TlsSockets {
    private static final Logger LOG = LoggerFactory.getLogger(TlsSockets.class);
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    private static final char[] IN_MEMORY = new char[0]; // the key store never leaves this object

    private final SSLContext context;
    private final TlsSettings settings;
    private final Map<InetSocketAddress, PeerTrustManager.Peer> peers;

    private TlsSockets(SSLContext context, TlsSettings settings, Map<InetSocketAddress, PeerTrustManager.Peer> peers) {
        this.context = context;
        this.settings = settings;
        this.peers = peers;
    }

    /**
     * Reads the certificate, key and CA files and builds the context; {@code trunks} with transport
     * tls give the names their certificates must carry (their hosts resolved now, like the trusted
     * addresses).
     *
     * @throws IOException naming the file and what is wrong with it
     */
    public static TlsSockets create(TlsSettings s, List<SipTrunk> trunks) throws IOException {
        try {
            List<X509Certificate> chain = Pem.certificates(s.certificate());
            PrivateKey key = Pem.privateKey(s.key());
            if (!Pem.matches(key, chain.get(0).getPublicKey())) {
                throw new IOException(s.key() + " is not the private key of the first certificate in " + s.certificate());
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("tandem", key, IN_MEMORY, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, IN_MEMORY);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (s.ca() == null) {
                tmf.init((KeyStore) null); // the JDK's cacerts
            } else {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (X509Certificate ca : Pem.certificates(s.ca())) {
                    trust.setCertificateEntry("ca-" + i++, ca);
                }
                tmf.init(trust);
            }
            X509TrustManager pkix = (X509TrustManager) Arrays.stream(tmf.getTrustManagers())
                    .filter(t -> t instanceof X509TrustManager).findFirst()
                    .orElseThrow(() -> new GeneralSecurityException("no X.509 trust manager"));
            Map<InetSocketAddress, PeerTrustManager.Peer> peers = peers(trunks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), new TrustManager[] {new PeerTrustManager(pkix, peers)}, new SecureRandom());
            LOG.info("TLS: certificate {} ({}), key file {}, CA {}, client certificates {}", s.certificate(),
                    chain.get(0).getSubjectX500Principal().getName(), s.key(),
                    s.ca() == null ? "the JDK's trust store" : s.ca(), s.clients().name().toLowerCase(java.util.Locale.ROOT));
            return new TlsSockets(ctx, s, peers);
        } catch (PemException e) {
            throw new IOException(e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build the TLS context from " + s.certificate() + " and " + s.key() + ": "
                    + e.getMessage(), e);
        }
    }

    private static Map<InetSocketAddress, PeerTrustManager.Peer> peers(List<SipTrunk> trunks) {
        Map<InetSocketAddress, PeerTrustManager.Peer> out = new HashMap<>();
        for (SipTrunk t : trunks) {
            if (!"tls".equals(t.transport())) {
                continue;
            }
            if (!t.tlsVerify()) {
                LOG.warn("trunk {}: tls_verify = no, its TLS certificate is not checked (encrypted, not authenticated)",
                        t.name());
            }
            try {
                for (InetAddress a : InetAddress.getAllByName(t.host())) {
                    out.putIfAbsent(new InetSocketAddress(a, t.port()),
                            new PeerTrustManager.Peer(t.tlsVerify(), t.expectedTlsName()));
                }
            } catch (UnknownHostException e) {
                LOG.warn("trunk {}: host {} does not resolve; calls to it cannot be sent over TLS", t.name(), t.host());
            }
        }
        return out;
    }

    /** The stack property value of gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS (the RI sets it on every TLS socket). */
    public static String protocolsProperty() {
        return String.join(",", PROTOCOLS);
    }

    /** The stack property value of gov.nist.javax.sip.ENABLED_CIPHER_SUITES: ours that this JDK has. */
    public static String cipherSuitesProperty() {
        try {
            Set<String> supported = Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
            return String.join(",", CIPHER_SUITES.stream().filter(supported::contains).toList());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    /** The listening socket, its client-certificate mode fixed and its connections bounded ({@link ClientAuthServerSocket}). */
    SSLServerSocket serverSocket(int port, int backlog, InetAddress bindAddress, int trafficClass, TcpLimits limits,
            java.util.function.Predicate<InetAddress> trusted) throws IOException {
        SSLServerSocket s = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(port, backlog, bindAddress);
        s.setEnabledProtocols(PROTOCOLS.toArray(new String[0]));
        switch (settings.clients()) {
            case REQUIRED -> s.setNeedClientAuth(true);
            case OPTIONAL -> s.setWantClientAuth(true);
            case NONE -> s.setWantClientAuth(false);
        }
        if (trafficClass != 0) {
            try {
                s.setOption(java.net.StandardSocketOptions.IP_TOS, trafficClass);
            } catch (IOException | UnsupportedOperationException e) {
                LOG.warn("cannot set DSCP on the SIP TLS listener ({}); inbound TLS goes out unmarked", e.getMessage());
            }
        }
        return new ClientAuthServerSocket(s, limits, trusted);
    }

    /** A connected client socket towards {@code address:port}, handshake not yet started (the RI starts it). */
    SSLSocket clientSocket(InetAddress address, int port, InetAddress myAddress) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(address, port, myAddress, 0);
        PeerTrustManager.Peer p = peers.get(new InetSocketAddress(address, port));
        SSLParameters params = s.getSSLParameters();
        params.setProtocols(PROTOCOLS.toArray(new String[0]));
        if (p != null && isDnsName(p.expectedName())) {
            params.setServerNames(List.of(new SNIHostName(p.expectedName()))); // RFC 6066 SNI
        }
        s.setSSLParameters(params);
        // The handshake itself is bounded by the RI's watchdog (SSL_HANDSHAKE_TIMEOUT, SipStackFactory).
        return s;
    }

    private static boolean isDnsName(String n) {
        return n.matches(".*[A-Za-z].*") && !n.contains(":");
    }
}
