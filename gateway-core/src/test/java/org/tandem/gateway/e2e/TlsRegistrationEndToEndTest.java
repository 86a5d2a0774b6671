package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.ops.TrunkRegistrationView;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.testing.tls.TestPki;

/**
 * Outbound registration over TLS: the gateway REGISTERs with a TLS trunk (a JDK TLS server that
 * answers 200), on the connection it opened, with the TLS port in Via and Contact.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsRegistrationEndToEndTest {
    private Path dir;
    private TlsSip.Server registrar;
    private Thread registrarThread;
    private final LinkedBlockingQueue<String> registers = new LinkedBlockingQueue<>();
    private final int tlsPort = SippRunner.freePort();
    private final int trunkPort = SippRunner.freePort();
    private E2eGateway gw;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("tandem-tls-reg");
        TestPki pki = new TestPki(dir);
        TestPki.Pair ca = pki.ca("ca");
        TestPki.Pair gateway = pki.leaf("gateway", "IP:127.0.0.1", ca);
        TestPki.Pair trunk = pki.leaf("trunk", "IP:127.0.0.1", ca);
        registrar = new TlsSip.Server(TlsSip.context(trunk, ca.certificate()), trunkPort);
        registrar.socket.setSoTimeout(30_000); // the gateway registers as it starts
        registrarThread = new Thread(this::answerRegisters, "tls-registrar");
        registrarThread.setDaemon(true);
        registrarThread.start();
        gw = E2eGateway.start(Gateway.Options.defaults(), "trunk.local.port=" + trunkPort,
                "sip.tls_listen=127.0.0.1:" + tlsPort, "sip.tls_certificate=" + gateway.certificate(),
                "sip.tls_key=" + gateway.key(), "sip.tls_ca=" + ca.certificate(), "trunk.local.transport=tls",
                "trunk.local.register=yes", "trunk.local.username=gw", "trunk.local.password=s3cret");
    }

    /** One connection, every REGISTER on it answered 200 with its Contact and 60 s (bounded: 10 messages, 30 s each). */
    private void answerRegisters() {
        try (TlsSip.Connection c = registrar.accept()) {
            if (c == null) {
                return;
            }
            for (int i = 0; i < 10; i++) {
                String m = c.read(30_000);
                if (m == null) {
                    return;
                }
                if (m.startsWith("REGISTER ")) {
                    registers.add(m);
                    c.send(TlsSip.response(m, 200, "OK", "reg", "Contact: " + TlsSip.header(m, "Contact", "m", "")
                            + ";expires=60\n"));
                }
            }
        } catch (java.io.IOException e) {
            // the gateway closed the connection at shutdown
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
        if (registrar != null) {
            registrar.close();
        }
        if (registrarThread != null) {
            registrarThread.join(10_000);
        }
        Scenarios.deleteTree(dir);
    }

    @Test
    void shouldRegisterWithATlsTrunkNamingTheTlsPortInViaAndContact() throws Exception {
        String register = registers.poll(15, TimeUnit.SECONDS);
        assertNotNull(register, "a REGISTER arrived over TLS");
        assertTrue(register.startsWith("REGISTER sip:127.0.0.1:" + trunkPort + ";transport=tls SIP/2.0"), register);
        assertTrue(TlsSip.header(register, "Via", "v", "").startsWith("SIP/2.0/TLS 127.0.0.1:" + tlsPort), register);
        String contact = TlsSip.header(register, "Contact", "m", "");
        assertTrue(contact.contains("gw@127.0.0.1:" + tlsPort) && contact.contains("transport=tls"), contact);
        TrunkRegistrationView local = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (local == null && System.nanoTime() - deadline < 0) {
            local = gw.gateway.model().trunkRegistrations().stream()
                    .filter(v -> v.trunk().equals("local") && v.state() == TrunkRegistrationView.State.REGISTERED)
                    .findFirst().orElse(null);
            Thread.sleep(50);
        }
        assertNotNull(local, () -> "not registered: " + gw.gateway.model().trunkRegistrations());
        assertEquals(200, local.lastStatus());
    }
}
