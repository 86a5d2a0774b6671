package org.tandem.config.validate;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.tandem.config.GatewayConfig;
import org.tandem.config.HostPort;
import org.tandem.config.SipConfig;
import org.tandem.config.TlsConfig;
import org.tandem.config.TrunkConfig;
import org.tandem.config.tls.Pem;
import org.tandem.config.tls.PemException;

/**
 * The TLS keys that depend on each other: {@code tls_listen} with its certificate and key (which
 * must belong together), the TLS keys without {@code tls_listen}, a TLS port that collides with
 * {@code listen}, and trunks that want TLS or sips when nothing listens for TLS.
 */
final class TlsChecks {
    private static final List<Key<?>> NEEDS_LISTEN = List.of(Schema.Sip.TLS_CERTIFICATE, Schema.Sip.TLS_KEY,
            Schema.Sip.TLS_CA, Schema.Sip.TLS_VERIFY_CLIENTS);
    private final GatewayConfig c;
    private final ConfigBuilder sections;

    TlsChecks(GatewayConfig config, ConfigBuilder sections) {
        this.c = config;
        this.sections = sections;
    }

    void run() {
        SectionReader sip = sections.single("sip");
        SipConfig s = c.sip();
        if (s.transports() != null && s.transports().contains(SipConfig.Transport.TLS)) {
            sip.error(Schema.Sip.TRANSPORTS.name(), "tls is not a transport of listen: TLS listens on its own"
                    + " port", "udp, tcp or udp,tcp here, and tls_listen = HOST:5061 for TLS");
        }
        TlsConfig tls = s.tls();
        if (tls == null) {
            if (!sip.isSet(Schema.Sip.TLS_LISTEN)) {
                for (Key<?> k : NEEDS_LISTEN) {
                    if (sip.isSet(k)) {
                        sip.error(k.name(), k.name() + " is set but tls_listen is not, so nothing uses it",
                                "tls_listen = HOST:5061, or remove " + k.name());
                    }
                }
            }
        } else {
            listener(sip, s.listen(), tls);
        }
        for (TrunkConfig t : c.trunks().values()) {
            SectionReader r = sections.find("trunk", t.name()).orElseThrow();
            boolean isTls = t.transport() == SipConfig.Transport.TLS;
            if (isTls && tls == null && !sip.isSet(Schema.Sip.TLS_LISTEN)) {
                r.error(Schema.Trunk.TRANSPORT.name(), "transport tls needs the TLS listener (our certificate,"
                        + " and the port our Via and Contact name)", "[sip] tls_listen, tls_certificate and"
                        + " tls_key, or transport = udp|tcp");
            }
            for (Key<?> k : List.of(Schema.Trunk.SIPS, Schema.Trunk.TLS_SERVER_NAME)) {
                if (!isTls && t.transport() != null && r.differsFromDefault(k)) {
                    r.error(k.name(), k.name() + " applies to transport tls only (this trunk is "
                            + t.transport().token() + ")", "transport = tls, or remove " + k.name());
                }
            }
        }
    }

    private void listener(SectionReader sip, HostPort listen, TlsConfig tls) {
        HostPort at = tls.listen();
        if (at.isWildcard()) {
            sip.error(Schema.Sip.TLS_LISTEN.name(), at.host() + " binds every interface, but the address goes in"
                    + " Via and Contact", "this host's address, e.g. 127.0.0.1:" + at.port());
        }
        if (listen != null && listen.port() == at.port() && listen.sameHostAs(at.host())) {
            sip.error(Schema.Sip.TLS_LISTEN.name(), "TLS and TCP both want port " + at.port() + " (listen = "
                    + listen + ")", "another port, usually " + (at.port() == 5061 ? 5062 : 5061));
        }
        if (!sip.isSet(Schema.Sip.TLS_CERTIFICATE)) {
            sip.error(Schema.Sip.TLS_CERTIFICATE.name(), "tls_listen needs our certificate",
                    Schema.Sip.TLS_CERTIFICATE.type().accepted());
        }
        if (!sip.isSet(Schema.Sip.TLS_KEY)) {
            sip.error(Schema.Sip.TLS_KEY.name(), "tls_listen needs the certificate's private key",
                    Schema.Sip.TLS_KEY.type().accepted());
        }
        if (tls.certificate() == null || tls.key() == null) {
            return;
        }
        X509Certificate leaf;
        PrivateKey key;
        try {
            leaf = Pem.certificates(tls.certificate()).get(0);
            key = Pem.privateKey(tls.key());
        } catch (PemException e) {
            return; // already reported on its key, or an offline load that reads no files
        }
        if (!Pem.matches(key, leaf.getPublicKey())) {
            sip.error(Schema.Sip.TLS_KEY.name(), tls.key() + " is not the private key of the first certificate in "
                    + tls.certificate() + " (" + leaf.getSubjectX500Principal().getName() + ")",
                    "the key the certificate was issued for, and the certificate first in its file");
        }
    }
}
