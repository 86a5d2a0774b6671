package org.tandem.bench.media.cli;

import io.netty.channel.unix.Socket;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.tandem.config.ConfigLoader;
import org.tandem.config.GatewayConfig;
import org.tandem.config.LoadResult;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.ops.CallDirection;
import org.tandem.gateway.ops.GatewayModel;
import org.tandem.testing.net.FreePorts;

/**
 * Overload control measured (docs/SECURITY.md "Overload control", docs/BENCHMARKS.md): the gateway
 * in-process on the shipped configuration (two simulated E1 spans, the simulated exchange, default
 * {@code [overload]}), a real sipp UAC on loopback calling the loop-around line with RTP echoed
 * back. A ramp of call rates, {@code stepSeconds} each, finds the knee (the last rate whose
 * goodput, calls answered per second, is at least 90% of the rate offered; after an uncounted warm-up step); then 2x the knee for
 * {@code floodSeconds}. Reported per step: goodput, INVITEs shed (503 by overload control), the
 * share of INVITEs answered by a 100 Trying within 200 ms among those that got one (sipp's
 * -trace_rtt), OPTIONS answered (one every 100 ms from another socket, answered within 1 s), span
 * write underruns inside answered calls; after the flood, the heap after a GC at once and after
 * 2 x 64 x T1 (64 s), against the baseline before the ramp.
 *
 * <pre>
 * bin/bench-overload [startRate step maxRate stepSeconds floodSeconds holdMs]
 * </pre>
 */
public final class OverloadLoad {
    private OverloadLoad() {
    }

    record Step(int rate, double seconds, double goodput, long shed, long trying, long tryingIn200, long options,
            long optionsAnswered, long underruns, long judged) {
        String line() {
            return String.format("%4d/s offered  goodput %6.1f/s  shed %5d  100<=200ms %5.1f%% (%d of %d)  "
                            + "OPTIONS %5.1f%% (%d of %d)  underruns in calls %d of %d frames", rate, goodput, shed,
                    trying == 0 ? 0 : 100.0 * tryingIn200 / trying, tryingIn200, trying,
                    options == 0 ? 0 : 100.0 * optionsAnswered / options, optionsAnswered, options, underruns, judged);
        }
    }

    public static void main(String[] args) throws Exception {
        int start = arg(args, 0, 10);
        int step = arg(args, 1, 10);
        int max = arg(args, 2, 200);
        int stepSeconds = arg(args, 3, 10);
        int floodSeconds = arg(args, 4, 20);
        int holdMs = arg(args, 5, 1000);
        Path scenario = Path.of("gateway-core/src/test/resources/e2e/overload-call.xml");
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        int sipPort = FreePorts.udpPort();
        Path cdr = Files.createTempDirectory("tandem-overload-load");
        List<String> overrides = new ArrayList<>(List.of("sip.listen=127.0.0.1:" + sipPort,
                "rtp.ports=24000-25999", "snmp.listen=127.0.0.1:" + FreePorts.udpPort(), "cdr.dir=" + cdr,
                "registrar.bindings_file=" + cdr.resolve("bindings.txt"), "trunk.local.port=" + FreePorts.udpPort()));
        // e.g. -Dtandem.set=overload.channels_busy_percent=95,overload.enabled=no
        for (String o : System.getProperty("tandem.set", "").split(",")) {
            if (!o.isBlank()) {
                overrides.add(o.trim());
            }
        }
        LoadResult r = ConfigLoader.load(Path.of("conf/tandem.ini"), overrides);
        if (!r.ok()) {
            throw new IllegalStateException(r.errorReport());
        }
        GatewayConfig config = r.orThrow();
        System.out.printf("machine: %d cores, load average %.2f; [overload] %s%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), config.overload());
        try (Gateway gateway = Gateway.start(config, Gateway.Options.defaults(), () -> Optional.of(config))) {
            Thread.sleep(3_000); // D-channels up
            Socket rtp = Socket.newSocketDgram();
            rtp.bind(new InetSocketAddress("127.0.0.1", 0));
            SippMediaLoad.Echo echo = new SippMediaLoad.Echo(rtp);
            daemon(echo, "rtp-echo");
            SippMediaLoad.Underruns underruns = new SippMediaLoad.Underruns(gateway.simCard(), gateway.model());
            daemon(underruns, "underrun-sampler");
            Options options = new Options(sipPort);
            daemon(options, "options-prober");
            // warm-up (JIT, first calls on every channel), not counted
            System.out.println("warm-up " + run(gateway.model(), scenario, sipPort, echo.port(), start, stepSeconds,
                    holdMs, options, underruns).line());
            settle(gateway);
            long heap0 = heapAfterGc();

            List<Step> ramp = new ArrayList<>();
            int knee = 0;
            double peak = 0;
            for (int rate = start; rate <= max; rate += step) {
                Step s = run(gateway.model(), scenario, sipPort, echo.port(), rate, stepSeconds, holdMs, options,
                        underruns);
                ramp.add(s);
                System.out.println("ramp  " + s.line());
                peak = Math.max(peak, s.goodput());
                if (s.goodput() >= 0.9 * rate) {
                    knee = rate;
                } else {
                    break;
                }
                settle(gateway);
            }
            settle(gateway);
            int floodRate = 2 * Math.max(knee, start);
            Step flood = run(gateway.model(), scenario, sipPort, echo.port(), floodRate, floodSeconds, holdMs, options,
                    underruns);
            System.out.println("flood " + flood.line());
            long heapAfter = heapAfterGc();
            Thread.sleep(64_000); // 2 x 64 x T1
            long heapLater = heapAfterGc();
            System.out.printf("knee %d/s, peak goodput %.1f/s; at 2x the knee (%d/s) goodput %.1f/s = %.0f%% of peak%n",
                    knee, peak, floodRate, flood.goodput(), peak == 0 ? 0 : 100 * flood.goodput() / peak);
            System.out.printf("heap after GC: before %d MB, right after the flood %d MB, 64 s later %d MB; "
                            + "live calls then %d; INVITEs shed in all %d%n", heap0 >> 20, heapAfter >> 20,
                    heapLater >> 20, gateway.model().snapshot().activeCalls().size(),
                    gateway.model().inviteAdmission().rejected());
            options.running = false;
            echo.running = false;
            underruns.running = false;
            rtp.close();
        }
        System.exit(0); // JAIN-SIP's EventScannerThread is not a daemon
    }

    private static Step run(GatewayModel model, Path scenario, int sipPort, int rtpPort, int rate, int seconds,
            int holdMs, Options options, SippMediaLoad.Underruns underruns) throws Exception {
        long answered0 = model.counters().answered(CallDirection.SIP_TO_PSTN);
        long shed0 = model.inviteAdmission().rejected();
        long opt0 = options.sent.get();
        long ans0 = options.answered.get();
        long under0 = underruns.inCalls;
        long judged0 = underruns.judgedIntervals;
        Path dir = Files.createTempDirectory("sipp-overload");
        long t0 = System.nanoTime();
        Process sipp = new ProcessBuilder("sipp", "-sf", scenario.toAbsolutePath().toString(), "-key", "rtpport",
                Integer.toString(rtpPort), "-s", "1000", "-r", Integer.toString(rate), "-m",
                Integer.toString(rate * seconds), "-d", Integer.toString(holdMs), "-i", "127.0.0.1", "-p",
                Integer.toString(FreePorts.udpPort()), "-nostdin", "-timeout", (seconds + 60) + "s", "-trace_rtt",
                "-rtt_freq", "1", "127.0.0.1:" + sipPort).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.log").toFile()).start();
        sipp.waitFor(seconds + 90L, TimeUnit.SECONDS);
        sipp.destroyForcibly();
        double secs = (System.nanoTime() - t0) / 1e9;
        // the calls of the step: answered ones end holdMs after their answer; count to the end
        long answered = model.counters().answered(CallDirection.SIP_TO_PSTN) - answered0;
        long trying = 0;
        long in200 = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith("_rtt.csv")).toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.US_ASCII)) {
                    String[] c = line.split(";");
                    if (c.length >= 2 && !c[0].startsWith("Date")) {
                        trying++;
                        if (Double.parseDouble(c[1].trim()) <= 200) {
                            in200++;
                        }
                    }
                }
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
        return new Step(rate, secs, answered / (double) seconds, model.inviteAdmission().rejected() - shed0, trying,
                in200, options.sent.get() - opt0, options.answered.get() - ans0, underruns.inCalls - under0,
                underruns.judgedIntervals - judged0);
    }

    /** Waits until the previous step's calls have ended (bounded). */
    private static void settle(Gateway gateway) throws InterruptedException {
        for (int i = 0; i < 300 && !gateway.model().snapshot().activeCalls().isEmpty(); i++) {
            Thread.sleep(100);
        }
        Thread.sleep(1_000);
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static int arg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }

    /** An OPTIONS every 100 ms; counts those answered (any status) within 1 s. */
    static final class Options implements Runnable {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong answered = new AtomicLong();
        private final int port;
        volatile boolean running = true;

        Options(int port) {
            this.port = port;
        }

        @Override
        public void run() {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                s.setSoTimeout(1_000);
                byte[] buf = new byte[4096];
                for (long n = 0; running; n++) {
                    long t = System.nanoTime();
                    String req = "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + s.getLocalPort()
                            + ";branch=z9hG4bKopt" + n + "\r\nMax-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=o"
                            + n + "\r\nTo: <sip:127.0.0.1>\r\nCall-ID: opt-" + n + "@127.0.0.1\r\nCSeq: 1 OPTIONS\r\n"
                            + "Content-Length: 0\r\n\r\n";
                    byte[] b = req.getBytes(StandardCharsets.US_ASCII);
                    s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
                    sent.incrementAndGet();
                    String want = "opt-" + n + "@";
                    while (System.nanoTime() - t < 1_000_000_000L) {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        try {
                            s.receive(p);
                        } catch (java.net.SocketTimeoutException e) {
                            break;
                        }
                        if (new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII).contains(want)) {
                            answered.incrementAndGet();
                            break;
                        }
                    }
                    long left = 100_000_000L - (System.nanoTime() - t);
                    if (left > 0) {
                        TimeUnit.NANOSECONDS.sleep(left);
                    }
                }
            } catch (IOException | InterruptedException e) {
                // done
            }
        }
    }
}
