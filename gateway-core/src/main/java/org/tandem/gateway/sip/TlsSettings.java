package org.tandem.gateway.sip;

import java.nio.file.Path;

/**
 * The TLS listener and our certificate (docs/SIP.md "TLS"). Call control builds it from
 * {@code [sip] tls_*}; the PEM files were checked when the configuration was loaded and are read
 * again by {@link org.tandem.gateway.sip.stack.TlsSockets} when the stack starts.
 *
 * @param host address of the TLS listening point (in Via and Contact of TLS messages)
 * @param port its port (5061 by custom)
 * @param ca PEM bundle peers' certificates must chain to, or null for the JDK's trust store
 * @param clients whether a client connecting to us must present a certificate
 * @param handshakeTimeoutMs how long a TLS handshake may take, each way, before the connection is dropped
 */
public record TlsSettings(String host, int port, Path certificate, Path key, Path ca, ClientCertificates clients,
        int handshakeTimeoutMs) {

    /** What a client connecting to the TLS listener must show. */
    public enum ClientCertificates {
        /** no certificate asked */
        NONE,
        /** asked; one that does not chain to the CA fails the handshake; none is fine */
        OPTIONAL,
        /** no certificate chaining to the CA, no connection */
        REQUIRED
    }

    public TlsSettings {
        if (host == null || host.isBlank() || host.equals("0.0.0.0")) {
            throw new IllegalArgumentException("[sip] tls_listen host must be a concrete address: got " + host);
        }
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("[sip] tls_listen port " + port + " is out of range 1..65535");
        }
        if (certificate == null || key == null) {
            throw new IllegalArgumentException("[sip] tls_listen needs tls_certificate and tls_key");
        }
        if (handshakeTimeoutMs < 100) {
            throw new IllegalArgumentException("TLS handshake timeout " + handshakeTimeoutMs + " ms is below 100 ms");
        }
    }
}
