package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.pri.ChannelId;
import org.tandem.pri.PriCall;
import org.tandem.pri.PriEvent;
import org.tandem.testing.tls.TestPki;

/**
 * SIP over TLS through the whole gateway, with certificates made at test time (TestPki): our CA,
 * an unrelated CA, the gateway's certificate for 127.0.0.1, a client's, and trunk certificates
 * good and bad. The TLS peers are JDK sockets ({@link TlsSip}): Debian's sipp is built without TLS.
 * The listener requires client certificates ({@code tls_verify_clients = required}).
 */
class TlsEndToEndTest extends AbstractEndToEndTest {
    private static final Path DIR;
    private static final TestPki.Pair CA;
    private static final TestPki.Pair OTHER_CA;
    private static final TestPki.Pair GATEWAY;
    private static final TestPki.Pair CLIENT;
    private static final TestPki.Pair STRANGER;
    private static final TestPki.Pair TRUNK;
    private static final TestPki.Pair TRUNK_OTHER_CA;
    private static final TestPki.Pair TRUNK_OTHER_NAME;
    private static final int TLS_PORT = SippRunner.freePort();
    private static final int BAD_CA_PORT = SippRunner.freePort();
    private static final int BAD_NAME_PORT = SippRunner.freePort();
    private static final int UNVERIFIED_PORT = SippRunner.freePort();

    static {
        try {
            DIR = Files.createTempDirectory("tandem-tls");
            TestPki pki = new TestPki(DIR);
            CA = pki.ca("ca");
            OTHER_CA = pki.ca("other-ca");
            GATEWAY = pki.leaf("gateway", "IP:127.0.0.1", CA);
            CLIENT = pki.leaf("client", "IP:127.0.0.1", CA);
            STRANGER = pki.leaf("stranger", "IP:127.0.0.1", OTHER_CA);
            TRUNK = pki.leaf("trunk", "IP:127.0.0.1", CA);
            TRUNK_OTHER_CA = pki.leaf("trunk-other-ca", "IP:127.0.0.1", OTHER_CA);
            TRUNK_OTHER_NAME = pki.leaf("trunk-other-name", "DNS:sbc.example.net", CA);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final LinkedBlockingQueue<PriEvent> exchangeEvents = new LinkedBlockingQueue<>();

    TlsEndToEndTest() {
        super(Gateway.Options.defaults(),
                "sip.tls_listen=127.0.0.1:" + TLS_PORT, "sip.tls_certificate=" + GATEWAY.certificate(),
                "sip.tls_key=" + GATEWAY.key(), "sip.tls_ca=" + CA.certificate(), "sip.tls_verify_clients=required",
                "trunk.local.transport=tls",
                "trunk.badca.host=127.0.0.1", "trunk.badca.port=" + BAD_CA_PORT, "trunk.badca.transport=tls",
                "trunk.badname.host=127.0.0.1", "trunk.badname.port=" + BAD_NAME_PORT, "trunk.badname.transport=tls",
                "trunk.lab.host=127.0.0.1", "trunk.lab.port=" + UNVERIFIED_PORT, "trunk.lab.transport=tls",
                "trunk.lab.tls_verify=no", "trunk.lab.sips=yes",
                "route.badca.direction=pstn-to-sip", "route.badca.priority=10", "route.badca.match_called=201",
                "route.badca.target=trunk:badca",
                "route.badname.direction=pstn-to-sip", "route.badname.priority=10", "route.badname.match_called=202",
                "route.badname.target=trunk:badname",
                "route.lab.direction=pstn-to-sip", "route.lab.priority=10", "route.lab.match_called=203",
                "route.lab.target=trunk:lab");
    }

    @BeforeAll
    void observeExchange() {
        gw.gateway.exchange(1).addObserver((span, event) -> exchangeEvents.add(event));
    }

    @AfterAll
    void removeCertificates() {
        Scenarios.deleteTree(DIR);
    }

    private TlsSip.Connection client(TestPki.Pair identity) throws Exception {
        return TlsSip.Connection.connect(TlsSip.context(identity, CA.certificate()), TLS_PORT);
    }

    private String options(TlsSip.Connection c, String callId) throws IOException {
        c.send(TlsSip.request("OPTIONS", "sip:127.0.0.1:" + TLS_PORT + ";transport=tls", callId, 1, "o1", null,
                c.localPort(), "", ""));
        return c.finalResponse("OPTIONS", 5000);
    }

    @Test
    void shouldAnswerOptionsOverTls() throws Exception {
        try (TlsSip.Connection c = client(CLIENT)) {
            String ok = options(c, "tls-options-1");
            assertNotNull(ok, "the gateway answered over TLS");
            assertEquals(200, TlsSip.status(ok), ok);
            assertTrue(TlsSip.header(ok, "Via", "v", "").startsWith("SIP/2.0/TLS 127.0.0.1:" + c.localPort()), ok);
        }
    }

    /** A call to the exchange's milliwatt line over TLS, answered, ACKed, hung up; returns after the 200 to BYE. */
    @Test
    void shouldConnectAnInviteOverTlsToTheExchangeAndHangUp() throws Exception {
        try (TlsSip.Connection c = client(CLIENT)) {
            String toTag = invite1004(c, "tls-call-1");
            bye(c, "tls-call-1", toTag);
        }
        String[] cdr = gw.awaitCdr(r -> r[E2eGateway.SIP_CALL_ID].equals("tls-call-1"), 5_000);
        assertNotNull(cdr);
        assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION], String.join(",", cdr));
        assertTrue(gw.awaitIdle(5_000));
    }

    private String invite1004(TlsSip.Connection c, String callId) throws IOException {
        String uri = "sip:1004@127.0.0.1:" + TLS_PORT + ";transport=tls";
        c.send(TlsSip.request("INVITE", uri, callId, 1, "caller", null, c.localPort(), TlsSip.sdp(rtp.port()), ""));
        String ok = c.finalResponse("INVITE", 10_000);
        assertNotNull(ok, "a final response to the INVITE over TLS");
        assertEquals(200, TlsSip.status(ok), ok);
        String contact = TlsSip.header(ok, "Contact", "m", "");
        assertTrue(contact.contains("127.0.0.1:" + TLS_PORT) && contact.contains("transport=tls"),
                "Contact names the TLS listener: " + contact);
        String to = TlsSip.header(ok, "To", "t", "");
        String toTag = to.substring(to.indexOf("tag=") + 4).split(";")[0];
        c.send(TlsSip.request("ACK", uri, callId, 1, "caller", toTag, c.localPort(), "", ""));
        return toTag;
    }

    private void bye(TlsSip.Connection c, String callId, String toTag) throws IOException {
        c.send(TlsSip.request("BYE", "sip:1004@127.0.0.1:" + TLS_PORT + ";transport=tls", callId, 2, "caller", toTag,
                c.localPort(), "", ""));
        String ok = c.finalResponse("BYE", 5000);
        assertNotNull(ok);
        assertEquals(200, TlsSip.status(ok), ok);
    }

    @Test
    void shouldRefuseClientsWithoutACertificateOrWithOneFromAnotherCa() throws Exception {
        for (TestPki.Pair who : new TestPki.Pair[] {null, STRANGER}) {
            String answer;
            try (TlsSip.Connection c = TlsSip.Connection.connect(TlsSip.context(who, CA.certificate(), true), TLS_PORT)) {
                answer = options(c, "tls-refused-" + (who == null ? "none" : "stranger"));
            } catch (IOException e) {
                answer = null; // TLS 1.3: the server's alert may arrive at the handshake or at the first read
            }
            assertNull(answer, "no SIP answer without a good client certificate");
        }
        try (TlsSip.Connection c = client(CLIENT)) {
            assertEquals(200, TlsSip.status(options(c, "tls-after-refusals")), "a good client still gets in");
        }
    }

    @Test
    void shouldServeOtherClientsWhileOneConnectsAndNeverHandshakes() throws Exception {
        try (java.net.Socket stalled = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), TLS_PORT)) {
            try (TlsSip.Connection c = client(CLIENT)) {
                assertEquals(200, TlsSip.status(options(c, "tls-beside-stalled")), "not queued behind the silent client");
            }
            stalled.setSoTimeout(15_000);
            // The gateway gives up on the silent client's handshake (5 s) and closes the
            // connection (an alert may come first).
            int bytes = 0;
            while (stalled.getInputStream().read() >= 0 && bytes < 1024) {
                bytes++;
            }
            assertTrue(bytes < 1024, "the stalled connection was closed");
        }
    }

    @Test
    void shouldFailACallToATrunkThatNeverHandshakesWithinTheTimeLimit() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(BAD_CA_PORT, 4,
                java.net.InetAddress.getLoopbackAddress())) {
            PriCall call = gw.gateway.exchange(1).originate("5550100", "201", ChannelId.ANY);
            assertNotNull(call);
            silent.setSoTimeout(5000);
            try (java.net.Socket s = silent.accept()) {
                // While that handshake hangs, call control serves other calls: a TLS call to the
                // exchange is answered before the stalled one is given up.
                try (TlsSip.Connection caller = client(CLIENT)) {
                    String toTag = invite1004(caller, "tls-beside-stalled-trunk");
                    assertFalse(call.isReleased(), "answered while the stalled trunk's handshake was pending");
                    bye(caller, "tls-beside-stalled-trunk", toTag);
                }
                assertEquals(41, awaitRelease(call).cause(), "a handshake that never completes is a transport failure");
            }
        }
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldCallATlsTrunkPresentingOurCertificateWithTlsViaAndContact() throws Exception {
        try (TlsSip.Server trunk = new TlsSip.Server(serverContext(TRUNK), gw.trunkPort)) {
            trunk.socket.setNeedClientAuth(true); // the gateway must show its certificate
            PriCall call = gw.gateway.exchange(1).originate("5550100", "200", ChannelId.ANY);
            assertNotNull(call);
            try (TlsSip.Connection c = trunk.accept()) {
                assertNotNull(c, "the gateway connected and completed the handshake");
                String invite = c.read(10_000);
                assertNotNull(invite);
                assertTrue(invite.startsWith("INVITE sip:200@127.0.0.1:" + gw.trunkPort + ";transport=tls SIP/2.0"),
                        invite);
                assertTrue(TlsSip.header(invite, "Via", "v", "").startsWith("SIP/2.0/TLS 127.0.0.1:" + TLS_PORT), invite);
                String contact = TlsSip.header(invite, "Contact", "m", "");
                assertTrue(contact.contains("127.0.0.1:" + TLS_PORT) && contact.contains("transport=tls"), contact);
                c.send(TlsSip.response(invite, 486, "Busy Here", "trunk1", ""));
                assertEquals(17, awaitRelease(call).cause(), "486 -> cause 17 back to the exchange");
                String ack = c.read(5000);
                assertNotNull(ack);
                assertTrue(ack.startsWith("ACK "), ack);
            }
        }
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldAnswerAndHangUpACallToATlsTrunkWithTheByeOverTheSameConnection() throws Exception {
        try (TlsSip.Server trunk = new TlsSip.Server(serverContext(TRUNK), gw.trunkPort)) {
            PriCall call = gw.gateway.exchange(1).originate("5550100", "200", ChannelId.ANY);
            assertNotNull(call);
            try (TlsSip.Connection c = trunk.accept()) {
                assertNotNull(c);
                String invite = c.read(10_000);
                assertNotNull(invite);
                String sdp = TlsSip.sdp(rtp.port());
                String ok = TlsSip.response(invite, 200, "OK", "trunk2", "Contact: <sip:200@127.0.0.1:" + gw.trunkPort
                        + ";transport=tls>\nContent-Type: application/sdp\n").replace("Content-Length: 0\n\n",
                        "Content-Length: " + sdp.replace("\n", "\r\n").length() + "\n\n" + sdp);
                c.send(ok);
                String ack = c.read(5000);
                assertNotNull(ack);
                assertTrue(ack.startsWith("ACK sip:200@127.0.0.1:" + gw.trunkPort + ";transport=tls "), ack);
                assertTrue(awaitAnswered(call), "the exchange saw CONNECT");
                call.hangup(16);
                String bye = c.read(5000);
                assertNotNull(bye, "the gateway's BYE came over the TLS connection");
                assertTrue(bye.startsWith("BYE sip:200@127.0.0.1:" + gw.trunkPort + ";transport=tls "), bye);
                assertTrue(TlsSip.header(bye, "Via", "v", "").startsWith("SIP/2.0/TLS 127.0.0.1:" + TLS_PORT), bye);
                c.send(TlsSip.response(bye, 200, "OK", null, ""));
            }
        }
        assertTrue(gw.awaitIdle(5_000));
    }

    private boolean awaitAnswered(PriCall call) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - deadline < 0) {
            PriEvent e = exchangeEvents.poll(50, TimeUnit.MILLISECONDS);
            if (e instanceof PriEvent.Answered a && a.call() == call) {
                return true;
            }
        }
        return false;
    }

    @Test
    void shouldRefuseTrunkCertificatesFromAnotherCaOrForAnotherNameWithoutDisturbingACall() throws Exception {
        try (TlsSip.Connection caller = client(CLIENT)) {
            String toTag = invite1004(caller, "tls-call-kept");
            int[][] refused = {{BAD_CA_PORT, 201}, {BAD_NAME_PORT, 202}};
            TestPki.Pair[] certs = {TRUNK_OTHER_CA, TRUNK_OTHER_NAME};
            for (int i = 0; i < refused.length; i++) {
                try (TlsSip.Server trunk = new TlsSip.Server(serverContext(certs[i]), refused[i][0])) {
                    PriCall call = gw.gateway.exchange(1).originate("5550100", Integer.toString(refused[i][1]),
                            ChannelId.ANY);
                    assertNotNull(call);
                    assertNull(trunk.accept(), "the gateway aborted the handshake with " + certs[i].certificate());
                    PriEvent.CallReleased released = awaitRelease(call);
                    assertEquals(41, released.cause(), "transport failure = 503 -> cause 41 (RFC 3261 8.1.3.1, RFC 3398)");
                }
                String called = Integer.toString(refused[i][1]);
                String[] cdr = gw.awaitCdr(r -> r[E2eGateway.CALLED_IN].equals(called)
                        && r[E2eGateway.SIP_STATUS].equals("503"), 5_000);
                assertNotNull(cdr, "a CDR with SIP status 503 for " + called);
            }
            // Longer than the handshake watchdog (5 s): an established connection is not its business.
            Thread.sleep(6_000);
            bye(caller, "tls-call-kept", toTag); // the TLS call in progress was not disturbed
        }
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldSendSipsToAnUnverifiedTrunkThatAsksForIt() throws Exception {
        try (TlsSip.Server trunk = new TlsSip.Server(serverContext(TRUNK_OTHER_CA), UNVERIFIED_PORT)) {
            PriCall call = gw.gateway.exchange(1).originate("5550100", "203", ChannelId.ANY);
            try (TlsSip.Connection c = trunk.accept()) {
                assertNotNull(c, "tls_verify = no accepts a certificate of any CA");
                String invite = c.read(10_000);
                assertNotNull(invite);
                assertTrue(invite.startsWith("INVITE sips:203@127.0.0.1:" + UNVERIFIED_PORT + " SIP/2.0"), invite);
                assertTrue(TlsSip.header(invite, "Contact", "m", "").startsWith("<sips:"), invite);
                assertTrue(TlsSip.header(invite, "To", "t", "").startsWith("<sips:203@"), invite);
                c.send(TlsSip.response(invite, 486, "Busy Here", "trunk3", ""));
                assertEquals(17, awaitRelease(call).cause());
            }
        }
        assertTrue(gw.awaitIdle(5_000));
    }

    private static SSLContext serverContext(TestPki.Pair identity) throws Exception {
        return TlsSip.context(identity, CA.certificate());
    }

    private PriEvent.CallReleased awaitRelease(PriCall call) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() - deadline < 0) {
            PriEvent e = exchangeEvents.poll(50, TimeUnit.MILLISECONDS);
            if (e instanceof PriEvent.CallReleased r && r.call() == call) {
                return r;
            }
        }
        fail("the exchange's call was not released");
        return null;
    }

}
