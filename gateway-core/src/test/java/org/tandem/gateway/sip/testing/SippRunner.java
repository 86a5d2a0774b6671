package org.tandem.gateway.sip.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs sipp as a real SIP peer on 127.0.0.1 for tests. Reusable by end-to-end tests: pick ports
 * with {@link #freePort()}, build a run with {@link #scenario}/{@link #builtIn}, then
 * {@link Sipp#start()} (background) or {@link Sipp#run()} (wait). Every run is bounded: sipp gets
 * {@code -m} and {@code -timeout}, and the JVM side kills it after a hard deadline.
 *
 * <p>sipp exit codes: 0 all calls succeeded, 1 at least one failed, 97 stopped by command,
 * 99 no call processed, 255/-1 fatal (bad scenario, port in use).
 */
public final class SippRunner {
    public static final String LOOPBACK = "127.0.0.1";

    private SippRunner() {
    }

    /** True if the sipp binary is on the PATH. */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder("sipp", "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A port free for both UDP and TCP on 127.0.0.1 right now (bounded number of tries). */
    public static int freePort() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0))) {
                int port = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket()) {
                    tcp.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
                    return port;
                } catch (IOException busy) {
                    // TCP side taken: try another
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free UDP+TCP port on " + LOOPBACK + " after 50 tries");
    }

    /** The file of a scenario on the test class path, e.g. "/sip/cancel.xml". */
    public static Path resource(String name) {
        URL url = SippRunner.class.getResource(name);
        if (url == null) {
            throw new IllegalArgumentException("scenario " + name + " not on the test class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** sipp with an XML scenario file. */
    public static Sipp scenario(Path xml) {
        return new Sipp(List.of("-sf", xml.toString()));
    }

    /** sipp with a built-in scenario ("uac", "uas", ...). */
    public static Sipp builtIn(String name) {
        return new Sipp(List.of("-sn", name));
    }

    /** One sipp process: configure, then start or run. */
    public static final class Sipp {
        private final List<String> args = new ArrayList<>();
        private String remote;
        private int localPort = freePort();
        private String localIp = LOOPBACK;
        private int calls = 1;
        private int timeoutS = 20;
        private Process process;
        private Path dir;

        private Sipp(List<String> scenarioArgs) {
            args.addAll(scenarioArgs);
        }

        /** The SIP peer to send to (for UAC scenarios). */
        public Sipp to(String host, int port) {
            this.remote = host + ":" + port;
            return this;
        }

        public Sipp localPort(int port) {
            this.localPort = port;
            return this;
        }

        public int localPort() {
            return localPort;
        }

        /** The local address sipp binds (-i), 127.0.0.1 unless set: another loopback address is another peer. */
        public Sipp localIp(String ip) {
            this.localIp = ip;
            return this;
        }

        /** Number of calls (-m). */
        public Sipp calls(int n) {
            this.calls = n;
            return this;
        }

        /** Global sipp timeout in seconds; the JVM kills it a few seconds after. */
        public Sipp timeoutSeconds(int s) {
            this.timeoutS = s;
            return this;
        }

        /** Any other sipp option, e.g. {@code option("-s", "1004")} or {@code option("-key", "k", "v")}. */
        public Sipp option(String... more) {
            args.addAll(List.of(more));
            return this;
        }

        public Sipp start() {
            try {
                dir = Files.createTempDirectory("sipp");
                List<String> cmd = new ArrayList<>(List.of("sipp"));
                if (remote != null) {
                    cmd.add(remote);
                }
                cmd.addAll(args);
                cmd.addAll(List.of("-i", localIp, "-p", Integer.toString(localPort), "-m", Integer.toString(calls),
                        "-timeout", timeoutS + "s", "-timeout_error", "-nostdin", "-trace_err", "-error_file",
                        dir.resolve("errors.log").toString(), "-trace_stat", "-stf", dir.resolve("stat.csv").toString(),
                        "-fd", "1"));
                process = new ProcessBuilder(cmd).directory(dir.toFile())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
                return this;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start sipp", e);
            }
        }

        /** Waits for the end (bounded) and returns the result. */
        public Result await() {
            try {
                if (!process.waitFor(timeoutS + 10L, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    return result(-2);
                }
                return result(process.exitValue());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                return result(-3);
            }
        }

        public Result run() {
            return start().await();
        }

        private Result result(int exit) {
            long ok = -1;
            long failed = -1;
            try {
                List<String> stat = Files.exists(dir.resolve("stat.csv"))
                        ? Files.readAllLines(dir.resolve("stat.csv"), StandardCharsets.UTF_8) : List.of();
                if (stat.size() >= 2) {
                    String[] head = stat.get(0).split(";");
                    String[] last = stat.get(stat.size() - 1).split(";");
                    for (int i = 0; i < head.length && i < last.length; i++) {
                        if (head[i].equals("SuccessfulCall(C)")) {
                            ok = Long.parseLong(last[i].trim());
                        } else if (head[i].equals("FailedCall(C)")) {
                            failed = Long.parseLong(last[i].trim());
                        }
                    }
                }
                String out = read(dir.resolve("out.log")) + read(dir.resolve("errors.log"));
                return new Result(exit, ok, failed, out);
            } catch (IOException | NumberFormatException e) {
                return new Result(exit, ok, failed, "could not read sipp output: " + e);
            }
        }

        private static String read(Path p) throws IOException {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
        }
    }

    /**
     * @param exitCode sipp's exit code (see class comment); -2 if it had to be killed
     * @param successfulCalls from the statistics file, -1 if unknown
     * @param failedCalls from the statistics file, -1 if unknown
     * @param output sipp's console output and error log, for assertion messages
     */
    public record Result(int exitCode, long successfulCalls, long failedCalls, String output) {
        public boolean succeeded() {
            return exitCode == 0;
        }

        @Override
        public String toString() {
            return "sipp exit " + exitCode + ", ok " + successfulCalls + ", failed " + failedCalls + "\n" + output;
        }
    }
}
