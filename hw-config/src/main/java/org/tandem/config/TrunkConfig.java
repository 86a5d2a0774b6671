package org.tandem.config;

import java.util.List;

/**
 * {@code [trunk NAME]}: a SIP peer.
 *
 * @param password digest password, or null when the trunk does not authenticate
 * @param trusted source addresses whose INVITEs may reach the PSTN without authentication; empty
 *     means the addresses {@code host} resolves to
 * @param causes name of a {@code [causes NAME]} section, or null for the RFC 3398 defaults
 * @param redirects what a 3xx from this trunk to our INVITE does (docs/SIP.md "Redirects")
 * @param maxRedirects how many 3xx one outbound call follows at most
 * @param redirectionHeaders which SIP headers carry a diverted call's redirecting number to and
 *     from this trunk (docs/SIP.md "Diversion and History-Info")
 * @param prack reliable provisional responses (RFC 3262) with this peer (docs/SIP.md "Reliable
 *     provisionals")
 * @param tlsVerify with transport tls: the peer's certificate must chain to {@code [sip] tls_ca} and
 *     name the peer (RFC 5922 7.2); false accepts any certificate (encryption without authentication)
 * @param tlsServerName the name the certificate must carry (and the SNI we send), or null for {@code host}
 * @param sips our INVITEs carry {@code sips:} URIs (RFC 5630; transport tls only)
 * @param srtp SRTP with SDES keys (RFC 3711, RFC 4568) on this trunk's calls (transport tls only;
 *     docs/SIP.md "SRTP")
 */
public record TrunkConfig(String name, String host, int port, SipConfig.Transport transport,
        boolean register, int registerExpiresS, String username, Secret password, String realm,
        List<Cidr> trusted, String causes, Redirects redirects, int maxRedirects,
        RedirectionHeaders redirectionHeaders, Prack prack, boolean tlsVerify, String tlsServerName,
        boolean sips, Srtp srtp) {

    public TrunkConfig {
        redirectionHeaders = redirectionHeaders == null ? RedirectionHeaders.DIVERSION : redirectionHeaders;
        prack = prack == null ? Prack.SUPPORTED : prack;
        srtp = srtp == null ? Srtp.OFF : srtp;
    }

    /** {@code srtp = off}, for code that builds a trunk without it. */
    public TrunkConfig(String name, String host, int port, SipConfig.Transport transport,
            boolean register, int registerExpiresS, String username, Secret password, String realm,
            List<Cidr> trusted, String causes, Redirects redirects, int maxRedirects,
            RedirectionHeaders redirectionHeaders, Prack prack, boolean tlsVerify, String tlsServerName,
            boolean sips) {
        this(name, host, port, transport, register, registerExpiresS, username, password, realm, trusted, causes,
                redirects, maxRedirects, redirectionHeaders, prack, tlsVerify, tlsServerName, sips, Srtp.OFF);
    }

    /** The TLS defaults (verify, the host as server name, sip: URIs), for code that builds a trunk without them. */
    public TrunkConfig(String name, String host, int port, SipConfig.Transport transport, boolean register,
            int registerExpiresS, String username, Secret password, String realm, List<Cidr> trusted,
            String causes, Redirects redirects, int maxRedirects, RedirectionHeaders redirectionHeaders, Prack prack) {
        this(name, host, port, transport, register, registerExpiresS, username, password, realm, trusted, causes,
                redirects, maxRedirects, redirectionHeaders, prack, true, null, false);
    }

    /** The default of {@code prack}, for code that builds a trunk without it. */
    public TrunkConfig(String name, String host, int port, SipConfig.Transport transport, boolean register,
            int registerExpiresS, String username, Secret password, String realm, List<Cidr> trusted,
            String causes, Redirects redirects, int maxRedirects, RedirectionHeaders redirectionHeaders) {
        this(name, host, port, transport, register, registerExpiresS, username, password, realm, trusted, causes,
                redirects, maxRedirects, redirectionHeaders, Prack.SUPPORTED);
    }

    /** The defaults of {@code redirection_headers} and {@code prack}, for code that builds a trunk without them. */
    public TrunkConfig(String name, String host, int port, SipConfig.Transport transport, boolean register,
            int registerExpiresS, String username, Secret password, String realm, List<Cidr> trusted,
            String causes, Redirects redirects, int maxRedirects) {
        this(name, host, port, transport, register, registerExpiresS, username, password, realm, trusted, causes,
                redirects, maxRedirects, RedirectionHeaders.DIVERSION, Prack.SUPPORTED);
    }

    /** The defaults of the two redirect keys, for code that builds a trunk without them. */
    public TrunkConfig(String name, String host, int port, SipConfig.Transport transport, boolean register,
            int registerExpiresS, String username, Secret password, String realm, List<Cidr> trusted,
            String causes) {
        this(name, host, port, transport, register, registerExpiresS, username, password, realm, trusted, causes,
                Redirects.FOLLOW, DEFAULT_MAX_REDIRECTS);
    }

    public static final int DEFAULT_MAX_REDIRECTS = 3;

    /**
     * A 3xx to our INVITE: follow it only to the hosts of configured trunks (the default: a peer
     * cannot send our calls, at our cost, to a host of its choosing), to any host, or not at all
     * (the 3xx is a failure mapped to a release cause, RFC 3398).
     */
    public enum Redirects implements Token {
        FOLLOW, FOLLOW_ANY, REFUSE;
    }

    /**
     * Redirection (the ISDN redirecting number) on this trunk: RFC 5806 Diversion (default),
     * RFC 7044 History-Info, both, or none; sent on our INVITEs and read from the trunk's.
     */
    public enum RedirectionHeaders implements Token {
        DIVERSION, HISTORY_INFO, BOTH, NONE;

        @Override
        public String token() {
            return this == HISTORY_INFO ? "history-info" : Token.super.token();
        }
    }

    /**
     * 100rel (RFC 3262): {@code off} (never offered, an INVITE requiring it gets 420),
     * {@code supported} (offered; our 18x reliable when the peer requires it), {@code required}
     * (required on our INVITEs; our 18x reliable whenever the peer supports it).
     */
    public enum Prack implements Token {
        OFF, SUPPORTED, REQUIRED;
    }

    /**
     * SRTP on this trunk's calls (docs/SIP.md "SRTP"): {@code off} (plain RTP offered; an RTP/SAVP
     * offer received over TLS is still answered), {@code offer} (our offers are RTP/AVP with
     * a=crypto: SRTP when the peer answers with a key, RTP otherwise), {@code require} (RTP/SAVP
     * offered; an offer or answer without a usable a=crypto fails the call, 488).
     */
    public enum Srtp implements Token {
        OFF, OFFER, REQUIRE;
    }
}
