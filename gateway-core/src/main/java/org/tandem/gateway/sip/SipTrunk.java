package org.tandem.gateway.sip;

import java.net.InetAddress;
import java.util.function.Predicate;

/**
 * A SIP peer as the SIP side needs it; call control fills it from the trunk configuration.
 *
 * @param name the trunk's name (logs, events)
 * @param host where outbound INVITEs go
 * @param transport "udp", "tcp" or "tls"
 * @param username digest user when the trunk challenges us, or null
 * @param password digest password, or null
 * @param trustedSource which source addresses may send INVITEs that reach the PSTN unauthenticated
 * @param redirects what a 3xx from this trunk to our INVITE does
 * @param maxRedirects how many 3xx one call follows at most
 * @param prack reliable provisional responses (RFC 3262) with this peer, both directions
 * @param tlsVerify with transport "tls": the peer's certificate must chain to our CA and name the peer
 * @param tlsServerName the name its certificate must carry (and our SNI), or null for {@code host}
 * @param sips our INVITEs to it use sips: URIs (RFC 5630)
 */
public record SipTrunk(String name, String host, int port, String transport, String username,
        String password, Predicate<InetAddress> trustedSource, RedirectPolicy redirects, int maxRedirects,
        PrackPolicy prack, boolean tlsVerify, String tlsServerName, boolean sips) {
    /** Default redirect handling: follow to configured trunks' hosts, at most 3 times. */
    public static final int DEFAULT_MAX_REDIRECTS = 3;

    public SipTrunk(String name, String host, int port, String transport, String username, String password,
            Predicate<InetAddress> trustedSource, RedirectPolicy redirects, int maxRedirects) {
        this(name, host, port, transport, username, password, trustedSource, redirects, maxRedirects,
                PrackPolicy.SUPPORTED);
    }

    public SipTrunk(String name, String host, int port, String transport, String username, String password,
            Predicate<InetAddress> trustedSource) {
        this(name, host, port, transport, username, password, trustedSource, RedirectPolicy.FOLLOW,
                DEFAULT_MAX_REDIRECTS);
    }

    /** The TLS defaults: verified, the host as the name, sip: URIs. */
    public SipTrunk(String name, String host, int port, String transport, String username, String password,
            Predicate<InetAddress> trustedSource, RedirectPolicy redirects, int maxRedirects, PrackPolicy prack) {
        this(name, host, port, transport, username, password, trustedSource, redirects, maxRedirects, prack, true,
                null, false);
    }

    public SipTrunk {
        if (prack == null) {
            prack = PrackPolicy.SUPPORTED;
        }
    }

    /** The name the peer's TLS certificate must carry: tls_server_name, else the host as written. */
    public String expectedTlsName() {
        return tlsServerName != null ? tlsServerName : host;
    }

    public boolean hasCredentials() {
        return username != null && password != null;
    }
}
