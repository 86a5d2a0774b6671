package org.tandem.bench.media.cli;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import com.sun.jna.Memory;
import com.sun.jna.LastErrorException;
import io.netty.channel.unix.DatagramSocketAddress;
import io.netty.channel.unix.Socket;
import org.tandem.jna.libc.NativeLibC;
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
import org.tandem.gateway.ops.ActiveCall;
import org.tandem.gateway.ops.GatewayModel;
import org.tandem.gateway.ops.GatewaySnapshot;
import org.tandem.tdm.sim.SimulatedCard;
import org.tandem.testing.net.FreePorts;

/**
 * Media timing while sipp drives the real SIP side: the gateway started in-process on the shipped
 * configuration (two simulated E1 spans, the simulated exchange), sipp placing calls to the
 * exchange's loop-around line 1000, and one UDP socket standing for every caller's RTP endpoint:
 * it echoes each packet to where it came from (so audio flows both ways through the span) and
 * measures the gateway's RTP send jitter, |interval between two packets of a call - 20 ms|.
 * Span write underruns are read from the simulated card, counted only inside answered calls
 * ({@link Underruns}): idle channels underrun all the time by design.
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
    private static final long SAMPLE_NS = 20_000_000L;

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

    public static void main(String[] args) throws Exception {
        Path configFile = Path.of(args.length > 0 ? args[0] : "conf/tandem.ini");
        Path scenario = Path.of(args.length > 1 ? args[1] : "gateway-core/src/test/resources/e2e/call.xml");
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int limit = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        int calls = args.length > 4 ? Integer.parseInt(args[4]) : 2000;
        int holdMs = args.length > 5 ? Integer.parseInt(args[5]) : 3000;
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);

        int sipPort = FreePorts.udpPort();
        Path cdr = Files.createTempDirectory("tandem-sipp-load");
        LoadResult r = ConfigLoader.load(configFile, List.of(
                "sip.listen=127.0.0.1:" + sipPort,
                "rtp.ports=24000-25999",
                "snmp.listen=127.0.0.1:" + FreePorts.udpPort(),
                "cdr.dir=" + cdr,
                "trunk.local.port=" + FreePorts.udpPort()));
        if (!r.ok()) {
            throw new IllegalStateException(r.errorReport());
        }
        GatewayConfig config = r.orThrow();
        try (Gateway gateway = Gateway.start(config, Gateway.Options.defaults(), () -> Optional.of(config))) {
            Socket rtp = Socket.newSocketDgram();
            rtp.bind(new InetSocketAddress("127.0.0.1", 0));
            SimulatedCard card = gateway.simCard();
            Echo echo = new Echo(rtp);
            Thread echoThread = new Thread(echo, "rtp-echo");
            echoThread.setDaemon(true);
            echoThread.start();
            Underruns underruns = new Underruns(card, gateway.model());
            Thread sampler = new Thread(underruns, "underrun-sampler");
            sampler.setDaemon(true);
            sampler.start();

            int rtpPort = echo.port();
            File sippOut = File.createTempFile("sipp", ".log");
            Process sipp = new ProcessBuilder("sipp", "-sf", scenario.toString(), "-key", "rtpport",
                    Integer.toString(rtpPort), "-s", "1000", "-r", Integer.toString(rate), "-l", Integer.toString(limit),
                    "-m", Integer.toString(calls), "-d", Integer.toString(holdMs), "-i", "127.0.0.1",
                    "-p", Integer.toString(FreePorts.udpPort()), "-nostdin", "-timeout", "600s", "-timeout_error",
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
            System.out.printf("span write underruns inside answered calls: %d (in %d channel-intervals of 20 ms "
                    + "judged, i.e. %.0f channel-seconds)%n", underruns.inCalls, underruns.judgedIntervals,
                    underruns.judgedIntervals * 0.02);
            System.out.println("CDRs in " + cdr);
            rtp.close();
        }
        // JAIN-SIP's EventScannerThread is not a daemon and outlives Gateway.close().
        System.exit(0);
    }

    /**
     * One socket for every caller: echoes RTP back and measures per-source packet intervals from
     * the kernel's receive timestamps ({@code ioctl(SIOCGSTAMPNS)}): on
     * loopback the packet is queued inside the gateway's send, so the intervals are the gateway's
     * send intervals, not this thread's wake-ups.
     */
    static final class Echo implements Runnable {
        private static final long SIOCGSTAMPNS = 0x8907;

        final Histogram jitterUs = new Histogram(1, 10_000_000, 3);
        private final Socket socket;
        private final long[] lastSentNs = new long[65536];
        private final Memory timespec = new Memory(16);
        volatile boolean running = true;

        Echo(Socket socket) {
            this.socket = socket;
            org.tandem.bench.media.MediaLoopBenchmark.enableReceiveTimestamps(socket.intValue());
        }

        int port() throws IOException {
            return socket.localAddress().getPort();
        }

        @Override
        public void run() {
            ByteBuffer buf = ByteBuffer.allocateDirect(2048);
            try {
                while (running) {
                    DatagramSocketAddress from = socket.recvFrom(buf, 0, buf.capacity());
                    if (from == null) {
                        java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                        continue;
                    }
                    long sent;
                    try {
                        NativeLibC.INSTANCE.ioctl(socket.intValue(), SIOCGSTAMPNS, timespec);
                        sent = timespec.getLong(0) * 1_000_000_000L + timespec.getLong(8);
                    } catch (LastErrorException e) {
                        sent = 0;
                    }
                    int port = from.getPort();
                    long last = lastSentNs[port];
                    // A gap over 100 ms is a new call on a reused port (or DTMF/hold), not jitter.
                    if (sent != 0 && last != 0 && sent - last < 100_000_000L) {
                        jitterUs.recordValue(Math.abs(sent - last - 20_000_000L) / 1000 + 1);
                    }
                    lastSentNs[port] = sent;
                    socket.sendTo(buf, 0, from.receivedAmount(), from.getAddress(), port);
                }
            } catch (IOException e) {
                if (running) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /**
     * Samples, every 20 ms, each channel's card counters and the call the gateway's ops model shows
     * on it. Interval (k, k+1) is judged when one answered call is shown at samples k-1 .. k+2 and
     * the gateway wrote blocks to the channel in (k-1, k) and (k+1, k+2): its media was attached
     * before and still attached after, so an underrun inside is a missed block of a running call
     * (not the idle time between calls, which underruns by design).
     */
    static final class Underruns implements Runnable {
        private static final int K = 4;
        private final SimulatedCard card;
        private final GatewayModel model;
        private final int n = SPANS * E1_POSITIONS.length;
        private final long[][] received = new long[K][n];
        private final long[][] under = new long[K][n];
        private final String[][] call = new String[K][n];
        volatile boolean running = true;
        volatile long inCalls;
        volatile long judgedIntervals;

        Underruns(SimulatedCard card, GatewayModel model) {
            this.card = card;
            this.model = model;
        }

        private void sample(int k) {
            GatewaySnapshot snap = model.snapshot();
            for (int s = 0; s < SPANS; s++) {
                for (int i = 0; i < E1_POSITIONS.length; i++) {
                    int c = s * 30 + i;
                    ActiveCall a = snap.span(s + 1).channel(E1_POSITIONS[i]).call();
                    call[k][c] = a != null && a.answered() ? a.callId() : null;
                    received[k][c] = card.blocksReceived(s + 1, E1_POSITIONS[i]);
                    under[k][c] = card.writeUnderruns(s + 1, E1_POSITIONS[i]);
                }
            }
        }

        @Override
        public void run() {
            for (int k = 0; k < K - 1; k++) {
                sample(k);
                java.util.concurrent.locks.LockSupport.parkNanos(SAMPLE_NS);
            }
            long next = System.nanoTime();
            while (running) {
                next += SAMPLE_NS;
                java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
                sample(K - 1);
                for (int c = 0; c < n; c++) {
                    String id = call[0][c];
                    if (id != null && id.equals(call[1][c]) && id.equals(call[2][c]) && id.equals(call[3][c])
                            && received[1][c] > received[0][c] && received[3][c] > received[2][c]) {
                        judgedIntervals++;
                        inCalls += under[2][c] - under[1][c];
                    }
                }
                rotate(received);
                rotate(under);
                rotate(call);
            }
        }

        private static <T> void rotate(T[] samples) {
            T first = samples[0];
            System.arraycopy(samples, 1, samples, 0, samples.length - 1);
            samples[samples.length - 1] = first;
        }
    }
}
