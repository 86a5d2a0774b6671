package org.tandem.gateway.e2e;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.tandem.gateway.app.Main;
import org.tandem.gateway.sip.testing.SippRunner;

/**
 * A real {@code tandem run} child process (its own JVM, the shipped logging) on a configuration
 * file, every port chosen at run time on 127.0.0.1, its home, CDRs and console socket in a scratch
 * directory. Its output is kept for assertions; {@link #close} stops it (SIGTERM, then SIGKILL).
 */
final class TandemProcess implements AutoCloseable {
    final Process process;
    final Path home;
    final int sipPort;
    final Path cdrDir;
    final int snmpPort;
    private final StringBuilder log = new StringBuilder();

    private TandemProcess(Process process, Path home, int sipPort, Path cdrDir, int snmpPort) {
        this.process = process;
        this.snmpPort = snmpPort;
        this.home = home;
        this.sipPort = sipPort;
        this.cdrDir = cdrDir;
    }

    /**
     * Starts {@code tandem run -c config} and waits (bounded) for its ready line.
     *
     * @param rtpFirst first port of its RTP range (200 ports), below the ephemeral range
     * @param overrides more {@code --set} values (section.key=value)
     */
    static TandemProcess start(Path config, int rtpFirst, List<String> overrides) throws Exception {
        int sipPort = SippRunner.freePort();
        int snmpPort = SippRunner.freePort();
        Path home = Files.createTempDirectory("tandem-proc");
        Path cdr = home.resolve("cdr");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dtandem.home=" + home,
                "-Dlogback.configurationFile=" + E2eGateway.shippedConfig().resolveSibling("logback.xml"),
                "-Dtandem.log.dir=" + home.resolve("log"),
                "org.tandem.gateway.app.Main", "run", "-c", config.toString(),
                "--set", "sip.listen=127.0.0.1:" + sipPort,
                "--set", "rtp.ports=" + rtpFirst + "-" + (rtpFirst + 199),
                "--set", "snmp.listen=127.0.0.1:" + snmpPort,
                "--set", "cdr.dir=" + cdr,
                "--set", "registrar.bindings_file=" + home.resolve("bindings.txt"),
                "--set", "trunk.local.port=" + SippRunner.freePort(),
                // Overload control measures the machine (call control's latency, CPU): on a loaded
                // CI box it would shed the test's own calls (503 Retry-After 5, seen in a full run);
                // OverloadEndToEndTest tests it. An override in `overrides` may turn it back on.
                "--set", "overload.enabled=no"));
        for (String o : overrides) {
            cmd.add("--set");
            cmd.add(o);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        TandemProcess t = new TandemProcess(p, home, sipPort, cdr, snmpPort);
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (t.log) {
                        t.log.append(line).append('\n');
                    }
                    if (line.contains("Tandem ready:")) {
                        ready.complete(line);
                    }
                }
                ready.completeExceptionally(new IOException("tandem run ended before it was ready"));
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
        }, "tandem-" + sipPort + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            t.close();
            throw new IllegalStateException("tandem run did not start: " + e + "\n" + t.log(), e);
        }
        return t;
    }

    /** Everything it printed so far. */
    String log() {
        synchronized (log) {
            return log.toString();
        }
    }

    /** Waits (bounded) until its output contains {@code marker}. */
    boolean awaitLog(String marker, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        do {
            if (log().contains(marker)) {
                return true;
            }
            Thread.sleep(50);
        } while (System.nanoTime() - deadline < 0);
        return false;
    }

    /** {@code tandem ctl WORDS...} against its console socket: exit status and output. */
    String[] ctl(String... words) {
        List<String> args = new ArrayList<>(List.of("ctl", "--socket", home.resolve("var/run/tandem.sock").toString()));
        args.addAll(List.of(words));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out), new PrintStream(out));
        return new String[] {Integer.toString(status), out.toString(StandardCharsets.UTF_8)};
    }

    /** Sends it a signal by name (HUP, KILL, ...) with kill(1). */
    void signal(String name) throws Exception {
        Process k = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** The CDR lines (without headers) written so far. */
    List<String[]> cdrs() throws IOException {
        List<String[]> out = new ArrayList<>();
        if (!Files.isDirectory(cdrDir)) {
            return out;
        }
        try (var files = Files.list(cdrDir)) {
            for (Path f : files.filter(x -> x.toString().endsWith(".csv")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                for (String l : lines.subList(Math.min(1, lines.size()), lines.size())) {
                    out.add(l.split(",", -1));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.toHandle().destroy();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            Scenarios.deleteTree(home);
        }
    }
}
