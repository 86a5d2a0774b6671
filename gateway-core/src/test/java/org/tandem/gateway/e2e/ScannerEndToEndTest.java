package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.sip.testing.SippRunner;

/**
 * The scanners attackers actually run, from Debian's sipvicious package, against a gateway with a
 * phone (alice, number 2001) and loopback not trusted: svwar (extension enumeration by REGISTER,
 * INVITE and OPTIONS) finds nobody, because known and unknown users get the same answer; svcrack
 * (password guessing) does not find alice's password in a list that holds it, because the
 * fifth wrong guess locks the source out, while the same run against a gateway without the
 * lockout does find it (so the test can fail); and with the default {@code drop_user_agents}
 * the scanners get no answer at all.
 *
 * <p>This class's gateway has an empty {@code drop_user_agents}, so the scanners reach the logic
 * they probe. Everything is on 127.0.0.1, with ports chosen at run time ({@code -P}, {@code -b}).
 */
class ScannerEndToEndTest extends AbstractEndToEndTest {
    private static final String[] PHONES = {
        "trunk.local.trusted=127.0.0.2/32", "registrar.algorithms=md5",
        "user.alice.password=alice-pw", "user.alice.numbers=2001",
    };
    private static final List<String> NAMES = List.of("alice", "bob", "admin", "2001", "2002", "1000", "100");

    ScannerEndToEndTest() {
        super(Gateway.Options.defaults(), with(PHONES, "sip.drop_user_agents="));
    }

    @BeforeAll
    void needSipvicious() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/svwar")) && Files.isExecutable(Path.of("/usr/bin/svcrack")),
                "sipvicious is not installed (bin/setup-debian installs it)");
    }

    @Test
    void shouldGiveSvwarNoExtensionByRegisterInviteOrOptions() throws Exception {
        Path dict = words(NAMES);
        for (String method : List.of("REGISTER", "INVITE", "OPTIONS")) {
            String out = sipvicious(List.of("svwar", "--force", "-m", method, "-d", dict.toString()), gw.sipPort);
            assertTrue(out.contains("found nothing"), method + ": svwar found something:\n" + out);
            assertFalse(out.contains("| Extension"), method + ":\n" + out);
        }
        assertTrue(gw.awaitIdle(5_000), "no call was started by the scan");
        assertEquals(0, gw.gateway.registrar().snapshot().bindingCount(System.currentTimeMillis()));
    }

    @Test
    void shouldNotLetSvcrackFindAPasswordTheListHoldsOnceTheLockoutStrikes() throws Exception {
        Path list = passwordList();
        String out = sipvicious(List.of("svcrack", "-u", "alice", "-d", list.toString()), gw.sipPort);
        assertTrue(out.contains("found nothing"), out);
        assertFalse(out.contains("alice-pw"), out);

        // the same attack on a gateway without the lockout finds it: the list and svcrack work
        try (E2eGateway open = E2eGateway.start(Gateway.Options.defaults(),
                with(PHONES, "sip.drop_user_agents=", "registrar.lockout_failures=0"))) {
            String found = sipvicious(List.of("svcrack", "-u", "alice", "-d", list.toString()), open.sipPort);
            assertTrue(found.contains("alice-pw"), "without the lockout svcrack should find it:\n" + found);
        }
    }

    @Test
    void shouldNotAnswerScannerUserAgentsWithTheDefaultList() throws Exception {
        // control: with no list (this class's gateway) svmap does see it
        String seen = sipvicious(List.of("svmap", "-m", "OPTIONS"), gw.sipPort);
        assertTrue(seen.contains("127.0.0.1:" + gw.sipPort) && seen.contains("Tandem"), seen);
        try (E2eGateway defaults = E2eGateway.start(Gateway.Options.defaults(), PHONES)) {
            String out = sipvicious(List.of("svmap", "-m", "OPTIONS"), defaults.sipPort);
            assertTrue(out.contains("found nothing"), "svmap must not see the gateway:\n" + out);
            assertEquals("(no answer)", options(defaults.sipPort, "friendly-scanner"));
            assertTrue(options(defaults.sipPort, "Linphone/5.1.65").startsWith("SIP/2.0 200"),
                    "an ordinary User-Agent is answered");
            assertTrue(defaults.gateway.sip().gate().droppedScanners() >= 2);
        }
    }

    @Test
    void shouldLimitAFloodFromOneUntrustedSourceButNeverATrustedOne() throws Exception {
        // A gateway of its own with a low limit (5/s, burst 10), so that the floods stay well
        // within what a test gateway logging every message at DEBUG answers: 100 OPTIONS at about
        // 50/s. The untrusted source gets its burst plus 5/s of the time the flood took; the
        // trunk's trusted address (127.0.0.2 here) gets every answer.
        try (E2eGateway limited = E2eGateway.start(Gateway.Options.defaults(),
                with(PHONES, "sip.source_rate_limit=5"))) {
            long t0 = System.nanoTime();
            int flooded = flood(limited.sipPort, "127.0.0.3", 100);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(flooded >= 10 && flooded <= 10 + 5 * seconds + 2,
                    "answers to the untrusted flood: " + flooded + " in " + seconds + " s");
            assertEquals(100, flood(limited.sipPort, "127.0.0.2", 100), "a trusted trunk address is never limited");
            assertTrue(limited.gateway.sip().gate().droppedRate() >= 100 - flooded);
            Thread.sleep(2_100); // the bucket refills (a full one holds 10)
            assertTrue(options(limited.sipPort, "Linphone/5.1.65", "127.0.0.3").startsWith("SIP/2.0 200"),
                    "answered again once it slows down");
        }
    }

    /**
     * Sends n OPTIONS from {@code address}, 20 ms apart, reading the answers meanwhile (a socket
     * buffer holds only about a hundred); returns how many were answered 200.
     */
    private static int flood(int port, String address, int n) throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0))) {
            s.setSoTimeout(1_500);
            java.util.Set<String> answered = java.util.concurrent.ConcurrentHashMap.newKeySet();
            Thread reader = new Thread(() -> {
                byte[] buf = new byte[4_096];
                java.util.regex.Pattern callId = java.util.regex.Pattern.compile("Call-ID: (\\S+)");
                while (answered.size() < n) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        s.receive(p);
                    } catch (java.io.IOException quietOrClosed) {
                        return; // 1.5 s without an answer after the last one: done
                    }
                    String r = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
                    java.util.regex.Matcher m = callId.matcher(r);
                    if (r.startsWith("SIP/2.0 200") && m.find()) {
                        answered.add(m.group(1));
                    }
                }
            }, "flood-reader");
            reader.start();
            for (int i = 0; i < n; i++) {
                byte[] b = optionsRequest(s, "flood-" + i, "Linphone/5.1.65").getBytes(StandardCharsets.US_ASCII);
                s.send(new DatagramPacket(b, b.length, InetAddress.getByName(SippRunner.LOOPBACK), port));
                Thread.sleep(20);
            }
            reader.join(20_000);
            return answered.size();
        }
    }

    private static String[] with(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    /** Runs a sipvicious tool against 127.0.0.1:port from a free local port; returns its output. */
    private static String sipvicious(List<String> tool, int port) throws Exception {
        List<String> cmd = new ArrayList<>(tool);
        cmd.addAll(List.of("-b", SippRunner.LOOPBACK, "-P", Integer.toString(SippRunner.freePort())));
        // svmap takes hosts and -p; svwar and svcrack a URL. Only ever 127.0.0.1.
        cmd.addAll(tool.get(0).equals("svmap") ? List.of("-p", Integer.toString(port), SippRunner.LOOPBACK)
                : List.of("udp://127.0.0.1:" + port));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static Path words(List<String> words) throws Exception {
        Path f = Files.createTempFile("tandem-scan", ".txt");
        f.toFile().deleteOnExit();
        Files.write(f, words);
        return f;
    }

    /** 60 wrong passwords with the right one at position 51. */
    private static Path passwordList() throws Exception {
        List<String> w = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            w.add(i == 51 ? "alice-pw" : "guess" + i);
        }
        return words(w);
    }

    /** An OPTIONS with the given User-Agent; its response, or "(no answer)". */
    private static String options(int port, String userAgent) throws Exception {
        return options(port, userAgent, SippRunner.LOOPBACK);
    }

    private static String optionsRequest(DatagramSocket s, String callId, String userAgent) {
        String host = s.getLocalAddress().getHostAddress();
        return "OPTIONS sip:127.0.0.1 SIP/2.0\r\n"
                // the branch names the source too: the RI matches server transactions on the branch
                // alone, so another source's request with the same branch would be taken for a
                // retransmission of the first (RFC 3261 17.2.3 also compares sent-by)
                + "Via: SIP/2.0/UDP " + host + ":" + s.getLocalPort() + ";branch=z9hG4bK" + callId + "-"
                + host.replace('.', '-') + "-" + s.getLocalPort() + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe@" + host + ">;tag=ua\r\n"
                + "To: <sip:127.0.0.1>\r\n"
                + "Call-ID: " + callId + "-" + host + "-" + s.getLocalPort() + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "User-Agent: " + userAgent + "\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private static String options(int port, String userAgent, String from) throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(from), 0))) {
            s.setSoTimeout(1_500);
            String req = optionsRequest(s, "ua", userAgent);
            byte[] b = req.getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(b, b.length, InetAddress.getByName(SippRunner.LOOPBACK), port));
            byte[] buf = new byte[4_096];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return "(no answer)";
            }
            return new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
        }
    }
}
