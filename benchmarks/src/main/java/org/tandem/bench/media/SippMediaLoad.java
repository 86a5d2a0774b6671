package org.tandem.bench.media;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.tandem.config.ConfigLoader;
import org.tandem.config.GatewayConfig;
import org.tandem.config.LoadResult;
import org.tandem.gateway.app.Gateway;
import org.tandem.tdm.sim.SimulatedCard;

/**
 * Media timing while sipp drives the real SIP side: the gateway started in-process on the shipped
 * configuration (two simulated E1 spans, the simulated exchange), sipp placing calls to the
 * exchange's loop-around line 1000, and one UDP socket standing for every caller's RTP endpoint:
 * it echoes each packet to where it came from (so audio flows both ways through the span) and
 * measures the gateway's RTP send jitter, |interval between two packets of a call - 20 ms|.
 * Span write underruns are read from the simulated card, counted only inside calls (an interval
 * counts for a channel when the gateway wrote blocks to it in that interval and in the ones on
 * either side: idle channels underrun all the time by design, and a call's last interval too).
 *
 * <pre>
 * java -Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:+UseZGC -Xlog:gc:file=gc.log \
 *     -cp benchmarks/target/benchmarks.jar org.tandem.bench.media.SippMediaLoad \
 *     conf/tandem.ini gateway-core/src/test/resources/e2e/call.xml 20 60 2000 3000
 * </pre>
 * Arguments: config, sipp scenario, calls/s (-r), concurrent calls (-l), calls (-m), hold ms (-d).
 */
public final class SippMediaLoad {
    private static final int SPANS = 2;
    private static final int[] E1_POSITIONS = e1Positions();
    private static final long SAMPLE_NS = 100_000_000L;

    private SippMediaLoad() {
    }

    private static int[] e1Positions() {
        int[] p = new int[30];
        for (int i = 0, ts = 1; i < 30; ts++) {
            if (ts != 16) {
                p[i++] = ts;
            }
        }
        return p;
    }

    private static int freePort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public static void main(String[] args) throws Exception {
        Path configFile = Path.of(args.length > 0 ? args[0] : "conf/tandem.ini");
        Path scenario = Path.of(args.length > 1 ? args[1] : "gateway-core/src/test/resources/e2e/call.xml");
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int limit = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        int calls = args.length > 4 ? Integer.parseInt(args[4]) : 2000;
        int holdMs = args.length > 5 ? Integer.parseInt(args[5]) : 3000;
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);

        int sipPort = freePort();
        Path cdr = Files.createTempDirectory("tandem-sipp-load");
        LoadResult r = ConfigLoader.load(configFile, List.of(
                "sip.listen=127.0.0.1:" + sipPort,
                "rtp.ports=46000-47999",
                "snmp.listen=127.0.0.1:" + freePort(),
                "cdr.dir=" + cdr,
                "trunk.local.port=" + freePort()));
        if (!r.ok()) {
            throw new IllegalStateException(r.errorReport());
        }
        GatewayConfig config = r.orThrow();
        try (Gateway gateway = Gateway.start(config, Gateway.Options.defaults(), () -> Optional.of(config));
             DatagramChannel rtp = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            SimulatedCard card = gateway.simCard();
            Echo echo = new Echo(rtp);
            Thread echoThread = new Thread(echo, "rtp-echo");
            echoThread.setDaemon(true);
            echoThread.start();
            Underruns underruns = new Underruns(card);
            Thread sampler = new Thread(underruns, "underrun-sampler");
            sampler.setDaemon(true);
            sampler.start();

            int rtpPort = ((InetSocketAddress) rtp.getLocalAddress()).getPort();
            File sippOut = File.createTempFile("sipp", ".log");
            Process sipp = new ProcessBuilder("sipp", "-sf", scenario.toString(), "-key", "rtpport",
                    Integer.toString(rtpPort), "-s", "1000", "-r", Integer.toString(rate), "-l", Integer.toString(limit),
                    "-m", Integer.toString(calls), "-d", Integer.toString(holdMs), "-i", "127.0.0.1",
                    "-p", Integer.toString(freePort()), "-nostdin", "-timeout", "600s", "-timeout_error",
                    "-trace_screen", "-screen_file", sippOut.getPath(), "127.0.0.1:" + sipPort)
                    .redirectErrorStream(true).redirectOutput(File.createTempFile("sipp", ".out")).start();
            long t0 = System.nanoTime();
            int exit = sipp.waitFor() ;
            double seconds = (System.nanoTime() - t0) / 1e9;
            TimeUnit.MILLISECONDS.sleep(500);
            echo.running = false;
            underruns.running = false;
            sampler.join(2000);

            Histogram j = echo.jitterUs;
            System.out.printf("sipp exit %d after %.1f s (%d calls at %d/s, %d at once, %d ms each); screen: %s%n",
                    exit, seconds, calls, rate, limit, holdMs, sippOut);
            System.out.printf("RTP packets from the gateway: %d; send jitter |interval-20ms| us: p50 %d p99 %d "
                            + "p99.9 %d max %d%n", j.getTotalCount(), j.getValueAtPercentile(50),
                    j.getValueAtPercentile(99), j.getValueAtPercentile(99.9), j.getMaxValue());
            System.out.printf("span write underruns inside calls: %d (in %d channel-intervals of 100 ms with "
                    + "a call)%n", underruns.inCalls, underruns.activeIntervals);
            System.out.println("CDRs in " + cdr);
        }
    }

    /** One socket for every caller: echoes RTP back and measures per-source packet intervals. */
    private static final class Echo implements Runnable {
        final Histogram jitterUs = new Histogram(1, 10_000_000, 3);
        private final DatagramChannel socket;
        private final long[] lastArrivalNs = new long[65536];
        volatile boolean running = true;

        Echo(DatagramChannel socket) {
            this.socket = socket;
        }

        @Override
        public void run() {
            ByteBuffer buf = ByteBuffer.allocateDirect(2048);
            try {
                socket.configureBlocking(true);
                while (running) {
                    buf.clear();
                    InetSocketAddress from = (InetSocketAddress) socket.receive(buf);
                    long now = System.nanoTime();
                    int port = from.getPort();
                    long last = lastArrivalNs[port];
                    // A gap over 100 ms is a new call on a reused port, not jitter.
                    if (last != 0 && now - last < 100_000_000L) {
                        jitterUs.recordValue(Math.abs(now - last - 20_000_000L) / 1000 + 1);
                    }
                    lastArrivalNs[port] = now;
                    buf.flip();
                    socket.send(buf, from);
                }
            } catch (IOException e) {
                if (running) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** Samples the card's per-channel counters every 100 ms; see the class comment. */
    private static final class Underruns implements Runnable {
        private final SimulatedCard card;
        private final int n = SPANS * E1_POSITIONS.length;
        /** Samples k = 0..3 of the last four; interval (1, 2) is judged once (0, 1) and (2, 3) are known. */
        private final long[][] received = new long[4][n];
        private final long[][] under = new long[4][n];
        volatile boolean running = true;
        volatile long inCalls;
        volatile long activeIntervals;

        Underruns(SimulatedCard card) {
            this.card = card;
        }

        private void sample(long[] rx, long[] un) {
            for (int s = 0; s < SPANS; s++) {
                for (int i = 0; i < E1_POSITIONS.length; i++) {
                    rx[s * 30 + i] = card.blocksReceived(s + 1, E1_POSITIONS[i]);
                    un[s * 30 + i] = card.writeUnderruns(s + 1, E1_POSITIONS[i]);
                }
            }
        }

        @Override
        public void run() {
            for (int k = 0; k < 3; k++) {
                sample(received[k], under[k]);
                java.util.concurrent.locks.LockSupport.parkNanos(SAMPLE_NS);
            }
            long next = System.nanoTime();
            while (running) {
                next += SAMPLE_NS;
                java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
                sample(received[3], under[3]);
                for (int c = 0; c < n; c++) {
                    if (received[1][c] > received[0][c] && received[2][c] > received[1][c]
                            && received[3][c] > received[2][c]) {
                        activeIntervals++;
                        inCalls += under[2][c] - under[1][c];
                    }
                }
                long[] t = received[0];
                received[0] = received[1];
                received[1] = received[2];
                received[2] = received[3];
                received[3] = t;
                t = under[0];
                under[0] = under[1];
                under[1] = under[2];
                under[2] = under[3];
                under[3] = t;
            }
        }
    }
}
