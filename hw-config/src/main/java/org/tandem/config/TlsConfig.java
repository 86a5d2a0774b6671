package org.tandem.config;

import java.nio.file.Path;

/**
 * The TLS half of {@code [sip]} (present only when {@code tls_listen} is set). The files were read
 * and checked when the configuration was loaded; the gateway reads them again when it starts.
 *
 * @param listen address:port of the TLS listener (SIP over TLS, RFC 3261 26.2; 5061 by custom)
 * @param certificate PEM file: our certificate, then its intermediates
 * @param key PEM file: the certificate's private key, unencrypted PKCS#8
 * @param ca PEM bundle of the authorities peers' certificates must chain to, or null for the JDK's
 *     trust store
 * @param verifyClients whether a client connecting to us must present a certificate
 */
public record TlsConfig(HostPort listen, Path certificate, Path key, Path ca, VerifyClients verifyClients) {

    /** none: no certificate asked; optional: asked, verified when given; required: no certificate, no connection. */
    public enum VerifyClients implements Token {
        NONE, OPTIONAL, REQUIRED;
    }
}
