package org.tandem.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.testing.tls.TestPki;

/** {@code [sip] tls_*} and {@code [trunk] transport = tls, tls_verify, tls_server_name, sips}. */
class TlsConfigTest {
    @TempDir
    static Path dir;
    static TestPki.Pair ca;
    static TestPki.Pair server;
    static TestPki.Pair other;

    @BeforeAll
    static void certificates() throws IOException {
        TestPki pki = new TestPki(dir);
        ca = pki.ca("ca");
        server = pki.leaf("server", "IP:127.0.0.1", ca);
        other = pki.leaf("other", "IP:127.0.0.1", ca);
    }

    private static LoadResult parse(String sip, String more) {
        return ConfigLoader.parse(TestConfigs.MINIMAL + "[sip]\n" + sip + more, "test.ini", List.of(),
                new LoadOptions(dir, TestConfigs.ENV::get, p -> false));
    }

    private static String tls() {
        return "tls_listen = 127.0.0.1:5061\ntls_certificate = server.pem\ntls_key = server.key\ntls_ca = ca.pem\n";
    }

    @Test
    void shouldReadTheTlsListenerAndTrunkKeys() {
        GatewayConfig c = parse(tls() + "tls_verify_clients = required\n", """
                [trunk carrier]
                host = 127.0.0.1
                port = 5071
                transport = tls
                tls_server_name = sbc.example
                sips = yes
                [trunk lab]
                host = 127.0.0.1
                transport = tls
                tls_verify = no
                """).orThrow();
        TlsConfig t = c.sip().tls();
        assertEquals(new HostPort("127.0.0.1", 5061), t.listen());
        assertEquals(dir.resolve("server.pem"), t.certificate());
        assertEquals(TlsConfig.VerifyClients.REQUIRED, t.verifyClients());
        TrunkConfig carrier = c.trunks().get("carrier");
        assertEquals(SipConfig.Transport.TLS, carrier.transport());
        assertTrue(carrier.tlsVerify());
        assertEquals("sbc.example", carrier.tlsServerName());
        assertTrue(carrier.sips());
        assertFalse(c.trunks().get("lab").tlsVerify());
        String summary = ConfigSummary.format(c);
        assertTrue(summary.contains("tls       127.0.0.1:5061, certificate "), summary);
        assertFalse(summary.contains("BEGIN"), summary);
    }

    @Test
    void shouldHaveNoTlsWithoutTlsListen() {
        GatewayConfig c = parse("", "").orThrow();
        assertNull(c.sip().tls());
        assertTrue(c.trunks().isEmpty() || c.trunks().values().stream().allMatch(TrunkConfig::tlsVerify));
    }

    @Test
    void shouldNameFileLineAndKeyOfAMissingCertificate() {
        LoadResult r = parse("tls_listen = 127.0.0.1:5061\ntls_certificate = nowhere.pem\ntls_key = server.key\n", "");
        assertFalse(r.ok());
        String report = r.errorReport();
        assertTrue(report.contains("test.ini:9") && report.contains("tls_certificate") && report.contains("nowhere.pem")
                && report.contains("no such file"), report);
    }

    @Test
    void shouldNameTheLineInsideABrokenPemFile() throws IOException {
        Path broken = dir.resolve("broken.pem");
        Files.writeString(broken, "# our cert\n-----BEGIN CERTIFICATE-----\nMIIB!!notbase64\n-----END CERTIFICATE-----\n");
        LoadResult r = parse("tls_listen = 127.0.0.1:5061\ntls_certificate = broken.pem\ntls_key = server.key\n", "");
        String report = r.errorReport();
        assertTrue(report.contains("tls_certificate") && report.contains("broken.pem line 2"), report);
    }

    @Test
    void shouldRefuseAKeyThatIsNotTheCertificates() {
        LoadResult r = parse("tls_listen = 127.0.0.1:5061\ntls_certificate = server.pem\ntls_key = other.key\n", "");
        String report = r.errorReport();
        assertTrue(report.contains("tls_key") && report.contains("is not the private key of the first certificate"),
                report);
    }

    @Test
    void shouldRefuseAnEncryptedOrOldFormatKeyWithTheCommandThatConvertsIt() throws IOException {
        Path enc = dir.resolve("enc.key");
        Files.writeString(enc, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        LoadResult r = parse("tls_listen = 127.0.0.1:5061\ntls_certificate = server.pem\ntls_key = enc.key\n", "");
        assertTrue(r.errorReport().contains("openssl pkcs8 -topk8 -nocrypt"), r.errorReport());
        // The key file is a certificate: a certificate file is not a key.
        r = parse("tls_listen = 127.0.0.1:5061\ntls_certificate = server.pem\ntls_key = server.pem\n", "");
        assertTrue(r.errorReport().contains("no '-----BEGIN PRIVATE KEY-----' block"), r.errorReport());
    }

    @Test
    void shouldRequireCertificateAndKeyWithTlsListenAndTlsListenWithThem() {
        String report = parse("tls_listen = 127.0.0.1:5061\n", "").errorReport();
        assertTrue(report.contains("tls_listen needs our certificate"), report);
        assertTrue(report.contains("tls_listen needs the certificate's private key"), report);
        report = parse("tls_certificate = server.pem\n", "").errorReport();
        assertTrue(report.contains("tls_certificate is set but tls_listen is not"), report);
    }

    @Test
    void shouldRefuseTlsTrunksWithoutListenerAndSipsWithoutTls() {
        String report = parse("", "[trunk t]\nhost = 127.0.0.1\ntransport = tls\n").errorReport();
        assertTrue(report.contains("transport tls needs the TLS listener"), report);
        report = parse(tls(), "[trunk t]\nhost = 127.0.0.1\nsips = yes\n").errorReport();
        assertTrue(report.contains("sips applies to transport tls only"), report);
        report = parse("transports = udp,tls\n", "").errorReport();
        assertTrue(report.contains("tls is not a transport of listen"), report);
        report = parse(tls().replace("5061", "5060"), "").errorReport();
        assertTrue(report.contains("TLS and TCP both want port 5060"), report);
    }

    @Test
    void shouldNotReadTheFilesInAnOfflineLoad() {
        LoadResult r = ConfigLoader.parse(TestConfigs.MINIMAL + "[sip]\ntls_listen = 127.0.0.1:5061\n"
                + "tls_certificate = /nonexistent/a.pem\ntls_key = /nonexistent/a.key\n", "test.ini", List.of(),
                new LoadOptions(dir, TestConfigs.ENV::get, p -> false).withoutSecrets());
        assertTrue(r.ok(), r::errorReport);
    }

    @Test
    void shouldReadSrtpOnTlsTrunks() {
        GatewayConfig c = parse(tls(), """
                [trunk carrier]
                host = 127.0.0.1
                transport = tls
                srtp = require
                [trunk lab]
                host = 127.0.0.1
                transport = tls
                srtp = offer
                [trunk plain]
                host = 127.0.0.2
                """).orThrow();
        assertEquals(TrunkConfig.Srtp.REQUIRE, c.trunks().get("carrier").srtp());
        assertEquals(TrunkConfig.Srtp.OFFER, c.trunks().get("lab").srtp());
        assertEquals(TrunkConfig.Srtp.OFF, c.trunks().get("plain").srtp());
    }

    @Test
    void shouldRefuseSrtpKeysOverAPlainTransport() {
        LoadResult r = parse(tls(), """
                [trunk cleartext]
                host = 127.0.0.1
                transport = udp
                srtp = offer
                """);
        assertFalse(r.ok());
        String report = r.errorReport();
        assertTrue(report.contains("test.ini:"), report);
        assertTrue(report.contains("[trunk cleartext] srtp: srtp = offer over transport udp would send the SDES keys"),
                report);
        assertTrue(report.contains("transport = tls, or srtp = off"), report);
        assertTrue(parse(tls(), "[trunk t]\nhost = 127.0.0.1\nsrtp = sometimes\n").errorReport()
                .contains("srtp: 'sometimes' is not one of the choices"));
    }
}
