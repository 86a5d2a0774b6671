package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.app.Main;
import org.tandem.gateway.sip.testing.SippRunner;

/** {@code tandem run} as an operator runs it: configuration errors, start, a call, the console, SIGTERM. */
class RunCommandEndToEndTest {

    @Test
    void shouldRefuseABadConfigurationWithTheCheckConfigReportAndExit2() {
        List<String> args = List.of("-c", E2eGateway.shippedConfig().toString(), "--set", "rtp.ptime=25");
        ByteArrayOutputStream runErr = new ByteArrayOutputStream();
        ByteArrayOutputStream checkErr = new ByteArrayOutputStream();
        List<String> run = new ArrayList<>(List.of("run"));
        run.addAll(args);
        List<String> check = new ArrayList<>(List.of("check-config"));
        check.addAll(args);
        int runStatus = Main.run(run, new PrintStream(new ByteArrayOutputStream()), new PrintStream(runErr));
        int checkStatus = Main.run(check, new PrintStream(new ByteArrayOutputStream()), new PrintStream(checkErr));
        assertEquals(2, runStatus);
        assertEquals(2, checkStatus);
        assertTrue(runErr.toString().contains("[rtp] ptime: 25 is not allowed"), runErr::toString);
        assertEquals(checkErr.toString(), runErr.toString(), "run prints exactly what check-config prints");
    }

    @Test
    void shouldReleaseActiveCallsWithCause41AndExit0OnSigterm() throws Exception {
        assumeTrue(SippRunner.available(), "sipp is not installed");
        int sipPort = SippRunner.freePort();
        Path cdr = Files.createTempDirectory("tandem-run-cdr");
        Path runDir = Files.createTempDirectory("tandem-run");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dtandem.home=" + runDir,
                // the launcher's logging, as bin/tandem sets it
                "-Dlogback.configurationFile=" + E2eGateway.shippedConfig().resolveSibling("logback.xml"),
                "-Dtandem.log.dir=" + runDir.resolve("log"),
                "org.tandem.gateway.app.Main", "run", "-c", E2eGateway.shippedConfig().toString(),
                "--set", "sip.listen=127.0.0.1:" + sipPort,
                "--set", "rtp.ports=" + (20_000 + 2 * (sipPort % 5_000)) + "-" + (20_199 + 2 * (sipPort % 5_000)),
                "--set", "snmp.listen=127.0.0.1:" + SippRunner.freePort(),
                "--set", "cdr.dir=" + cdr,
                // accepted but not acted on: run must say so, as check-config does (register = yes
                // was the example until the gateway registered; realm is still only accepted)
                "--set", "trunk.local.realm=carrier.example",
                "--set", "overload.enabled=no")); // it measures the machine: see TandemProcess
        Process gateway = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder log = new StringBuilder();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(gateway.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (log) {
                        log.append(line).append('\n');
                    }
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
        try (RtpPeer rtp = new RtpPeer()) {
            String line = ready.get(30, TimeUnit.SECONDS);
            assertTrue(line.contains("SIP udp+tcp 127.0.0.1:" + sipPort), line);
            assertTrue(line.contains("D-channels up"), line);
            synchronized (log) {
                assertTrue(log.indexOf("warning: [trunk local] realm") >= 0
                        && log.indexOf("not acted on yet") >= 0, "run prints the config warnings:\n" + log);
            }

            var scenario = Scenarios.fill("released-by-gateway.xml", Map.of("CAUSE", "41", "TIMEOUT_MS", "20000"));
            SippRunner.Sipp sipp = SippRunner.scenario(scenario).to(SippRunner.LOOPBACK, sipPort).option("-s", "1004")
                    .option("-key", "rtpport", Integer.toString(rtp.port())).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (rtp.streams().isEmpty() && System.nanoTime() - deadline < 0) {
                Thread.sleep(20);
            }
            assertTrue(!rtp.streams().isEmpty(), "call answered with audio");

            // The console the running gateway serves on [console] socket under its home.
            ByteArrayOutputStream ctlOut = new ByteArrayOutputStream();
            int ctl = Main.run(List.of("ctl", "--socket", runDir.resolve("var/run/tandem.sock").toString(),
                    "show", "calls"), new PrintStream(ctlOut), new PrintStream(new ByteArrayOutputStream()));
            assertEquals(0, ctl, ctlOut::toString);
            assertTrue(ctlOut.toString().contains("1004"), "the live call in 'tandem ctl show calls':\n" + ctlOut);

            // SIGTERM through the handle: Process.destroy() would also close our end of its output.
            assertTrue(gateway.toHandle().destroy());
            assertTrue(gateway.waitFor(20, TimeUnit.SECONDS), "gateway stopped");
            assertEquals(0, gateway.exitValue(), () -> log.toString());
            SippRunner.Result r = sipp.await();
            assertTrue(r.succeeded(), r::toString);
            String csv;
            try (var files = Files.list(cdr)) {
                Path f = files.filter(p -> p.toString().endsWith(".csv")).findFirst().orElse(null);
                assertNotNull(f, "a CDR file");
                csv = Files.readString(f);
            }
            assertTrue(csv.contains(",41,200,ANSWERED,gateway,"), "CDR of the released call flushed:\n" + csv);
            reader.join(5_000); // the rest of the log, up to the process's end
            synchronized (log) {
                assertTrue(log.indexOf("Tandem stopped") >= 0, () -> log.substring(Math.max(0, log.length() - 3000)));
            }
        } finally {
            if (gateway.isAlive()) {
                gateway.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            Scenarios.deleteTree(cdr);
            Scenarios.deleteTree(runDir);
        }
    }
}
