package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.gateway.snmp.NetSnmp;
import org.tandem.gateway.snmp.TandemMibSection;
import org.tandem.gateway.sip.testing.UdpSip;

/**
 * Scale-out as docs/SCALING.md describes it, with the shipped recipe {@code conf/kamailio/kamailio.cfg}:
 * a real Kamailio (its dispatcher module) on 127.0.0.3 in front of two real {@code tandem run}
 * gateways, each with its own simulated spans and ports, each trusting only Kamailio's address as
 * its trunk. sipp calls Kamailio: the calls are spread over both gateways; a drained gateway (503
 * to OPTIONS) is taken out of rotation and the next calls all go to the other while its call in
 * progress goes on; a gateway killed with SIGKILL is marked down by the OPTIONS keep-alive within
 * a bounded time, and then every call goes to the survivor without one failing.
 */
class KamailioScaleOutTest {
    private static final Path KAMAILIO = Path.of("/usr/sbin/kamailio");
    private static final Path RECIPE = E2eGateway.shippedConfig().resolveSibling("kamailio/kamailio.cfg");
    /** Kamailio's address: the only one the gateways trust (sipp calls from 127.0.0.1 are not). */
    private static final String PROXY_IP = "127.0.0.3";
    /** tgGatewayState.0 */
    private static final String GATEWAY_STATE = TandemMibSection.GATEWAY.toDottedString() + "."
            + TandemMibSection.GW_STATE + ".0";

    @Test
    void shouldSpreadDrainAndFailOverCallsAcrossTwoGatewaysBehindKamailio() throws Exception {
        assumeTrue(SippRunner.available(), "sipp is not installed");
        assumeTrue(Files.isExecutable(KAMAILIO), "kamailio is not installed (bin/setup-debian installs it)");
        int rtpBase = 20_000 + 2 * ThreadLocalRandom.current().nextInt(0, 5_500);
        List<String> trustProxy = List.of("trunk.local.trusted=" + PROXY_IP + "/32");
        CompletableFuture<TandemProcess> startA = CompletableFuture.supplyAsync(() -> start(rtpBase, trustProxy));
        CompletableFuture<TandemProcess> startB = CompletableFuture.supplyAsync(() -> start(rtpBase + 200, trustProxy));
        Path dir = Files.createTempDirectory("tandem-kamailio");
        try {
            CompletableFuture.allOf(startA, startB).get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            // one may have started: stop it before failing
            startA.thenAccept(TandemProcess::close);
            startB.thenAccept(TandemProcess::close);
            throw e;
        }
        try (TandemProcess a = startA.get(90, TimeUnit.SECONDS); TandemProcess b = startB.get(90, TimeUnit.SECONDS);
                DatagramSocket rtp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int proxyPort = SippRunner.freePort();
            String gwA = "sip:127.0.0.1:" + a.sipPort;
            String gwB = "sip:127.0.0.1:" + b.sipPort;
            Files.writeString(dir.resolve("dispatcher.list"), "1 " + gwA + "\n1 " + gwB + "\n");
            gwA += "\n"; // whole log lines: one port may be the prefix of the other
            gwB += "\n";
            Files.writeString(dir.resolve("kamailio.cfg"), Files.readString(RECIPE)
                    .replace("@LISTEN@", "udp:" + PROXY_IP + ":" + proxyPort)
                    .replace("@DISPATCHER_LIST@", dir.resolve("dispatcher.list").toString()));
            try (Kamailio k = Kamailio.start(dir)) {
                // A cold JVM may miss its first pings on a loaded machine: wait until both are up.
                assertTrue(k.awaitUp(gwA, 20_000) && k.awaitUp(gwB, 20_000), () -> "both gateways up:\n" + k.log());
                // Only Kamailio is a trusted trunk: the same call straight from sipp is refused.
                SippRunner.Result direct = call("127.0.0.1", "127.0.0.1", a.sipPort, rtp, 1).timeoutSeconds(5).run();
                assertEquals(0, direct.successfulCalls(), direct::toString);

                // 1. Spread: round-robin over both.
                SippRunner.Result spread = call("127.0.0.1", PROXY_IP, proxyPort, rtp, 6).run();
                assertTrue(spread.succeeded() && spread.successfulCalls() == 6, spread::toString);
                assertTrue(awaitCdrs(a, b, 6), () -> cdrCounts(a, b) + ", expected 6:\n" + k.log());
                int onA = a.cdrs().size();
                int onB = b.cdrs().size();
                String spreadFigure = onA + " + " + onB;
                assertTrue(onA >= 1 && onB >= 1, "each gateway got some of the calls: " + onA + " + " + onB);

                // 1b. The gateway's own BYE (hangup from its console) follows the route set back
                // through Kamailio, as the caller's ACK and BYE did.
                int dispatched = k.count("DISPATCH ");
                SippRunner.Sipp hungUp = SippRunner.scenario(releasedThroughProxy()).to(PROXY_IP, proxyPort)
                        .localIp("127.0.0.1").option("-s", "1004")
                        .option("-key", "rtpport", Integer.toString(rtp.getLocalPort())).timeoutSeconds(20).start();
                assertTrue(k.await("DISPATCH ", dispatched + 1, 10_000), k::log);
                java.util.regex.Matcher d = java.util.regex.Pattern.compile("DISPATCH (\\S+) to sip:127\\.0\\.0\\.1:(\\d+)")
                        .matcher(k.log());
                String sipCallId = null;
                int gwPort = 0;
                while (d.find()) {
                    sipCallId = d.group(1);
                    gwPort = Integer.parseInt(d.group(2));
                }
                TandemProcess answering = gwPort == a.sipPort ? a : b;
                assertTrue(awaitLiveCall(answering, 10_000), "the call is up on the gateway Kamailio chose");
                java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"call\":\"([^\"]+)\"")
                        .matcher(answering.ctl("--json", "show", "calls")[1]);
                assertTrue(id.find(), "a call id in show calls");
                assertEquals("0", answering.ctl("hangup", id.group(1))[0]);
                SippRunner.Result released = hungUp.await();
                assertTrue(released.succeeded(), "sipp got the gateway's BYE (cause 16): " + released);
                assertTrue(k.log().contains("BYE " + sipCallId + " from 127.0.0.1:" + gwPort + "\n"),
                        "the gateway's BYE went through Kamailio:\n" + k.log());
                assertTrue(awaitCdrs(a, b, 7), () -> cdrCounts(a, b) + ", expected 7");
                onA = a.cdrs().size();
                onB = b.cdrs().size();

                // 2. Drain A with a call in progress on it (straight from Kamailio's address, so trusted).
                SippRunner.Sipp holding = call(PROXY_IP, "127.0.0.1", a.sipPort, rtp, 1).option("-d", "4000").start();
                assertTrue(awaitLiveCall(a, 10_000), "the held call is up on A");
                int downs = k.count("GATEWAY DOWN " + gwA);
                String[] drained = a.ctl("drain");
                assertEquals("0", drained[0], drained[1]);
                assertTrue(drained[1].contains("1 call(s) in progress continue"), drained[1]);
                String options = options(a.sipPort);
                assertTrue(options.startsWith("SIP/2.0 503") && options.contains("Retry-After: 60"), options);
                assertTrue(a.ctl("show", "stats")[1].matches("(?s).*state\\s+draining.*"), a.ctl("show", "stats")[1]);
                NetSnmp.Result state = NetSnmp.run(NetSnmp.v2c("snmpget", "public", a.snmpPort, GATEWAY_STATE));
                assertTrue(state.out().contains("INTEGER: 4"), "tgGatewayState draining(4): " + state);
                // The next calls all go to B, whether Kamailio already took A out (OPTIONS 503) or its
                // INVITE got A's 503 and failure_route tried the next gateway.
                SippRunner.Result afterDrain = call("127.0.0.1", PROXY_IP, proxyPort, rtp, 4).run();
                assertTrue(afterDrain.succeeded() && afterDrain.successfulCalls() == 4, afterDrain::toString);
                assertTrue(k.await("GATEWAY DOWN " + gwA, downs + 1, 5_000), "Kamailio took A out:\n" + k.log());
                SippRunner.Result held = holding.await();
                assertTrue(held.succeeded(), "the call in progress on the drained gateway went on: " + held);
                assertTrue(awaitCdrs(a, b, 7 + 4 + 1), () -> cdrCounts(a, b) + ", expected 12:\n" + k.log());
                assertEquals(onA + 1, a.cdrs().size(), "A took no new call while drained (only the held one ended)");
                assertEquals(onB + 4, b.cdrs().size(), "the four calls after the drain all went to B");

                // 3. Undrain A; kill B: once the keep-alive marks B down (bounded), no call fails.
                int ups = k.count("GATEWAY UP " + gwA);
                assertEquals("0", a.ctl("undrain")[0]);
                assertTrue(k.await("GATEWAY UP " + gwA, ups + 1, 5_000), "Kamailio put A back:\n" + k.log());
                int bDowns = k.count("GATEWAY DOWN " + gwB);
                long killed = System.nanoTime();
                b.signal("KILL");
                assertTrue(b.process.waitFor(10, TimeUnit.SECONDS), "B is dead");
                assertTrue(k.await("GATEWAY DOWN " + gwB, bDowns + 1, 10_000), "Kamailio marked B down:\n" + k.log());
                long downMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
                int aBefore = a.cdrs().size();
                SippRunner.Result afterKill = call("127.0.0.1", PROXY_IP, proxyPort, rtp, 4).run();
                assertTrue(afterKill.succeeded() && afterKill.successfulCalls() == 4,
                        "no call failed once B was marked down (" + downMs + " ms after the kill): " + afterKill);
                assertTrue(awaitCount(a, aBefore + 4), "the four calls went to A");
                System.out.println("KamailioScaleOutTest: calls spread " + spreadFigure + "; B marked down "
                        + downMs + " ms after SIGKILL; failure_route failovers: " + k.count("FAILOVER"));
            }
        } finally {
            Scenarios.deleteTree(dir);
        }
    }

    /** released-by-gateway.xml (BYE from the gateway, cause 16) with the route set on its ACK. */
    private static Path releasedThroughProxy() throws IOException {
        Path p = Scenarios.fill("released-by-gateway.xml", java.util.Map.of("CAUSE", "16", "TIMEOUT_MS", "15000"));
        String xml = Files.readString(p, StandardCharsets.ISO_8859_1);
        assertTrue(xml.contains("CSeq: 1 ACK\n"), "the ACK of the template");
        Files.writeString(p, xml.replace("CSeq: 1 ACK\n", "CSeq: 1 ACK\n      [routes]\n"), StandardCharsets.ISO_8859_1);
        return p;
    }

    private static TandemProcess start(int rtpFirst, List<String> overrides) {
        try {
            return TandemProcess.start(E2eGateway.shippedConfig(), rtpFirst, overrides);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** sipp from {@code fromIp} to {@code toIp:port}: {@code n} answered calls to the milliwatt line, 0.5 s each. */
    private static SippRunner.Sipp call(String fromIp, String toIp, int port, DatagramSocket rtp, int n) {
        return SippRunner.scenario(Scenarios.file(toIp.equals(PROXY_IP) ? "proxied-call.xml" : "call.xml")).to(toIp, port).localIp(fromIp).option("-s", "1004")
                .option("-key", "rtpport", Integer.toString(rtp.getLocalPort())).option("-d", "500")
                .option("-r", "5").calls(n).timeoutSeconds(30);
    }

    private static boolean awaitLiveCall(TandemProcess t, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        do {
            if (t.ctl("show", "calls")[1].contains("1004")) {
                return true;
            }
            Thread.sleep(100);
        } while (System.nanoTime() - deadline < 0);
        return false;
    }

    private static boolean awaitCdrs(TandemProcess a, TandemProcess b, int total) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        do {
            if (a.cdrs().size() + b.cdrs().size() >= total) {
                return a.cdrs().size() + b.cdrs().size() == total;
            }
            Thread.sleep(50);
        } while (System.nanoTime() - deadline < 0);
        return false;
    }

    private static String cdrCounts(TandemProcess a, TandemProcess b) {
        try {
            StringBuilder out = new StringBuilder("CDRs on A " + a.cdrs().size() + ", on B " + b.cdrs().size());
            for (String[] r : a.cdrs()) {
                out.append("\n  A: ").append(String.join(",", r));
            }
            return out.toString();
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static boolean awaitCount(TandemProcess t, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        do {
            if (t.cdrs().size() >= n) {
                return t.cdrs().size() == n;
            }
            Thread.sleep(50);
        } while (System.nanoTime() - deadline < 0);
        return false;
    }

    /** An OPTIONS straight to a gateway, as Kamailio's keep-alive sends it; the response's text. */
    private static String options(int port) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            s.setSoTimeout(2_000);
            String req = "OPTIONS sip:127.0.0.1:" + port + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + s.getLocalPort() + ";branch=z9hG4bKka" + System.nanoTime() + "\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:probe@127.0.0.1>;tag=ka\r\n"
                    + "To: <sip:127.0.0.1:" + port + ">\r\n"
                    + "Call-ID: ka-" + System.nanoTime() + "@127.0.0.1\r\n"
                    + "CSeq: 1 OPTIONS\r\n"
                    + "Content-Length: 0\r\n\r\n";
            return UdpSip.exchange(s, port, req);
        }
    }

    /** Kamailio in the foreground (-DD), its log on stderr (-E) kept for the test. */
    private static final class Kamailio implements AutoCloseable {
        private final Process process;
        private final StringBuilder log = new StringBuilder();

        private Kamailio(Process process) {
            this.process = process;
        }

        static Kamailio start(Path dir) throws Exception {
            Path run = Files.createDirectories(dir.resolve("run"));
            Process p = new ProcessBuilder(KAMAILIO.toString(), "-f", dir.resolve("kamailio.cfg").toString(), "-DD", "-E",
                    "-Y", run.toString(), "-m", "32", "-M", "4").redirectErrorStream(true).start();
            Kamailio k = new Kamailio(p);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        synchronized (k.log) {
                            k.log.append(line).append('\n');
                        }
                    }
                } catch (IOException e) {
                    // process gone
                }
            }, "kamailio-output");
            reader.setDaemon(true);
            reader.start();
            // it listens and has pinged both gateways a few times (1 s interval)
            Thread.sleep(3_000);
            if (!p.isAlive()) {
                k.close();
                throw new AssertionError("kamailio did not start:\n" + k.log());
            }
            return k;
        }

        String log() {
            synchronized (log) {
                return log.toString();
            }
        }

        int count(String marker) {
            String text = log();
            int n = 0;
            for (int i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, i + 1)) {
                n++;
            }
            return n;
        }

        /** Waits (bounded) until {@code gateway} was marked up as often as down: it is in rotation. */
        boolean awaitUp(String gateway, long timeoutMs) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            do {
                if (count("GATEWAY UP " + gateway) >= count("GATEWAY DOWN " + gateway)) {
                    return true;
                }
                Thread.sleep(50);
            } while (System.nanoTime() - deadline < 0);
            return false;
        }

        /** Waits (bounded) until {@code marker} was logged {@code times} times. */
        boolean await(String marker, int times, long timeoutMs) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            do {
                if (count(marker) >= times) {
                    return true;
                }
                Thread.sleep(50);
            } while (System.nanoTime() - deadline < 0);
            return false;
        }

        @Override
        public void close() throws InterruptedException {
            // kamailio forks its children (-DD keeps only the main process in the foreground): on
            // SIGTERM the main process stops them, after a SIGKILL they would live on, the port bound
            java.util.List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : children) {
                child.destroyForcibly();
            }
        }
    }
}
