package org.tandem.bench.load;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One sipp client run: {@code rate} calls per second for {@code seconds}, each held {@code holdMs}
 * and ended by BYE, against 127.0.0.1:{@code port}. Counts come from sipp's statistics file, setup
 * times (INVITE sent to 200 received, sipp's rtd 1, in whole milliseconds) from its rtt file.
 */
final class SippStep {
    /** What one run produced. */
    record Result(int offered, int attempted, long completed, long failed, double achievedRate, long p50Ms,
            long p99Ms, long maxMs, double wallSeconds, String firstError) {
    }

    private SippStep() {
    }

    static Result run(String sipp, Path scenario, int port, int rtpPort, int rate, double seconds, int holdMs,
            Path workRoot, String label) throws IOException, InterruptedException {
        int calls = Math.max(1, (int) Math.round(rate * seconds));
        Path dir = Files.createTempDirectory(workRoot, label + "-" + rate + "cps-");
        Path stat = dir.resolve("stat.csv");
        long timeoutS = (long) Math.ceil(seconds + holdMs / 1000.0 + 45);
        List<String> cmd = new ArrayList<>(Arrays.asList(sipp, "-sf", scenario.toString(),
                "-key", "rtpport", Integer.toString(rtpPort), "-s", "1000",
                "-r", Integer.toString(rate), "-rp", "1000", "-m", Integer.toString(calls),
                "-d", Integer.toString(holdMs), "-l", "10000",
                "-i", "127.0.0.1", "-p", Integer.toString(FreeUdp.port()),
                "-nostdin", "-trace_rtt", "-rtt_freq", "1", "-trace_stat", "-stf", stat.toString(), "-fd", "1",
                "-trace_err", "-recv_timeout", "10000", "-timeout", timeoutS + "s", "-timeout_error",
                "127.0.0.1:" + port));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sipp.out").toFile()).start();
        if (!p.waitFor(timeoutS + 15, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        Map<String, String> last = lastStats(stat);
        long completed = parse(last.get("SuccessfulCall(C)"));
        long failed = parse(last.get("FailedCall(C)"));
        long attempted = parse(last.get("OutgoingCall(C)"));
        long[] setup = setupTimes(dir);
        double achieved = achievedRate(dir, attempted);
        long p50 = percentile(setup, 50);
        long p99 = percentile(setup, 99);
        long max = setup.length == 0 ? -1 : setup[setup.length - 1];
        // sipp's exit code: 0 all calls succeeded, 1 at least one failed, others: it could not run.
        String err = p.exitValue() > 1 ? "sipp exit " + p.exitValue() + ", see " + dir.resolve("sipp.out") : null;
        if (failed > 0 || attempted < calls) {
            failed = Math.max(failed, calls - completed);
            err = firstError(dir);
        }
        return new Result(rate, calls, completed, failed, achieved, p50, p99, max, wall, err);
    }

    private static long parse(String s) {
        if (s == null || s.isBlank()) {
            return 0;
        }
        return Long.parseLong(s.trim());
    }

    private static Map<String, String> lastStats(Path stat) throws IOException {
        Map<String, String> m = new TreeMap<>();
        if (!Files.exists(stat)) {
            return m;
        }
        List<String> lines = Files.readAllLines(stat);
        if (lines.size() < 2) {
            return m;
        }
        String[] head = lines.get(0).split(";");
        String[] row = lines.get(lines.size() - 1).split(";");
        for (int i = 0; i < head.length && i < row.length; i++) {
            m.put(head[i], row[i]);
        }
        return m;
    }

    /** Setup times in ms, sorted. */
    private static long[] setupTimes(Path dir) throws IOException {
        try (Stream<String> lines = rttLines(dir)) {
            return lines.map(l -> l.split(";")).filter(f -> f.length >= 2)
                    .mapToLong(f -> Math.round(Double.parseDouble(f[1]))).sorted().toArray();
        }
    }

    /** Calls per second between the first and last answered call (sipp's rtt dates, ms since its start). */
    private static double achievedRate(Path dir, long attempted) throws IOException {
        double[] dates;
        try (Stream<String> lines = rttLines(dir)) {
            dates = lines.map(l -> l.split(";")).filter(f -> f.length >= 2)
                    .mapToDouble(f -> Double.parseDouble(f[0])).sorted().toArray();
        }
        if (dates.length < 2 || dates[dates.length - 1] <= dates[0]) {
            return 0;
        }
        return (dates.length - 1) / ((dates[dates.length - 1] - dates[0]) / 1000.0);
    }

    private static Stream<String> rttLines(Path dir) throws IOException {
        File[] files = dir.toFile().listFiles((d, n) -> n.endsWith("_rtt.csv"));
        if (files == null || files.length == 0) {
            return Stream.empty();
        }
        return Files.lines(files[0].toPath()).skip(1);
    }

    private static String firstError(Path dir) {
        File[] files = dir.toFile().listFiles((d, n) -> n.endsWith("_errors.log"));
        try {
            if (files != null && files.length > 0) {
                try (Stream<String> lines = Files.lines(files[0].toPath())) {
                    String s = lines.filter(l -> !l.isBlank()).findFirst().orElse("");
                    return s.length() > 160 ? s.substring(0, 160) : s + " (" + files[0] + ")";
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return "cannot read " + files[0] + ": " + e.getMessage();
        }
        return "see " + dir;
    }

    static long percentile(long[] sorted, double pct) {
        if (sorted.length == 0) {
            return -1;
        }
        int i = (int) Math.ceil(pct / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
