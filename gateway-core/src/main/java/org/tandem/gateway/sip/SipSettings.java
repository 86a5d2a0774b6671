package org.tandem.gateway.sip;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the SIP side needs, validated once here. Call control builds it from the
 * {@code [sip]} and trunk sections of the configuration.
 *
 * @param listenHost address to bind (also used in Via/Contact, so not 0.0.0.0)
 * @param transports "udp" and/or "tcp"
 * @param dscp DiffServ code point for signalling, 0..63 (0 = unmarked)
 * @param threadPoolSize stack worker threads (see SipStackFactory)
 * @param maxServerTransactions bound on concurrent server transactions (overload -> 503)
 * @param maxClientTransactions bound on concurrent client transactions
 * @param sessionExpiresS RFC 4028 Session-Expires we ask for and grant at most; 0 disables timers
 * @param minSeS the smallest interval we accept (RFC 4028 says at least 90; tests use less)
 * @param trustLoopback treat 127.0.0.0/8 and ::1 as trusted (the shipped default)
 * @param trunks peers, in order; the first whose trustedSource matches a source is its trunk
 * @param users digest users (name -> password) who may call unauthenticated sources through us
 * @param authRealm realm of our challenges
 * @param tls the TLS listener and certificate, or null for no TLS (docs/SIP.md "TLS")
 * @param tcpLimits bounds of the TCP and TLS listeners (docs/SECURITY.md "TCP abuse"); null: the defaults
 */
public record SipSettings(String listenHost, int listenPort, Set<String> transports, String userAgent,
        int dscp, int threadPoolSize, int maxServerTransactions, int maxClientTransactions,
        int sessionExpiresS, int minSeS, boolean trustLoopback, List<SipTrunk> trunks,
        Map<String, String> users, String authRealm, TlsSettings tls, TcpLimits tcpLimits) {

    public SipSettings {
        if (listenHost == null || listenHost.isBlank() || listenHost.equals("0.0.0.0")) {
            throw new IllegalArgumentException("[sip] listen host must be a concrete address, it goes in "
                    + "Via and Contact: got " + listenHost);
        }
        if (listenPort <= 0 || listenPort > 65535) {
            throw new IllegalArgumentException("[sip] listen port " + listenPort + " is out of range 1..65535");
        }
        if (transports.isEmpty() || !Set.of("udp", "tcp").containsAll(transports)) {
            throw new IllegalArgumentException("[sip] transports must be udp and/or tcp: got " + transports);
        }
        if (dscp < 0 || dscp > 63) {
            throw new IllegalArgumentException("[sip] dscp " + dscp + " is out of range 0..63");
        }
        if (threadPoolSize < 1 || maxServerTransactions < 1 || maxClientTransactions < 1) {
            throw new IllegalArgumentException("SIP thread pool and transaction bounds must be positive");
        }
        if (sessionExpiresS != 0 && (minSeS < 1 || sessionExpiresS < minSeS)) {
            throw new IllegalArgumentException("[sip] session-expires " + sessionExpiresS
                    + " must be at least min-se " + minSeS);
        }
        for (SipTrunk t : trunks) {
            if ("tls".equals(t.transport()) && tls == null) {
                throw new IllegalArgumentException("trunk " + t.name() + " has transport tls but no TLS listener is"
                        + " configured ([sip] tls_listen)");
            }
        }
        transports = Set.copyOf(transports);
        trunks = List.copyOf(trunks);
        users = Map.copyOf(users);
        tcpLimits = tcpLimits == null ? TcpLimits.DEFAULTS : tcpLimits;
    }

    /** Defaults for a listen address: udp+tcp, 4 workers, 5000/5000 transactions, 1800 s / 90 s timers. */
    public static SipSettings defaults(String host, int port) {
        return new SipSettings(host, port, Set.of("udp", "tcp"), "Tandem", 24, 4, 5000, 5000, 1800, 90, true,
                List.of(), Map.of(), "tandem", null, null);
    }

    public SipSettings withTrunks(List<SipTrunk> newTrunks) {
        return new SipSettings(listenHost, listenPort, transports, userAgent, dscp, threadPoolSize,
                maxServerTransactions, maxClientTransactions, sessionExpiresS, minSeS, trustLoopback, newTrunks,
                users, authRealm, tls, tcpLimits);
    }

    public SipSettings withSessionTimer(int expiresS, int minS) {
        return new SipSettings(listenHost, listenPort, transports, userAgent, dscp, threadPoolSize,
                maxServerTransactions, maxClientTransactions, expiresS, minS, trustLoopback, trunks, users, authRealm, tls, tcpLimits);
    }

    public SipSettings withTrustLoopback(boolean trust) {
        return new SipSettings(listenHost, listenPort, transports, userAgent, dscp, threadPoolSize,
                maxServerTransactions, maxClientTransactions, sessionExpiresS, minSeS, trust, trunks, users, authRealm, tls, tcpLimits);
    }

    public SipSettings withUsers(Map<String, String> newUsers) {
        return new SipSettings(listenHost, listenPort, transports, userAgent, dscp, threadPoolSize,
                maxServerTransactions, maxClientTransactions, sessionExpiresS, minSeS, trustLoopback, trunks,
                newUsers, authRealm, tls, tcpLimits);
    }

    public SipSettings withTls(TlsSettings newTls) {
        return new SipSettings(listenHost, listenPort, transports, userAgent, dscp, threadPoolSize,
                maxServerTransactions, maxClientTransactions, sessionExpiresS, minSeS, trustLoopback, trunks,
                users, authRealm, newTls, tcpLimits);
    }

    public SipSettings withTcpLimits(TcpLimits limits) {
        return new SipSettings(listenHost, listenPort, transports, userAgent, dscp, threadPoolSize,
                maxServerTransactions, maxClientTransactions, sessionExpiresS, minSeS, trustLoopback, trunks,
                users, authRealm, tls, limits);
    }

    /** The host our Via and Contact name for messages over {@code transport} ("udp", "tcp", "tls"). */
    public String hostFor(String transport) {
        return "tls".equalsIgnoreCase(transport) && tls != null ? tls.host() : listenHost;
    }

    /** The port our Via and Contact name for messages over {@code transport}: TLS has its own. */
    public int portFor(String transport) {
        return "tls".equalsIgnoreCase(transport) && tls != null ? tls.port() : listenPort;
    }
}
