package org.tandem.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bin/tandem-load}: calls per second of the whole gateway against its two baselines, in one
 * run. For each target (the gateway on N simulated spans, a bare JAIN-SIP RI UAS, {@code sipp -sn
 * uas}) sipp offers each rate of the ramp for a step of S seconds (calls held H ms, ended by BYE),
 * one sipp run per step; a row per step gives offered and achieved CPS, completed, failed, setup
 * time p50/p99/max, the target's CPU, sipp's CPU, the machine's and the heap after GC. The knee is
 * the highest rate with every call completed and setup p99 within the bound; the ramp of a target
 * stops at the first step past it. Then, optionally, heap per call (N calls up against none) and a
 * soak at a fixed rate.
 */
public final class LoadCli {
    static final String USAGE = """
            usage: tandem-load [options]
              --spans N           simulated E1 spans of the gateway (30 B-channels each)    [32]
              --rates LIST        offered calls/s of the ramp, ascending, comma-separated  [100,200,400,700,1000,1500,2000,3000]
              --step-s S          seconds each rate is offered                              [5]
              --hold-ms H         call hold time (answer to BYE)                            [500]
              --targets LIST      gateway,ri,sipp (ri: bare JAIN-SIP UAS)                   [gateway,ri,sipp]
              --warmup-s S        before each ramp, half its first rate for S s, not judged  [4]
              --knee-p99-ms M     a step with setup p99 above M ms is past the knee         [200]
              --memory-calls N    heap per call: N calls up against none (0: skip)          [0]
              --soak-s S          after the ramp, gateway at --soak-rate for S s (0: skip)   [0]
              --soak-rate R       calls/s of the soak (0: half the gateway's knee)          [0]
              --sipp PATH         sipp binary                                               [sipp]
              --work DIR          where sipp's files, the INI, CDRs and the log go          [a new temp dir]
            """;

    private final Map<String, String> opt = new LinkedHashMap<>();
    private final PrintStream out;
    private Path work;
    private Path scenario;
    private String sipp;
    private final List<String> rows = new ArrayList<>();
    private final Map<String, Integer> knees = new LinkedHashMap<>();
    /** The last step's CPU per call by thread group (in-process targets), printed under its row. */
    private String lastThreads = "";

    private LoadCli(PrintStream out) {
        this.out = out;
        opt.put("spans", "32");
        opt.put("rates", "100,200,400,700,1000,1500,2000,3000");
        opt.put("step-s", "5");
        opt.put("hold-ms", "500");
        opt.put("targets", "gateway,ri,sipp");
        opt.put("knee-p99-ms", "200");
        opt.put("warmup-s", "4");
        opt.put("memory-calls", "0");
        opt.put("soak-s", "0");
        opt.put("soak-rate", "0");
        opt.put("sipp", "sipp");
        opt.put("work", "");
    }

    public static void main(String[] args) throws Exception {
        int rc = run(args, System.out);
        System.out.flush();
        // JAIN-SIP's timer threads are not daemons and outlive the stacks.
        System.exit(rc);
    }

    /**
     * Runs the harness with these arguments, printing to {@code out}; returns 0 when every target's
     * lowest rate passed, 1 when one failed there, 2 on a bad option.
     */
    public static int run(String[] args, PrintStream out) throws Exception {
        LoadCli cli = new LoadCli(out);
        try {
            if (!cli.parse(args)) {
                out.print(USAGE);
                return 0;
            }
            return cli.run();
        } catch (IllegalArgumentException e) {
            out.println("tandem-load: " + e.getMessage());
            out.print(USAGE);
            return 2;
        }
    }

    /** False for --help. */
    private boolean parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                return false;
            }
            if (!a.startsWith("--") || !opt.containsKey(a.substring(2))) {
                throw new IllegalArgumentException("unknown option " + a);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            opt.put(a.substring(2), args[++i]);
        }
        int spans = intOpt("spans");
        if (spans < 1 || spans > 128) {
            throw new IllegalArgumentException("--spans must be 1..128, got " + spans);
        }
        for (String t : opt.get("targets").split(",")) {
            if (!List.of("gateway", "ri", "sipp").contains(t.trim())) {
                throw new IllegalArgumentException("--targets: unknown target '" + t + "' (gateway, ri, sipp)");
            }
        }
        rates();
        return true;
    }

    private int intOpt(String k) {
        try {
            return Integer.parseInt(opt.get(k).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + k + " must be a whole number, got '" + opt.get(k) + "'");
        }
    }

    private double doubleOpt(String k) {
        try {
            return Double.parseDouble(opt.get(k).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + k + " must be a number, got '" + opt.get(k) + "'");
        }
    }

    private int[] rates() {
        try {
            int[] r = Arrays.stream(opt.get("rates").split(",")).map(String::trim).mapToInt(Integer::parseInt)
                    .toArray();
            for (int i = 0; i < r.length; i++) {
                if (r[i] < 1 || (i > 0 && r[i] <= r[i - 1])) {
                    throw new IllegalArgumentException("--rates must be positive and ascending: " + opt.get("rates"));
                }
            }
            return r;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--rates must be comma-separated whole numbers: " + opt.get("rates"));
        }
    }

    private int run() throws Exception {
        sipp = opt.get("sipp");
        work = opt.get("work").isEmpty() ? Files.createTempDirectory("tandem-load-") : Path.of(opt.get("work"));
        Files.createDirectories(work);
        // Before the first logger exists: the gateway's log goes to the work dir (logback-load.xml).
        System.setProperty("tandem.log.dir", work.toString());
        scenario = work.resolve("uac.xml");
        try (InputStream in = LoadCli.class.getResourceAsStream("/load/uac.xml")) {
            Files.copy(in, scenario, StandardCopyOption.REPLACE_EXISTING);
        }
        int spans = intOpt("spans");
        int hold = intOpt("hold-ms");
        double step = doubleOpt("step-s");
        out.printf(Locale.ROOT, "tandem-load %s: %d spans (%d B-channels), hold %d ms, %.0f s per step, "
                + "knee = highest rate with 0 failed and setup p99 <= %s ms%n", Instant.now(), spans, spans * 30, hold,
                step, opt.get("knee-p99-ms"));
        out.printf(Locale.ROOT, "machine: %d CPUs, load average %s; work dir %s%n",
                Runtime.getRuntime().availableProcessors(), Jvm.loadAverage(), work);
        out.println(header());
        boolean failed = false;
        List<String> targets = Arrays.stream(opt.get("targets").split(",")).map(String::trim).toList();
        GatewayTarget gw = null;
        try {
            if (targets.contains("gateway")) {
                gw = new GatewayTarget(spans, work);
                idle(gw);
                try (RtpEcho echo = new RtpEcho()) {
                    failed |= ramp(gw, echo.port());
                    if (intOpt("memory-calls") > 0) {
                        memory(gw, echo.port(), intOpt("memory-calls"));
                    }
                    if (intOpt("soak-s") > 0) {
                        soak(gw, echo.port());
                    }
                } finally {
                    gw.close();
                }
            }
            if (targets.contains("ri")) {
                try (BareUas ri = new BareUas()) {
                    failed |= ramp(ri, 40000);
                }
            }
            if (targets.contains("sipp")) {
                try (SippUas uas = new SippUas(sipp, work)) {
                    failed |= ramp(uas, 40000);
                }
            }
        } finally {
            summary();
        }
        return failed ? 1 : 0;
    }

    private static String header() {
        return String.format(Locale.ROOT, "%-13s %7s %8s %7s %7s %6s %9s %7s %7s %7s %8s %6s %6s %7s %6s",
                "target", "offered", "achieved", "calls", "ok", "failed", "setup p50", "p99", "max", "CPU",
                "CPU/call", "sipp", "box", "heap", "trans");
    }

    /** Ramps one target; true when its lowest rate already failed (the harness itself is broken). */
    private boolean ramp(Target t, int rtpPort) throws Exception {
        int[] rates = rates();
        double step = doubleOpt("step-s");
        int hold = intOpt("hold-ms");
        long bound = intOpt("knee-p99-ms");
        int knee = 0;
        boolean firstFailed = false;
        if (doubleOpt("warmup-s") > 0) {
            // The JIT compiles the SIP and call paths during the first seconds: not the knee's business.
            Row w = step(t, rtpPort, Math.max(1, rates[0] / 2), doubleOpt("warmup-s"), hold);
            print(t, w, "  (warm-up, not judged)");
        }
        for (int i = 0; i < rates.length; i++) {
            Row row = step(t, rtpPort, rates[i], step, hold);
            boolean ok = row.r.failed() == 0 && row.r.completed() == row.r.attempted() && row.r.p99Ms() <= bound;
            print(t, row, ok ? "" : "  <- past the knee" + (row.r.firstError() != null
                    ? ": " + row.r.firstError() : ""));
            if (!ok) {
                firstFailed = i == 0 && row.r.failed() > 0;
                break;
            }
            knee = rates[i];
        }
        knees.put(t.name(), knee);
        return firstFailed;
    }

    private record Row(SippStep.Result r, double cpuPct, double cpuUsPerCall, double sippPct, double boxPct,
            long heap, long transactions) {
    }

    private Row step(Target t, int rtpPort, int rate, double seconds, int hold) throws Exception {
        boolean inProcess = !(t instanceof SippUas);
        Map<String, Long> threads0 = inProcess ? Jvm.threadCpuByGroup() : Map.of();
        long cpu0 = t.cpuNanos();
        long sipp0 = Jvm.childrenCpuNanos();
        long[] box0 = Jvm.machineJiffies();
        SippStep.Result r = SippStep.run(sipp, scenario, t.sipPort(), rtpPort, rate, seconds, hold, work,
                t.name().replaceAll("[^a-z]", ""));
        long cpu = t.cpuNanos() - cpu0;
        lastThreads = "";
        if (inProcess && r.completed() > 0) {
            Map<String, Long> threads1 = Jvm.threadCpuByGroup();
            StringBuilder b = new StringBuilder("    CPU per call by thread (us):");
            threads1.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - threads0.getOrDefault(e.getKey(), 0L)))
                    .filter(e -> e.getValue() / 1000 / r.completed() > 0)
                    .sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                    .forEach(e -> b.append(' ').append(e.getKey()).append(' ')
                            .append(e.getValue() / 1000 / r.completed()));
            lastThreads = b.toString();
        }
        long sippCpu = Jvm.childrenCpuNanos() - sipp0;
        long[] box1 = Jvm.machineJiffies();
        long trans = t.transactions();
        long heap = t.heapAfterGc();
        double wall = r.wallSeconds() * 1e9;
        double boxPct = box1[1] > box0[1] ? 100.0 * (box1[0] - box0[0]) / (box1[1] - box0[1]) : 0;
        return new Row(r, 100.0 * cpu / wall, r.completed() > 0 ? cpu / 1000.0 / r.completed() : 0,
                100.0 * sippCpu / wall, boxPct, heap, trans);
    }

    private void print(Target t, Row row, String note) {
        SippStep.Result r = row.r;
        String line = String.format(Locale.ROOT,
                "%-13s %7d %8.0f %7d %7d %6d %6s ms %7s %7s %6.0f%% %5.0f us %5.0f%% %5.0f%% %7s %6s%s",
                t.name(), r.offered(), r.achievedRate(), r.attempted(), r.completed(), r.failed(), ms(r.p50Ms()),
                ms(r.p99Ms()), ms(r.maxMs()), row.cpuPct, row.cpuUsPerCall, row.sippPct, row.boxPct,
                row.heap < 0 ? "-" : (row.heap >> 20) + " MB", row.transactions < 0 ? "-" : row.transactions, note);
        rows.add(line);
        out.println(line);
        if (!lastThreads.isEmpty()) {
            out.println(lastThreads);
        }
    }

    private static String ms(long v) {
        return v < 0 ? "-" : Long.toString(v);
    }

    private void summary() {
        if (knees.isEmpty()) {
            return;
        }
        out.println();
        out.println("knee (highest offered calls/s with 0 failed and setup p99 <= " + opt.get("knee-p99-ms") + " ms):");
        Integer g = knees.get("gateway");
        for (Map.Entry<String, Integer> e : knees.entrySet()) {
            String ratio = g != null && !e.getKey().equals("gateway") && e.getValue() > 0
                    ? String.format(Locale.ROOT, "   gateway / this = %.2f", g / (double) e.getValue()) : "";
            String top = e.getValue().equals(rates()[rates().length - 1]) ? " (the ramp's top: at least this)" : "";
            out.printf(Locale.ROOT, "  %-13s %6d/s%s%s%n", e.getKey(), e.getValue(), top, ratio);
        }
        out.println("CPU: the target's process (gateway and bare UAS run in this JVM, with the RTP echo), % of one core;"
                + " sipp: the sipp client's; box: all CPUs busy (100% = every core); heap: after GC at the step's end;"
                + " trans: SIP transactions still held then");
    }

    /** The gateway's CPU with no call: the simulated card's clock and the exchange tick every channel. */
    private void idle(GatewayTarget gw) throws InterruptedException {
        Thread.sleep(1000);
        long c0 = gw.cpuNanos();
        long t0 = System.nanoTime();
        Thread.sleep(3000);
        double pct = 100.0 * (gw.cpuNanos() - c0) / (System.nanoTime() - t0);
        String line = String.format(Locale.ROOT, "%-13s idle, no call: CPU %.0f%% of a core (the simulated card's"
                + " clock and the exchange serve all %d B-channels every 20 ms)", gw.name(), pct, intOpt("spans") * 30);
        rows.add(line);
        out.println(line);
    }

    /**
     * Heap per call: live bytes (class histogram after a full GC) with N calls up against none, just
     * after they ended (transactions linger: RFC 3261 timer J, 32 s over UDP) and once the stack
     * holds no transaction; the classes that grew most per call are listed. The histograms
     * (instances and bytes per class) are kept in the work dir, histogram-{none,up,up-settled,ended,after}.txt,
     * and only their totals in the heap while the next is taken.
     */
    private void memory(GatewayTarget gw, int rtpPort, int n) throws Exception {
        out.println();
        out.println("memory: " + n + " calls held; live heap from the class histogram after a full GC");
        waitForTransactions(gw, 0, 40);
        long b = Jvm.liveHistogramTo(work.resolve("histogram-none.txt"));
        int rate = 100;
        int setupMs = (int) (n * 1000L / rate);
        int holdMs = setupMs + 15000;
        SippStep.Result[] result = new SippStep.Result[1];
        Thread sippThread = new Thread(() -> {
            try {
                result[0] = SippStep.run(sipp, scenario, gw.sipPort(), rtpPort, rate, n / (double) rate, holdMs,
                        work, "memory");
            } catch (IOException | InterruptedException e) {
                out.println("  memory run failed: " + e);
            }
        }, "memory-sipp");
        long startNs = System.nanoTime();
        sippThread.start();
        // Wait until every call is answered (or the hold is nearly over).
        long deadline = System.nanoTime() + (holdMs - 3000) * 1_000_000L;
        int up = 0;
        while (System.nanoTime() < deadline) {
            up = (int) gw.gateway().model().snapshot().activeCalls().stream().filter(c -> c.call() != null
                    && c.call().answered()).count();
            if (up >= n) {
                break;
            }
            Thread.sleep(200);
        }
        long upTotal = Jvm.liveHistogramTo(work.resolve("histogram-up.txt"));
        long upTrans = gw.transactions();
        // The same calls once their INVITE transactions have ended (the RI keeps one 8 s after the
        // 2xx): what a call holds for the rest of its life, before the first BYE.
        long quietDeadline = startNs + (holdMs - 2500) * 1_000_000L;
        while (gw.transactions() > 0 && System.nanoTime() < quietDeadline) {
            Thread.sleep(200);
        }
        long quietTrans = gw.transactions();
        long quietTotal = Jvm.liveHistogramTo(work.resolve("histogram-up-settled.txt"));
        sippThread.join();
        long endTrans = gw.transactions();
        long endTotal = Jvm.liveHistogramTo(work.resolve("histogram-ended.txt"));
        out.printf(Locale.ROOT, "  no call: %.1f MB live; %d calls up: %.1f MB (%d SIP transactions) = %.1f KB per call%n",
                b / 1048576.0, up, upTotal / 1048576.0, upTrans, (upTotal - b) / 1024.0 / Math.max(1, up));
        out.printf(Locale.ROOT, "  the same calls up once their INVITE transactions ended: %.1f MB (%d transactions) = %.1f KB per call%n",
                quietTotal / 1048576.0, quietTrans, (quietTotal - b) / 1024.0 / Math.max(1, up));
        out.printf(Locale.ROOT, "  just after they ended: %.1f MB (%d transactions) = %.1f KB per ended call%n",
                endTotal / 1048576.0, endTrans, (endTotal - b) / 1024.0 / n);
        int waited = waitForTransactions(gw, 0, 40);
        long afterTotal = Jvm.liveHistogramTo(work.resolve("histogram-after.txt"));
        out.printf(Locale.ROOT, "  %d s later, %d transactions: %.1f MB (%+.2f KB per call against none)%n", waited,
                gw.transactions(), afterTotal / 1048576.0, (afterTotal - b) / 1024.0 / n);
        if (result[0] != null) {
            out.printf(Locale.ROOT, "  the memory run: %d calls, %d completed, %d failed%n", result[0].attempted(),
                    result[0].completed(), result[0].failed());
        }
        out.println("  per call up, by class (bytes, largest first):");
        Map<String, Long> base = Jvm.readHistogram(work.resolve("histogram-none.txt"));
        printGrowth(base, Jvm.readHistogram(work.resolve("histogram-up.txt")), Math.max(1, up), 20);
        out.println("  per call left once the calls and transactions are gone (bytes, largest first):");
        printGrowth(base, Jvm.readHistogram(work.resolve("histogram-after.txt")), n, 8);
    }

    private void printGrowth(Map<String, Long> base, Map<String, Long> now, int calls, int limit) {
        now.entrySet().stream().filter(e -> !e.getKey().isEmpty())
                .map(e -> Map.entry(e.getKey(), e.getValue() - base.getOrDefault(e.getKey(), 0L)))
                .sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(limit)
                .forEach(e -> out.printf(Locale.ROOT, "    %8.0f  %s%n", e.getValue() / (double) calls, e.getKey()));
    }

    private static int waitForTransactions(Target t, long atMost, int seconds) throws InterruptedException {
        int s = 0;
        while (s < seconds && t.transactions() > atMost) {
            Thread.sleep(1000);
            s++;
        }
        return s;
    }

    /** The gateway at a fixed rate in 30 s chunks: one row per chunk, the heap after GC must not grow. */
    private void soak(GatewayTarget gw, int rtpPort) throws Exception {
        int rate = intOpt("soak-rate");
        Integer knee = knees.get("gateway");
        if (rate <= 0) {
            rate = Math.max(10, (knee == null ? 200 : knee) / 2);
        }
        int total = intOpt("soak-s");
        out.println();
        out.printf(Locale.ROOT, "soak: gateway at %d calls/s for %d s in 30 s chunks%n", rate, total);
        out.println(header());
        for (int done = 0; done < total; done += 30) {
            Row row = step(gw, rtpPort, rate, Math.min(30, total - done), intOpt("hold-ms"));
            print(gw, row, row.r.failed() > 0 ? "  <- failures: " + row.r.firstError() : "");
        }
    }
}
