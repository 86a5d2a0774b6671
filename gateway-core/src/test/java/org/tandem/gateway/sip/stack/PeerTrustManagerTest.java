package org.tandem.gateway.sip.stack;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.config.tls.Pem;
import org.tandem.testing.tls.TestPki;

/** The name check of a trunk's certificate (RFC 5922 7.2, RFC 6125 6.4), on certificates made by openssl. */
class PeerTrustManagerTest {
    @TempDir
    Path dir;

    private X509Certificate leaf(String san) throws Exception {
        TestPki pki = new TestPki(dir);
        TestPki.Pair ca = pki.ca("ca");
        return Pem.certificates(pki.leaf("leaf", san, ca).certificate()).get(0);
    }

    @Test
    void shouldMatchAnIpAddressOnlyAgainstIpSubjectAltNames() throws Exception {
        X509Certificate c = leaf("IP:127.0.0.1,DNS:127.0.0.2");
        assertTrue(PeerTrustManager.names(c, "127.0.0.1"));
        assertFalse(PeerTrustManager.names(c, "127.0.0.2"), "a DNS SAN spelling an address is not an IP SAN");
        assertFalse(PeerTrustManager.names(c, "127.0.0.3"));
    }

    @Test
    void shouldMatchDnsNamesWithOneLeftMostWildcardLabel() throws Exception {
        X509Certificate c = leaf("DNS:sbc.example.net,DNS:*.carrier.example,URI:sip:edge.example.org");
        assertTrue(PeerTrustManager.names(c, "SBC.example.net"));
        assertTrue(PeerTrustManager.names(c, "a.carrier.example"));
        assertFalse(PeerTrustManager.names(c, "a.b.carrier.example"), "a wildcard covers one label");
        assertFalse(PeerTrustManager.names(c, "carrier.example"));
        assertTrue(PeerTrustManager.names(c, "edge.example.org"), "RFC 5922 7.1: a sip: URI SAN names the domain");
        assertFalse(PeerTrustManager.names(c, "127.0.0.1"));
    }

    @Test
    void shouldNotLetAWildcardCoverATopLevelDomain() {
        assertFalse(PeerTrustManager.dnsMatches("*.com", "example.com"));
        assertTrue(PeerTrustManager.dnsMatches("sbc.example.net.", "sbc.example.net"));
    }
}
