package org.tandem.gateway.sip.stack;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Who we accept at the other end of a TLS connection. The chain is checked by the JDK's PKIX trust
 * manager over {@code [sip] tls_ca}; the name is checked here, per peer, because the RI opens
 * sockets by address only and the JDK's endpoint identification would compare the certificate with
 * whatever a reverse look-up of that address gives:
 * <ul>
 * <li>a configured TLS trunk: its {@code tls_server_name} (else {@code host}) must be a subjectAltName
 *     of the leaf, as a DNS name (one left-most {@code *} label allowed, RFC 6125 6.4.3), an IP address,
 *     or a {@code sip:} URI naming it (RFC 5922 7.1); the CN is not used when SANs exist, and we require them.
 *     With {@code tls_verify = no} nothing is checked (encrypted, not authenticated).</li>
 * <li>any other peer we connect to (a registered phone's TLS contact): the chain, and the address we
 *     connect to as an IP subjectAltName.</li>
 * <li>a client connecting to us: the chain only (when the listener asks for a certificate); who may
 *     call the PSTN is still decided by source address or digest, as over UDP.</li>
 * </ul>
 */
final class PeerTrustManager extends X509ExtendedTrustManager {
    /** A TLS peer we connect to: the name its certificate must carry, or no checks at all. */
    record Peer(boolean verify, String expectedName) {
    }

    private final X509TrustManager chain;
    private final Map<InetSocketAddress, Peer> peers;

    PeerTrustManager(X509TrustManager chain, Map<InetSocketAddress, Peer> peers) {
        this.chain = chain;
        this.peers = Map.copyOf(peers);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
        InetSocketAddress to = new InetSocketAddress(socket.getInetAddress(), socket.getPort());
        Peer p = peers.get(to);
        if (p == null) {
            p = new Peer(true, socket.getInetAddress().getHostAddress());
        }
        if (!p.verify()) {
            return;
        }
        chain.checkServerTrusted(certs, authType);
        if (!names(certs[0], p.expectedName())) {
            throw new CertificateException("the certificate of " + to.getAddress().getHostAddress() + ":" + to.getPort()
                    + " (" + certs[0].getSubjectX500Principal().getName() + ") does not name " + p.expectedName()
                    + " (subjectAltNames " + altNames(certs[0]) + ")");
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
        chain.checkClientTrusted(certs, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, SSLEngine engine) throws CertificateException {
        chain.checkClientTrusted(certs, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("TLS over SSLEngine is not used by this gateway");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        chain.checkClientTrusted(certs, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        throw new CertificateException("a server certificate is checked against the peer it came from only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return chain.getAcceptedIssuers();
    }

    /** True when {@code name} (a DNS name or an IP literal) is one of the certificate's subjectAltNames. */
    static boolean names(X509Certificate cert, String name) {
        String n = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
        InetAddress ip = literal(n);
        for (List<?> san : sans(cert)) {
            int type = (Integer) san.get(0);
            String value = String.valueOf(san.get(1));
            if (ip != null && type == 7 && ip.equals(literal(value))) {
                return true;
            }
            if (ip == null && type == 2 && dnsMatches(value, n)) {
                return true;
            }
            if (type == 6 && value.toLowerCase(Locale.ROOT).startsWith("sip:")
                    && value.substring(4).equalsIgnoreCase(n)) {
                return true;
            }
        }
        return false;
    }

    static boolean dnsMatches(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (p.endsWith(".")) {
            p = p.substring(0, p.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (!p.startsWith("*.")) {
            return p.equals(h);
        }
        int dot = h.indexOf('.');
        // One whole left-most label only, and never a wildcard over a public suffix-like "*.com".
        return dot > 0 && p.indexOf('.', 2) > 0 && h.substring(dot).equals(p.substring(1));
    }

    private static List<List<?>> sans(X509Certificate cert) {
        try {
            Collection<List<?>> all = cert.getSubjectAlternativeNames();
            return all == null ? List.of() : List.copyOf(all);
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static String altNames(X509Certificate cert) {
        List<List<?>> s = sans(cert);
        return s.isEmpty() ? "none" : s.stream().map(l -> String.valueOf(l.get(1))).toList().toString();
    }

    private static InetAddress literal(String s) {
        if (!s.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            return null;
        }
        try {
            return InetAddress.getByName(s); // a literal: no look-up
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
