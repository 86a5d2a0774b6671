package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.sip.SipTrunk;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.testing.tls.TestPki;

/**
 * The stream listeners' bounds ({@code [sip] tcp_*}, docs/SECURITY.md "TCP abuse") against the
 * real gateway in this JVM, set low here: 8 connections per source, 40 per listener, 6 s to the
 * first whole message, 3 s per message. Over TLS (certificates made at test time): a connection
 * that never starts its handshake, one idle after its handshake, slowloris after a first whole
 * message (so only the per-message bound can close it), 100 connections from one address. Over
 * TCP: a trunk's trusted address beyond the per-source limit, and the listener's total refusing
 * further connections (trusted ones too) while UDP and the connections already open keep working.
 * And an address trusted by a trunk reload is exempt from the next connection on.
 */
class TlsAbuseEndToEndTest extends AbstractEndToEndTest {
    private static final int PER_SOURCE = 8;
    private static final int TOTAL = 40;
    private static final Path DIR;
    private static final TestPki.Pair CA;
    private static final TestPki.Pair GATEWAY;
    private static final int TLS_PORT = SippRunner.freePort();

    static {
        try {
            DIR = Files.createTempDirectory("tandem-tls-abuse");
            TestPki pki = new TestPki(DIR);
            CA = pki.ca("ca");
            GATEWAY = pki.leaf("gateway", "IP:127.0.0.1", CA);
            // at exit, not @AfterAll: a rerun of a failed test starts this class's gateway again
            Runtime.getRuntime().addShutdownHook(new Thread(() -> Scenarios.deleteTree(DIR)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TlsAbuseEndToEndTest() {
        super(Gateway.Options.defaults(),
                "sip.tls_listen=127.0.0.1:" + TLS_PORT, "sip.tls_certificate=" + GATEWAY.certificate(),
                "sip.tls_key=" + GATEWAY.key(), "sip.tls_ca=" + CA.certificate(), "sip.tls_verify_clients=none",
                "sip.tcp_max_connections_per_source=" + PER_SOURCE, "sip.tcp_max_connections=" + TOTAL,
                "sip.tcp_idle_timeout_s=6", "sip.tcp_message_timeout_s=3",
                "trunk.local.trusted=127.0.0.1/32, 127.0.0.30/32");
    }

    @Test
    void shouldCloseStalledIdleSlowAndFloodingTlsConnections() throws Exception {
        SSLContext ctx = TlsSip.context(null, CA.certificate());
        long start = System.nanoTime();
        Socket noHandshake = new Socket();
        noHandshake.bind(new InetSocketAddress("127.0.0.7", 0));
        noHandshake.connect(new InetSocketAddress(SippRunner.LOOPBACK, TLS_PORT), 3_000);
        List<TlsSip.Connection> idle = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            idle.add(TlsSip.Connection.connect(ctx, "127.0.0.6", TLS_PORT));
        }
        List<TlsSip.Connection> slow = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            TlsSip.Connection c = TlsSip.Connection.connect(ctx, "127.0.0.8", TLS_PORT);
            assertEquals(200, TlsSip.status(options(c, "tls-slow-first-" + i)), "a whole first message answered");
            slow.add(c);
        }
        Thread loris = slowloris(slow);

        List<TlsSip.Connection> flood = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < 100; i++) {
            try {
                flood.add(TlsSip.Connection.connect(ctx, "127.0.0.5", TLS_PORT));
            } catch (IOException reset) {
                refused++;
            }
        }
        assertTrue(flood.size() <= PER_SOURCE && !flood.isEmpty(), "of 100 TLS connections from one address at"
                + " most " + PER_SOURCE + " get through their handshake: " + flood.size());
        assertEquals(100 - flood.size(), refused);

        assertTrue(SipProbe.udpOptions(gw.sipPort).startsWith("SIP/2.0 200"), "UDP OPTIONS during the attacks");
        assertTrue(SipProbe.tcpOptions(gw.sipPort).startsWith("SIP/2.0 200"), "TCP OPTIONS during the attacks");
        try (TlsSip.Connection c = TlsSip.Connection.connect(ctx, TLS_PORT)) {
            assertEquals(200, TlsSip.status(options(c, "tls-during")), "TLS OPTIONS during the attacks");
        }

        assertTrue(closedByGateway(noHandshake, 12_000), "a connection that never starts its handshake is closed");
        long noHandshakeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        for (TlsSip.Connection c : slow) {
            assertTrue(closedByGateway(c.socket, 8_000), "slowloris over TLS closed by the per-message bound");
        }
        for (TlsSip.Connection c : idle) {
            assertTrue(closedByGateway(c.socket, 12_000), "a TLS connection idle after its handshake is closed");
        }
        long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        loris.interrupt();
        loris.join(5_000);
        System.out.println("TlsAbuseEndToEndTest: no-handshake connection closed after <= " + noHandshakeMs
                + " ms, idle ones after <= " + idleMs + " ms");
        for (TlsSip.Connection c : flood) {
            c.close();
        }
        // the flood's counts come back: the address may connect again
        assertTrue(await(() -> {
            try (TlsSip.Connection c = TlsSip.Connection.connect(ctx, "127.0.0.5", TLS_PORT)) {
                return TlsSip.status(options(c, "tls-after-" + System.nanoTime())) == 200;
            } catch (IOException e) {
                return false;
            }
        }, 10_000), "the flooding address connects again once its connections are closed");
        for (TlsSip.Connection c : idle) {
            c.close();
        }
        for (TlsSip.Connection c : slow) {
            c.close();
        }
        noHandshake.close();
    }

    @Test
    void shouldExemptTrustedSourcesButCapTheTotal() throws Exception {
        List<Socket> all = new ArrayList<>();
        try {
            Socket kept = new Socket();
            all.add(kept);
            assertEquals(Boolean.TRUE, options(kept, "127.0.0.20"), "an ordinary connection, kept open");
            List<Socket> trusted = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Socket s = new Socket();
                all.add(s);
                trusted.add(s);
                assertEquals(Boolean.TRUE, options(s, "127.0.0.30"),
                        "trusted connection " + (i + 1) + " answered, beyond the per-source " + PER_SOURCE);
            }
            // fill the listener from untrusted addresses, each within its own limit, until refused
            int filled = 0;
            Boolean last = Boolean.TRUE;
            for (int i = 0; i < TOTAL && last; i++) {
                Socket s = new Socket();
                all.add(s);
                last = options(s, "127.0.0." + (21 + i % 5));
                assertNotNull(last, "no answer nor refusal");
                if (last) {
                    filled++;
                }
            }
            assertTrue(!last && filled <= TOTAL - 21, "the listener refuses beyond " + TOTAL + " (" + filled
                    + " filled beside 21)");
            Socket fresh = new Socket();
            all.add(fresh);
            assertEquals(Boolean.FALSE, options(fresh, "127.0.0.29"), "a new address is refused at the total");
            Socket trustedMore = new Socket();
            all.add(trustedMore);
            assertEquals(Boolean.FALSE, options(trustedMore, "127.0.0.30"), "trusted ones count in the total");

            assertTrue(SipProbe.udpOptions(gw.sipPort).startsWith("SIP/2.0 200"), "UDP OPTIONS at the total");
            assertEquals(Boolean.TRUE, again(kept), "an already-open TCP connection keeps working");
            assertEquals(Boolean.TRUE, again(trusted.get(0)), "an already-open trusted connection keeps working");

            for (Socket s : trusted) {
                s.close();
            }
            assertTrue(await(() -> {
                try (Socket s = new Socket()) {
                    return Boolean.TRUE.equals(options(s, "127.0.0.29"));
                } catch (IOException e) {
                    return false;
                }
            }, 10_000), "room again once connections close");
        } finally {
            for (Socket s : all) {
                s.close();
            }
        }
    }

    /** Trust comes from the live trunks: what a reload does ({@code updateTrunks}) applies to the next connection. */
    @Test
    void shouldExemptAnAddressTrustedByAReload() throws Exception {
        SSLContext ctx = TlsSip.context(null, CA.certificate());
        var sip = gw.gateway.sip();
        List<SipTrunk> before = sip.trunks().all();
        List<TlsSip.Connection> held = new ArrayList<>();
        try {
            int refused = 0;
            for (int i = 0; i <= PER_SOURCE; i++) {
                try {
                    TlsSip.Connection c = TlsSip.Connection.connect(ctx, "127.0.0.31", TLS_PORT);
                    held.add(c);
                    assertEquals(200, TlsSip.status(options(c, "tls-reload-" + i)));
                } catch (IOException reset) {
                    refused++;
                }
            }
            assertEquals(PER_SOURCE, held.size(), "untrusted: the per-source limit holds");
            assertEquals(1, refused);
            sip.updateTrunks(before.stream().map(t -> !t.name().equals("local") ? t
                    : new SipTrunk(t.name(), t.host(), t.port(), t.transport(), t.username(), t.password(),
                            t.trustedSource().or(a -> a.getHostAddress().equals("127.0.0.31")), t.redirects(),
                            t.maxRedirects(), t.prack(), t.tlsVerify(), t.tlsServerName(), t.sips())).toList());
            for (int i = 0; i < 4; i++) {
                TlsSip.Connection c = TlsSip.Connection.connect(ctx, "127.0.0.31", TLS_PORT);
                held.add(c);
                assertEquals(200, TlsSip.status(options(c, "tls-reloaded-" + i)), "trusted after the reload");
            }
        } finally {
            sip.updateTrunks(before);
            for (TlsSip.Connection c : held) {
                c.close();
            }
        }
    }

    private static String options(TlsSip.Connection c, String callId) throws IOException {
        c.send(TlsSip.request("OPTIONS", "sip:127.0.0.1:" + TLS_PORT + ";transport=tls", callId, 1, "o1", null,
                c.localPort(), "", ""));
        return c.finalResponse("OPTIONS", 5000);
    }

    /**
     * Connects {@code s} from {@code from} and sends an OPTIONS: TRUE when answered 200, FALSE when
     * the gateway reset or closed the connection, null when nothing came in 5 s.
     */
    private Boolean options(Socket s, String from) throws IOException {
        s.bind(new InetSocketAddress(from, 0));
        try {
            s.connect(new InetSocketAddress(SippRunner.LOOPBACK, gw.sipPort), 3_000);
        } catch (java.net.SocketException reset) {
            return Boolean.FALSE; // reset at accept before the connect returned
        }
        return again(s);
    }

    /** One more OPTIONS on the open connection {@code s} (see {@link #options(Socket, String)}). */
    private static Boolean again(Socket s) throws IOException {
        s.setSoTimeout(5_000);
        try {
            OutputStream out = s.getOutputStream();
            out.write(SipProbe.request("TCP", s.getLocalAddress().getHostAddress(), s.getLocalPort())
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    return Boolean.FALSE;
                }
                head.append((char) c);
            }
            if (!head.toString().toLowerCase(java.util.Locale.ROOT).contains("content-length: 0")) {
                throw new IOException("an answer with a body: " + head);
            }
            return head.toString().startsWith("SIP/2.0 200");
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException reset) {
            return Boolean.FALSE;
        }
    }

    /** A second OPTIONS on each connection, its headers a byte every 300 ms, never finished. */
    private static Thread slowloris(List<TlsSip.Connection> conns) {
        return TcpAbuseEndToEndTest.slowloris(conns.stream().map(c -> c.socket).toList(),
                "TLS 127.0.0.8:5061", "tls-slowloris");
    }

    /** Whether the gateway closed it (EOF, reset or a TLS alert) within the time; what it sent before is skipped. */
    private static boolean closedByGateway(Socket s, int withinMs) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(withinMs);
        try {
            InputStream in = s.getInputStream();
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                s.setSoTimeout((int) left);
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException closed) {
            return true;
        }
    }

    private static boolean await(java.util.function.BooleanSupplier condition, long timeoutMs)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(200);
        }
        return true;
    }
}
