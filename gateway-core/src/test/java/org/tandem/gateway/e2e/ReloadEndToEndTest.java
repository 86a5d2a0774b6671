package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.sip.testing.SippRunner;

/**
 * Hitless reload of a real {@code tandem run}: with a call up, the file is edited (a trunk's
 * trusted addresses, the trunk's cause map, the route's number rewriting, the users, a span) and
 * reloaded with {@code tandem ctl reload}; the call goes on, the span change is refused with its
 * reason, and each other change is in force for the next call or REGISTER. Then SIGHUP does the
 * same for a second edit, again with a call up, and the process keeps running. Last, a drained
 * gateway releases the exchange's new call with cause 34.
 */
class ReloadEndToEndTest {
    private static final String TRUSTED_BLOCK = "trusted = 127.0.0.0/8, ::1\n"
            + "; A [causes NAME] section for calls on this trunk. Default: none\n;causes = local\n";

    @Test
    void shouldApplyTrunksRoutesCausesAndUsersWithoutDroppingTheCallOnCtlReloadAndOnSighup() throws Exception {
        assumeTrue(SippRunner.available(), "sipp is not installed");
        Path dir = Files.createTempDirectory("tandem-reload");
        Path ini = dir.resolve("tandem.ini");
        String shipped = Files.readString(E2eGateway.shippedConfig(), StandardCharsets.UTF_8);
        assertTrue(shipped.contains(TRUSTED_BLOCK) && shipped.contains("[route to-pstn]\n")
                && shipped.contains("q850.34 = 503\n") && shipped.contains("timing = 2\n"), "the shipped file as expected");
        String start = shipped + "\n[user alice]\npassword = alice-secret-1\n";
        Files.writeString(ini, start, StandardCharsets.UTF_8);
        int rtpFirst = 20_000 + 2 * ThreadLocalRandom.current().nextInt(0, 5_700);
        try (TandemProcess gw = TandemProcess.start(ini, rtpFirst, List.of("registrar.algorithms=md5"));
                DatagramSocket rtp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            assertTrue(register(gw, "alice", "alice-secret-1").succeeded(), "alice registers before the reload");
            // A call from 127.0.0.2 (trusted as trunk local: 127.0.0.0/8) held across the reload.
            SippRunner.Sipp held = call(gw, "127.0.0.2", "1004", rtp).option("-d", "8000").start();
            assertTrue(awaitLiveCall(gw, 10_000), "the held call is up");

            Files.writeString(ini, start
                    .replace(TRUSTED_BLOCK, "trusted = 127.0.0.1/32\ncauses = local\n")
                    .replace("q850.34 = 503\n", "q850.34 = 480\n")
                    .replace("[route to-pstn]\n", "[route to-pstn]\nstrip_called = 1\n")
                    .replace("timing = 2\n", "timing = 0\n")
                    .replace("[user alice]\npassword = alice-secret-1\n", "[user bob]\npassword = bob-secret-2\n"),
                    StandardCharsets.UTF_8);
            String[] reload = gw.ctl("reload");
            assertEquals("0", reload[0], reload[1]);
            assertTrue(reload[1].contains("needs restart: spans and channel groups"), reload[1]);
            assertTrue(reload[1].contains("applied: trunks: [local] as targets and trusted sources; changed [local]"),
                    reload[1]);
            assertTrue(reload[1].contains("applied: users: [bob]; removed [alice]"), reload[1]);

            // Trusted addresses: 127.0.0.2 is no trunk any more, its next call must authenticate as
            // a user (401: there are users; 403 without any).
            SippRunner.Result untrusted = call(gw, "127.0.0.2", "1004", rtp).timeoutSeconds(5).run();
            assertEquals(0, untrusted.successfulCalls(), untrusted::toString);
            assertTrue(untrusted.output().contains("SIP/2.0 401"), untrusted::toString);
            // Number rewriting: 9 1004 reaches the milliwatt line once the route strips the 9.
            SippRunner.Result stripped = call(gw, "127.0.0.1", "91004", rtp).run();
            assertTrue(stripped.succeeded(), stripped::toString);
            // Cause map: the trunk's map now sends cause 34 (congestion) as 480, not RFC 3398's 503.
            SippRunner.Result congestion = SippRunner.scenario(Scenarios.fill("rejected.xml",
                    Map.of("STATUS", "480", "CAUSE", "34"))).to(SippRunner.LOOPBACK, gw.sipPort).option("-s", "91503")
                    .option("-key", "rtpport", Integer.toString(rtp.getLocalPort())).run();
            assertTrue(congestion.succeeded(), congestion::toString);
            // Users: bob registers, alice is gone.
            assertTrue(register(gw, "bob", "bob-secret-2").succeeded(), "bob registers after the reload");
            assertEquals(0, register(gw, "alice", "alice-secret-1").successfulCalls(), "alice is no user any more");

            SippRunner.Result heldResult = held.await();
            assertTrue(heldResult.succeeded(), "the call up during the reload went on to its BYE: " + heldResult);

            // SIGHUP: trust 127.0.0.0/8 again, with a call up; the process keeps running.
            SippRunner.Sipp held2 = call(gw, "127.0.0.1", "91004", rtp).option("-d", "4000").start();
            assertTrue(awaitLiveCall(gw, 10_000), "the second held call is up");
            Files.writeString(ini, Files.readString(ini, StandardCharsets.UTF_8)
                    .replace("trusted = 127.0.0.1/32\n", "trusted = 127.0.0.0/8\n"), StandardCharsets.UTF_8);
            if (sighupIgnoredHere()) {
                // Started under nohup (SIGHUP ignored, inherited by the gateway): the JVM takes no
                // SIGHUP then, and the gateway must say so at start; the console reloads instead.
                assertTrue(gw.awaitLog("SIGHUP was ignored by whatever started Tandem", 1_000), gw::log);
                assertEquals("0", gw.ctl("reload")[0]);
            } else {
                gw.signal("HUP");
                assertTrue(gw.awaitLog("SIGHUP reload done; these need a restart: spans and channel groups", 10_000),
                        gw::log);
            }
            assertTrue(gw.process.isAlive(), "SIGHUP does not stop the gateway");
            SippRunner.Result trustedAgain = call(gw, "127.0.0.2", "91004", rtp).run();
            assertTrue(trustedAgain.succeeded(), "127.0.0.2 is trusted again after SIGHUP: " + trustedAgain);
            SippRunner.Result held2Result = held2.await();
            assertTrue(held2Result.succeeded(), "the call up during SIGHUP went on: " + held2Result);

            // Drain refuses the PSTN side too: the exchange's SETUP is released with cause 34.
            assertEquals("0", gw.ctl("drain")[0]);
            assertEquals("0", gw.ctl("sim", "originate", "--from", "5550123", "--to", "200")[0]);
            assertTrue(awaitCdr(gw, r -> r[1].equals("pstn->sip") && r[E2eGateway.Q850].equals("34")),
                    "a PSTN call refused with cause 34 while drained");
            assertEquals("0", gw.ctl("undrain")[0]);
        } finally {
            Scenarios.deleteTree(dir);
        }
    }

    private static SippRunner.Sipp call(TandemProcess gw, String fromIp, String number, DatagramSocket rtp) {
        return SippRunner.scenario(Scenarios.file("call.xml")).to(SippRunner.LOOPBACK, gw.sipPort).localIp(fromIp)
                .option("-s", number).option("-key", "rtpport", Integer.toString(rtp.getLocalPort()))
                .option("-d", "300").timeoutSeconds(20);
    }

    private static SippRunner.Result register(TandemProcess gw, String user, String password) {
        Map<String, String> values = Map.of("FINAL", "200", "CONTACT", "      Contact: <sip:" + user + "@127.0.0.1:5099>",
                "CHECKS", "", "REFS", "");
        return SippRunner.scenario(Scenarios.fill("register.xml", values)).to(SippRunner.LOOPBACK, gw.sipPort)
                .option("-key", "dom", "127.0.0.1").option("-key", "aor", user)
                .option("-cid_str", "reload-" + user + "-" + System.nanoTime())
                .option("-key", "cseq1", "1").option("-key", "cseq2", "2").option("-key", "expires", "60")
                .option("-au", user).option("-ap", password).timeoutSeconds(5).run();
    }

    private static boolean awaitCdr(TandemProcess t, java.util.function.Predicate<String[]> match) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        do {
            if (t.cdrs().stream().anyMatch(match)) {
                return true;
            }
            Thread.sleep(50);
        } while (System.nanoTime() - deadline < 0);
        return false;
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

    /** SIGHUP is in this process's ignored set (/proc/self/status SigIgn, bit 0): run under nohup. */
    private static boolean sighupIgnoredHere() throws java.io.IOException {
        for (String line : Files.readAllLines(java.nio.file.Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 1L) != 0;
            }
        }
        return false;
    }
}
