package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.gateway.sip.testing.UdpSip;

/**
 * Password guessing against the gateway as an operator runs it ({@code tandem run} with the shipped
 * logging): five wrong REGISTER digests from one source lock that source out (its next requests,
 * even with the right password, get no answer), another source is still served, and the shipped
 * fail2ban filter, run by Debian's own {@code fail2ban-regex} over the gateway's real log file,
 * finds exactly the five failures.
 */
class LockoutEndToEndTest {
    private static final Path FILTER = E2eGateway.shippedConfig().resolveSibling("fail2ban/filter.d/tandem.conf");

    @Test
    void shouldLockOutAGuesserAfterFiveFailuresAndLogThemForFail2ban() throws Exception {
        int sipPort = SippRunner.freePort();
        Path runDir = Files.createTempDirectory("tandem-lockout");
        Path logDir = runDir.resolve("log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dtandem.home=" + runDir,
                "-Dlogback.configurationFile=" + E2eGateway.shippedConfig().resolveSibling("logback.xml"),
                "-Dtandem.log.dir=" + logDir,
                "org.tandem.gateway.app.Main", "run", "-c", E2eGateway.shippedConfig().toString(),
                "--set", "sip.listen=127.0.0.1:" + sipPort,
                "--set", "rtp.ports=" + (20_000 + 2 * (sipPort % 5_000)) + "-" + (20_199 + 2 * (sipPort % 5_000)),
                "--set", "snmp.listen=127.0.0.1:" + SippRunner.freePort(),
                "--set", "cdr.dir=" + runDir.resolve("cdr"),
                "--set", "user.alice.password=alice-pw",
                "--set", "registrar.algorithms=md5",
                "--set", "overload.enabled=no")); // it measures the machine: see TandemProcess
        Process gateway = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(gateway.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.contains("Tandem ready:")) {
                        ready.complete(line);
                    }
                }
            } catch (java.io.IOException e) {
                ready.completeExceptionally(e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        try (DatagramSocket guesser = socket("127.0.0.1"); DatagramSocket other = socket("127.0.0.3")) {
            ready.get(30, TimeUnit.SECONDS);
            String first = UdpSip.exchange(guesser, sipPort, register(guesser, 1, null));
            assertTrue(first.startsWith("SIP/2.0 401"), first);
            Matcher nonce = Pattern.compile("nonce=\"([^\"]+)\"").matcher(first);
            assertTrue(nonce.find(), first);
            for (int i = 1; i <= 5; i++) {
                String wrong = "Digest username=\"alice\", realm=\"127.0.0.1\", nonce=\"" + nonce.group(1)
                        + "\", uri=\"sip:127.0.0.1\", response=\"00000000000000000000000000000000\", algorithm=MD5,"
                        + " qop=auth, nc=0000000" + i + ", cnonce=\"guess" + i + "\"";
                String r = UdpSip.exchange(guesser, sipPort, register(guesser, 1 + i, wrong));
                assertTrue(r.startsWith("SIP/2.0 401"), "guess " + i + ": " + r);
            }
            // locked out: no answer, whatever it sends (a fresh REGISTER, an OPTIONS)
            assertEquals(UdpSip.NO_ANSWER, UdpSip.exchange(guesser, sipPort, register(guesser, 10, null)));
            assertEquals(UdpSip.NO_ANSWER, UdpSip.exchange(guesser, sipPort, options(guesser)));
            // another address is served as before
            String served = UdpSip.exchange(other, sipPort, register(other, 1, null));
            assertTrue(served.startsWith("SIP/2.0 401"), served);
            assertTrue(UdpSip.exchange(other, sipPort, options(other)).startsWith("SIP/2.0 200"));

            assumeTrue(Files.isExecutable(Path.of("/usr/bin/fail2ban-regex")),
                    "fail2ban is not installed (bin/setup-debian installs it)");
            Path log = logDir.resolve("tandem.log");
            String text = awaitLog(log, "locked out for 600 s after 5 authentication failures", 5_000);
            assertTrue(text.contains("source 127.0.0.1 locked out for 600 s after 5 authentication failures within 600 s"),
                    text);
            Process f2b = new ProcessBuilder("fail2ban-regex", log.toString(), FILTER.toString())
                    .redirectErrorStream(true).start();
            String out = new String(f2b.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(f2b.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, f2b.exitValue(), out);
            Matcher lines = Pattern.compile("Lines: (\\d+) lines, (\\d+) ignored, (\\d+) matched").matcher(out);
            assertTrue(lines.find(), out);
            assertEquals(5, Integer.parseInt(lines.group(3)), "fail2ban finds the five failures, nothing else:\n" + out);
        } finally {
            if (gateway.isAlive()) {
                gateway.toHandle().destroy();
                if (!gateway.waitFor(15, TimeUnit.SECONDS)) {
                    gateway.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            Scenarios.deleteTree(runDir);
        }
    }

    private static DatagramSocket socket(String address) throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0));
        s.setSoTimeout(1_500);
        return s;
    }

    private static String register(DatagramSocket s, int cseq, String authorization) {
        String host = s.getLocalAddress().getHostAddress();
        return "REGISTER sip:127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + host + ":" + s.getLocalPort() + ";branch=z9hG4bKlock" + cseq + "x"
                + s.getLocalPort() + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@127.0.0.1>;tag=lock" + s.getLocalPort() + "\r\n"
                + "To: <sip:alice@127.0.0.1>\r\n"
                + "Call-ID: lockout-" + host + "-" + s.getLocalPort() + "\r\n"
                + "CSeq: " + cseq + " REGISTER\r\n"
                + "Contact: <sip:alice@" + host + ":" + s.getLocalPort() + ">\r\n"
                + "Expires: 600\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Content-Length: 0\r\n\r\n";
    }

    private static String options(DatagramSocket s) {
        String host = s.getLocalAddress().getHostAddress();
        return "OPTIONS sip:127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + host + ":" + s.getLocalPort() + ";branch=z9hG4bKopt" + s.getLocalPort() + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe@" + host + ">;tag=opt\r\n"
                + "To: <sip:127.0.0.1>\r\n"
                + "Call-ID: lockout-options-" + host + "-" + s.getLocalPort() + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** The log file's text once it contains {@code marker} (the file appender is asynchronous). */
    private static String awaitLog(Path log, String marker, long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        String text = "";
        do {
            if (Files.exists(log)) {
                text = Files.readString(log, StandardCharsets.UTF_8);
                if (text.contains(marker)) {
                    return text;
                }
            }
            Thread.sleep(50);
        } while (System.nanoTime() - deadline < 0);
        return text;
    }
}
