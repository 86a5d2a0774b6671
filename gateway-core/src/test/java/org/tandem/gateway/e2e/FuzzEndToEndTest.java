package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.app.Gateway;

/**
 * A generator-based fuzz of a running gateway ({@link SipFuzzer}): a few thousand INVITEs, each
 * with one part mutated by one PROTOS-style anomaly, over UDP and TCP from the trusted loopback,
 * to the simulated exchange's busy line (1486), so that a message the gateway accepts goes all
 * the way (route, RTP ports, B-channel, SETUP, cause 17, 486) and ends at once. Afterwards the
 * gateway answers an OPTIONS within 1 s, and has no call, leg, busy B-channel, RTP port or RI
 * transaction left once the RI's own timers (Timer H/J, 32 s) have run; nothing of Tandem logged a
 * WARN or ERROR with an exception. The seed is printed and in every failure message; run one again
 * with {@code -Dfuzz.seed=N} (and {@code -Dfuzz.messages=N} for more or fewer).
 */
class FuzzEndToEndTest extends AbstractEndToEndTest {
    private static final int MESSAGES = Integer.getInteger("fuzz.messages", 2_400);
    /** One in this many goes over TCP. */
    private static final int TCP_EVERY = 5;

    private int tcpPort;

    FuzzEndToEndTest() {
        super(Gateway.Options.defaults(), "user.alice.password=alice-pw", "user.alice.numbers=2001");
    }

    @Test
    void shouldSurviveThousandsOfMalformedInvitesWithNothingLeakedOrThrown() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        String tag = "fuzz seed " + seed + " (-Dfuzz.seed=" + seed + ")";
        System.out.println("FuzzEndToEndTest: " + tag + ", " + MESSAGES + " messages");
        Exceptions thrown = Exceptions.attach();
        // At DEBUG every message is logged several times over: the RI's and our wire logs go to
        // INFO for the run (WARN and ERROR are what the check reads).
        Map<String, Level> saved = quieten("gov.nist", "org.tandem.gateway.sip.wire", "org.tandem");
        long t0 = System.nanoTime();
        Map<SipFuzzer.Anomaly, Integer> perClass = new EnumMap<>(SipFuzzer.Anomaly.class);
        AtomicLong answers = new AtomicLong();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            Thread reader = reader(udp, answers);
            SipFuzzer udpFuzz = new SipFuzzer(seed, "127.0.0.1", udp.getLocalPort(), "1486");
            // the TCP connection always from this port, the one its messages' Via names
            tcpPort = org.tandem.gateway.sip.testing.SippRunner.freePort();
            SipFuzzer tcpFuzz = new SipFuzzer(seed ^ 0x5DEECE66DL, "127.0.0.1", tcpPort, "1486");
            Socket tcp = null;
            try {
                for (int i = 0; i < MESSAGES; i++) {
                    boolean overTcp = i % TCP_EVERY == TCP_EVERY - 1;
                    SipFuzzer.Case c = (overTcp ? tcpFuzz : udpFuzz).next(overTcp ? "TCP" : "UDP");
                    perClass.merge(c.anomaly(), 1, Integer::sum);
                    if (!overTcp && c.bytes().length > 65_000) {
                        continue; // no datagram that large: the TCP half has such overflows
                    }
                    if (overTcp) {
                        tcp = sendTcp(tcp, c.bytes());
                    } else {
                        udp.send(new DatagramPacket(c.bytes(), c.bytes().length,
                                InetAddress.getByName("127.0.0.1"), gw.sipPort));
                    }
                    if (i % 10 == 9) {
                        Thread.sleep(60); // about 150 a second: hostile content, not a flood (SECURITY.md)
                    }
                }
            } finally {
                if (tcp != null) {
                    tcp.close();
                }
            }
            double sendS = (System.nanoTime() - t0) / 1e9;
            System.out.printf("FuzzEndToEndTest: %d messages in %.1f s, %d answers so far, per class %s%n",
                    MESSAGES, sendS, answers.get(), perClass);

            Thread.sleep(1_000); // the last messages are still being judged
            long o0 = System.nanoTime();
            int status = options(gw.sipPort);
            System.out.printf("FuzzEndToEndTest: OPTIONS answered %d in %d ms%n", status,
                    (System.nanoTime() - o0) / 1_000_000);
            assertEquals(200, status, tag + ": OPTIONS within 1 s after the fuzz");
            assertTrue(gw.awaitIdle(45_000), tag + ": calls, busy B-channels or RTP ports left: "
                    + gw.gateway.callControl().liveCalls().get(2, TimeUnit.SECONDS) + " calls, "
                    + gw.gateway.callControl().busyChannels().get(2, TimeUnit.SECONDS) + " channels, "
                    + gw.gateway.media().portsInUse() + " ports");
            assertEquals(0, gw.gateway.sip().activeLegs(), tag + ": SIP legs left");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            while ((gw.gateway.sip().serverTransactions() > 0 || gw.gateway.sip().clientTransactions() > 0)
                    && System.nanoTime() - deadline < 0) {
                Thread.sleep(250);
            }
            assertEquals(0, gw.gateway.sip().serverTransactions(), tag + ": server transactions left");
            assertEquals(0, gw.gateway.sip().clientTransactions(), tag + ": client transactions left");
            reader.interrupt();
        } finally {
            restore(saved);
            thrown.detach();
        }
        System.out.printf("FuzzEndToEndTest: done in %.1f s with %d answers%n", (System.nanoTime() - t0) / 1e9,
                answers.get());
        assertEquals(List.of(), thrown.events(), tag + ": Tandem logged exceptions");
    }

    /** Writes {@code message} on the connection, (re)connecting when the gateway dropped it. */
    private Socket sendTcp(Socket s, byte[] message) throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            if (s == null || s.isClosed()) {
                s = new Socket();
                s.setReuseAddress(true);
                try {
                    s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), tcpPort));
                } catch (IOException inUse) {
                    s.close();
                    s = new Socket(); // still in TIME_WAIT: any port (the valve answers on the connection)
                }
                s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), gw.sipPort), 2_000);
                Socket drained = s;
                Thread t = new Thread(() -> {
                    byte[] buf = new byte[8_192];
                    try {
                        while (drained.getInputStream().read(buf) >= 0) {
                            // answers are not checked one by one; reading keeps the window open
                        }
                    } catch (IOException closed) {
                        // closed
                    }
                }, "fuzz-tcp-reader");
                t.setDaemon(true);
                t.start();
            }
            try {
                OutputStream out = s.getOutputStream();
                out.write(message);
                out.flush();
                return s;
            } catch (IOException dropped) {
                s.close(); // a framing the gateway gave up on: a new connection for the next
            }
        }
        return s;
    }

    private static Thread reader(DatagramSocket udp, AtomicLong answers) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[65_536];
            while (!udp.isClosed()) {
                try {
                    udp.receive(new DatagramPacket(buf, buf.length));
                    answers.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "fuzz-udp-reader");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The status of an OPTIONS answered within 1 s, or 0. */
    private static int options(int port) throws Exception {
        InetAddress[] a = SipWire.addresses(1);
        try (SipWire w = SipWire.on(a[0])) {
            w.sendUdp(("OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP " + a[0].getHostAddress()
                    + ";branch=z9hG4bK-after-fuzz\r\nMax-Forwards: 70\r\nFrom: <sip:probe@example.com>;tag=1\r\n"
                    + "To: <sip:127.0.0.1>\r\nCall-ID: after-fuzz\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII), port);
            return w.awaitFinal(1_000);
        }
    }

    private static Map<String, Level> quieten(String... names) {
        Map<String, Level> saved = new java.util.HashMap<>();
        for (String n : names) {
            Logger l = (Logger) LoggerFactory.getLogger(n);
            saved.put(n, l.getLevel());
            l.setLevel(Level.INFO);
        }
        return saved;
    }

    private static void restore(Map<String, Level> saved) {
        saved.forEach((n, level) -> ((Logger) LoggerFactory.getLogger(n)).setLevel(level));
    }

    /** WARN and ERROR events with an exception from Tandem's own loggers, while attached. */
    static final class Exceptions extends AppenderBase<ILoggingEvent> {
        private final List<String> events = new ArrayList<>();

        static Exceptions attach() {
            Exceptions a = new Exceptions();
            a.setName("fuzz-exceptions");
            a.start();
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(a);
            return a;
        }

        void detach() {
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(this);
            stop();
        }

        @Override
        protected synchronized void append(ILoggingEvent e) {
            if (e.getLevel().isGreaterOrEqual(Level.WARN) && e.getThrowableProxy() != null
                    && e.getLoggerName().startsWith("org.tandem")) {
                events.add(e.getLoggerName() + ": " + e.getFormattedMessage() + " / "
                        + e.getThrowableProxy().getClassName() + ": " + e.getThrowableProxy().getMessage());
            }
        }

        synchronized List<String> events() {
            return List.copyOf(events);
        }
    }
}
