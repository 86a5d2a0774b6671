package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.sip.testing.SippRunner;

/**
 * TCP abuse against the real gateway in this JVM (docs/SECURITY.md "TCP abuse"): idle connections,
 * half-open ones (half a request, then FIN), slowloris (a request's headers a byte at a time,
 * never finished), 100 connections from one address, and INVITEs whose connection is reset (RST)
 * right after sending, leaving transactions pending. The gateway resets the one-source flood past
 * its limit, closes the idle, half-open and slowloris connections, and meanwhile and afterwards
 * answers OPTIONS over UDP and TCP and completes calls over UDP and TCP; its open files and
 * threads come back near where they were. Each attack comes from its own loopback address.
 */
class TcpAbuseEndToEndTest extends AbstractEndToEndTest {
    private static final int PER_SOURCE = 32; // [sip] tcp_max_connections_per_source, default

    TcpAbuseEndToEndTest() {
        // sipp (127.0.0.1) and the reset INVITEs (127.0.0.9) are the trunk; the attackers are not
        // (trusted addresses are exempt from the per-source limit)
        super(Gateway.Options.defaults(), "trunk.local.trusted=127.0.0.1/32, 127.0.0.9/32");
    }

    @Test
    void shouldSurviveIdleHalfOpenSlowlorisOneSourceFloodAndResets() throws Exception {
        // warm up what a first TCP connection and a first call start, then take the baseline
        assertTrue(SipProbe.tcpOptions(gw.sipPort).startsWith("SIP/2.0 200"));
        assertTrue(gw.uac(Scenarios.file("call.xml"), "1004", rtp.port()).option("-t", "t1", "-d", "300").run()
                .succeeded());
        assertTrue(gw.awaitIdle(10_000));
        long fds0 = openFiles();
        int threads0 = threads();

        List<Socket> idle = connect("127.0.0.6", 20);
        List<Socket> halfOpen = connect("127.0.0.7", 10);
        for (Socket s : halfOpen) {
            s.getOutputStream().write("OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.7:".getBytes(
                    StandardCharsets.US_ASCII));
            s.shutdownOutput();
        }
        List<Socket> slow = connect("127.0.0.8", 10);
        Thread loris = slowloris(slow);
        List<Socket> flood = connect("127.0.0.5", 100);
        resetInvites();

        assertTrue(SipProbe.udpOptions(gw.sipPort).startsWith("SIP/2.0 200"), "UDP OPTIONS during the attacks");
        assertTrue(SipProbe.tcpOptions(gw.sipPort).startsWith("SIP/2.0 200"), "TCP OPTIONS during the attacks");

        int floodOpen = countOpen(flood, 2_000);
        assertTrue(floodOpen <= PER_SOURCE && floodOpen > 0,
                "of 100 connections from one address at most " + PER_SOURCE + " are kept: " + floodOpen);
        assertTrue(allClosedByGateway(idle, 16_000), "idle connections closed by the gateway");
        assertTrue(allClosedByGateway(halfOpen, 5_000), "half-open connections closed by the gateway");
        assertTrue(allClosedByGateway(slow, 5_000), "slowloris connections closed by the gateway");
        loris.interrupt();
        loris.join(5_000);
        closeAll(idle, halfOpen, slow, flood);

        assertTrue(SipProbe.udpOptions(gw.sipPort).startsWith("SIP/2.0 200"), "UDP OPTIONS after");
        assertTrue(SipProbe.tcpOptions(gw.sipPort).startsWith("SIP/2.0 200"), "TCP OPTIONS after");
        SippRunner.Result udp = gw.uac(Scenarios.file("call.xml"), "1004", rtp.port()).option("-d", "300").run();
        assertTrue(udp.succeeded(), "a call over UDP after the attacks:\n" + udp);
        SippRunner.Result tcp = gw.uac(Scenarios.file("call.xml"), "1004", rtp.port())
                .option("-t", "t1", "-d", "300").run();
        assertTrue(tcp.succeeded(), "a call over TCP after the attacks:\n" + tcp);

        // the reset INVITEs' calls end (their 2xx is never ACKed: 64*T1), and resources come back
        assertTrue(gw.awaitIdle(45_000), "every call of the reset connections released");
        assertTrue(await(() -> openFiles() <= fds0 + 10 && threads() <= threads0 + 10, 20_000),
                "open files " + openFiles() + " (baseline " + fds0 + "), threads " + threads() + " (baseline "
                        + threads0 + ")");
    }

    /** Calls on TCP whose connection is reset (SO_LINGER 0) right after the INVITE: 1004 answers, 1486 is busy. */
    private void resetInvites() throws IOException {
        for (int i = 0; i < 6; i++) {
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress("127.0.0.9", 0));
                s.connect(new InetSocketAddress(SippRunner.LOOPBACK, gw.sipPort), 3_000);
                String number = i % 2 == 0 ? "1004" : "1486";
                String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.9\r\ns=-\r\nc=IN IP4 127.0.0.9\r\nt=0 0\r\n"
                        + "m=audio " + rtp.port() + " RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n";
                String invite = "INVITE sip:" + number + "@127.0.0.1:" + gw.sipPort + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/TCP 127.0.0.9:" + s.getLocalPort() + ";branch=z9hG4bKrst" + i + "\r\n"
                        + "Max-Forwards: 70\r\n"
                        + "From: <sip:5551234@127.0.0.9>;tag=rst" + i + "\r\n"
                        + "To: <sip:" + number + "@127.0.0.1>\r\n"
                        + "Call-ID: rst-" + i + "-" + s.getLocalPort() + "@127.0.0.9\r\n"
                        + "CSeq: 1 INVITE\r\n"
                        + "Contact: <sip:5551234@127.0.0.9:" + s.getLocalPort() + ";transport=tcp>\r\n"
                        + "Content-Type: application/sdp\r\n"
                        + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
                s.getOutputStream().write(invite.getBytes(StandardCharsets.US_ASCII));
                s.setSoLinger(true, 0);
            }
        }
    }

    /** One thread feeding every socket one byte of a never-ending header block every 300 ms. */
    private static Thread slowloris(List<Socket> sockets) {
        return slowloris(sockets, "TCP 127.0.0.8:5060", "slowloris");
    }

    /**
     * The same over any sockets (TlsAbuseEndToEndTest: TLS ones); {@code via} is the Via's
     * transport and sent-by, e.g. "TLS 127.0.0.8:5061".
     */
    static Thread slowloris(List<? extends Socket> sockets, String via, String name) {
        byte[] head = ("OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/" + via + ";branch=z9hG4bKslow\r\n"
                + "X-Padding: " + "a".repeat(4_000)).getBytes(StandardCharsets.US_ASCII);
        Thread t = new Thread(() -> {
            for (int i = 0; i < head.length && !Thread.currentThread().isInterrupted(); i++) {
                for (Socket s : sockets) {
                    try {
                        OutputStream out = s.getOutputStream();
                        out.write(head[i]);
                        out.flush();
                    } catch (IOException closed) {
                        // the gateway closed it: what is expected
                    }
                }
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private List<Socket> connect(String from, int n) throws IOException {
        List<Socket> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress(SippRunner.LOOPBACK, gw.sipPort), 3_000);
            out.add(s);
        }
        return out;
    }

    /** Whether the gateway closed every one (EOF or reset) within the time. */
    private static boolean allClosedByGateway(List<Socket> sockets, long withinMs) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(withinMs);
        for (Socket s : sockets) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0 || isOpen(s, (int) left)) {
                return false;
            }
        }
        return true;
    }

    /** How many are still open after {@code waitMs} (each given the rest of the time). */
    private static int countOpen(List<Socket> sockets, int waitMs) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        int open = 0;
        for (Socket s : sockets) {
            int left = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            if (isOpen(s, left)) {
                open++;
            }
        }
        return open;
    }

    /** True if nothing (no EOF, no reset) came within the time: the gateway keeps it open. */
    private static boolean isOpen(Socket s, int waitMs) throws IOException {
        s.setSoTimeout(Math.max(1, waitMs));
        try {
            while (true) {
                if (s.getInputStream().read() < 0) {
                    return false;
                }
            }
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException reset) {
            return false;
        }
    }

    @SafeVarargs
    private static void closeAll(List<Socket>... lists) {
        for (List<Socket> l : lists) {
            for (Socket s : l) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
    }

    private static long openFiles() {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    private static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static boolean await(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
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
