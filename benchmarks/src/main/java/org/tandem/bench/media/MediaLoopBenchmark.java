package org.tandem.bench.media;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.tandem.gateway.media.MediaConfig;
import org.tandem.gateway.media.MediaDirection;
import org.tandem.gateway.media.MediaEngine;
import org.tandem.gateway.media.MediaHandle;
import org.tandem.gateway.media.MediaListener;
import org.tandem.gateway.media.MediaSessionSpec;
import org.tandem.gateway.rtp.RtpPacket;
import org.tandem.gateway.rtp.RtpPorts;
import org.tandem.tdm.SpanType;
import org.tandem.tdm.TdmLaw;
import org.tandem.tdm.TdmSpan;
import org.tandem.tdm.sim.SimFarEnd;
import org.tandem.tdm.sim.SimulatedCard;

/**
 * One media agent carrying N calls on the simulated card (E1 spans, a block every 20 ms per
 * channel from the card's clock thread) with one RTP peer socket per call on loopback.
 *
 * <p>The far end writes the card's clock time ({@code System.nanoTime()}) into every block it
 * hands to the gateway; A-law passes through bit-exact, so the RTP peer finds it in the payload and
 * records (arrival at the peer - block delivery) in an HdrHistogram: TDM block arrival to RTP
 * packet sent, plus the loopback hop and the peer thread's wake-up, i.e. an upper bound. The peer
 * also sends one packet per call every 20 ms, so the agent carries both directions.
 *
 * <p>Reported as auxiliary counters of one single-shot iteration of {@link #MEASURE_S} seconds:
 * latency p50/p99/max in microseconds, the agent thread's CPU as % of one core and per channel,
 * bytes the agent thread allocated per second, span write underruns. Everything runs on the same two cores (card clock, agent,
 * peer sender and receiver), so the figures are for the whole system, not the agent alone.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 1, batchSize = 1)
@Measurement(iterations = 1, batchSize = 1)
@State(Scope.Benchmark)
public class MediaLoopBenchmark {
    static final int MEASURE_S = 10;
    static final int WARMUP_S = 3;
    private static final byte SIGNATURE = 0x5A;
    private static final int B_PER_SPAN = 30;

    @Param({"100", "500", "1000", "2000"})
    public int channels;

    /**
     * Garbage the SIP side would make, in MB/s: "calls" of 100 KB in 512-byte objects, each kept
     * alive for a while (a ring of {@link #LIVE_CALLS}) like dialogs, transactions and SDP. 0 = none.
     * Pick the collector with {@code -jvmArgsAppend -XX:+UseZGC} (or G1, Shenandoah...).
     */
    @Param({"0"})
    public int sipGarbageMBps;

    static final int LIVE_CALLS = 400;
    private Thread garbage;

    private SimulatedCard card;
    private MediaEngine engine;
    private final List<MediaHandle> handles = new ArrayList<>();
    private final List<DatagramChannel> peers = new ArrayList<>();
    private Selector selector;
    private Thread sender;
    private Thread receiver;
    private volatile boolean running;
    private volatile boolean recording;
    private final Histogram latencyNs = new Histogram(1, TimeUnit.SECONDS.toNanos(10), 3);
    private volatile long stampsMissing;
    private long agentThreadId = -1;
    private int spans;

    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Figures {
        public double p50Us;
        public double p99Us;
        public double p999Us;
        public double maxUs;
        public double agentCpuPercent;
        public double agentCpuUsPerChannelPerSecond;
        public long spanUnderruns;
        /** Bytes the agent thread allocated per second (Netty's loop included). */
        public double agentAllocatedBytesPerSecond;
        public long latencySamples;
    }

    /** Stamps every block the card delivers with the time it is handed over. */
    private static final class StampingFarEnd implements SimFarEnd {
        @Override
        public void exchangeBlock(int chanpos, ByteBuffer fromGateway, ByteBuffer toGateway) {
            for (int i = 0; i < 160; i++) {
                toGateway.put(i, (byte) 0xAA);
            }
            toGateway.put(0, SIGNATURE);
            toGateway.putLong(1, System.nanoTime());
            toGateway.put(9, SIGNATURE);
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        // No logback.xml in the benchmark jar: without this, logback's default DEBUG floods stdout.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.INFO);
        InetAddress lo = InetAddress.getLoopbackAddress();
        card = new SimulatedCard();
        spans = (channels + B_PER_SPAN - 1) / B_PER_SPAN;
        int[] positions = new int[B_PER_SPAN];
        for (int i = 0, ts = 1; i < B_PER_SPAN; ts++) {
            if (ts != 16) {
                positions[i++] = ts;
            }
        }
        List<TdmSpan> opened = new ArrayList<>();
        for (int s = 1; s <= spans; s++) {
            opened.add(card.openSpan(s, SpanType.E1, 16, positions));
            card.attachFarEnd(s, new StampingFarEnd());
        }
        // Above Linux's ephemeral range (32768-60999), where the peers' sockets land.
        engine = new MediaEngine(new MediaConfig(lo, 61000, 65535, 46, 40, 200, 1, 0));
        selector = Selector.open();
        MediaListener quiet = new MediaListener() {
            @Override
            public void onDtmf(MediaHandle handle, char digit, int durationMs, boolean fromSpan) {
            }

            @Override
            public void onRtpTimeout(MediaHandle handle, long silentMs) {
            }

            @Override
            public void onChannelLost(MediaHandle handle) {
            }
        };
        for (int c = 0; c < channels; c++) {
            DatagramChannel peer = DatagramChannel.open().bind(new InetSocketAddress(lo, 0));
            peer.configureBlocking(false);
            RtpPorts ports = engine.allocatePorts();
            TdmSpan span = opened.get(c / B_PER_SPAN);
            MediaHandle h = engine.attach(new MediaSessionSpec("c" + c, span.bChannels().get(c % B_PER_SPAN),
                    TdmLaw.ALAW, ports, (InetSocketAddress) peer.getLocalAddress(), MediaSessionSpec.PT_PCMA, -1,
                    20, MediaDirection.SENDRECV), quiet);
            h.attached().get(10, TimeUnit.SECONDS);
            peer.connect(new InetSocketAddress(lo, ports.rtpPort()));
            peer.register(selector, SelectionKey.OP_READ);
            handles.add(h);
            peers.add(peer);
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("media-0")) {
                agentThreadId = t.getId();
            }
        }
        running = true;
        sender = new Thread(this::sendLoop, "bench-rtp-sender");
        receiver = new Thread(this::receiveLoop, "bench-rtp-receiver");
        sender.setDaemon(true);
        receiver.setDaemon(true);
        sender.start();
        receiver.start();
        if (sipGarbageMBps > 0) {
            garbage = new Thread(this::garbageLoop, "bench-sip-garbage");
            garbage.setDaemon(true);
            garbage.start();
        }
    }

    /** Emulates the SIP side's allocation: 100 KB per call, at sipGarbageMBps, 400 calls alive. */
    private void garbageLoop() {
        Object[][] live = new Object[LIVE_CALLS][];
        int next = 0;
        long callsPerSecond = sipGarbageMBps * 10L;
        long periodNs = 1_000_000_000L / Math.max(1, callsPerSecond);
        long due = System.nanoTime();
        while (running) {
            Object[] call = new Object[200];
            for (int i = 0; i < call.length; i++) {
                call[i] = new byte[512];
            }
            live[next] = call;
            next = (next + 1) % LIVE_CALLS;
            due += periodNs;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    private void sendLoop() {
        ByteBuffer tx = ByteBuffer.allocateDirect(172);
        for (int i = 12; i < 172; i++) {
            tx.put(i, (byte) 0xAA);
        }
        int seq = 0;
        long next = System.nanoTime();
        try {
            while (running) {
                RtpPacket.writeHeader(tx, 0, seq == 0, MediaSessionSpec.PT_PCMA, seq & 0xFFFF, seq * 160, 0x5EED);
                for (DatagramChannel p : peers) {
                    tx.clear().limit(172);
                    p.write(tx);
                }
                seq++;
                next += 20_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        } catch (IOException e) {
            if (running) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void receiveLoop() {
        ByteBuffer rx = ByteBuffer.allocateDirect(2048);
        try {
            while (running) {
                if (selector.select(100) == 0) {
                    continue;
                }
                var keys = selector.selectedKeys();
                for (var it = keys.iterator(); it.hasNext(); ) {
                    SelectionKey k = it.next();
                    it.remove();
                    DatagramChannel ch = (DatagramChannel) k.channel();
                    for (int n = 0; n < 8; n++) {
                        rx.clear();
                        int len;
                        try {
                            len = ch.read(rx);
                        } catch (IOException e) {
                            break;
                        }
                        if (len <= 0) {
                            break;
                        }
                        long now = System.nanoTime();
                        if (len >= 22 && rx.get(12) == SIGNATURE && rx.get(21) == SIGNATURE) {
                            if (recording) {
                                latencyNs.recordValue(Math.max(1, now - rx.getLong(13)));
                            }
                        } else if (recording) {
                            stampsMissing++;
                        }
                    }
                }
            }
        } catch (IOException e) {
            if (running) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Benchmark
    public void run(Figures figures) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(WARMUP_S));
        long underrunsBefore = underruns();
        latencyNs.reset();
        recording = true;
        com.sun.management.ThreadMXBean alloc = (com.sun.management.ThreadMXBean) mx;
        long bytes0 = alloc.getThreadAllocatedBytes(agentThreadId);
        long cpu0 = mx.getThreadCpuTime(agentThreadId);
        long t0 = System.nanoTime();
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(MEASURE_S));
        long cpu1 = mx.getThreadCpuTime(agentThreadId);
        long t1 = System.nanoTime();
        long bytes1 = alloc.getThreadAllocatedBytes(agentThreadId);
        recording = false;
        figures.agentAllocatedBytesPerSecond = (bytes1 - bytes0) * 1e9 / (t1 - t0);
        double cpuFraction = (cpu1 - cpu0) / (double) (t1 - t0);
        figures.agentCpuPercent = 100 * cpuFraction;
        figures.agentCpuUsPerChannelPerSecond = cpuFraction * 1e6 / channels;
        figures.p50Us = latencyNs.getValueAtPercentile(50) / 1000.0;
        figures.p99Us = latencyNs.getValueAtPercentile(99) / 1000.0;
        figures.p999Us = latencyNs.getValueAtPercentile(99.9) / 1000.0;
        figures.maxUs = latencyNs.getMaxValue() / 1000.0;
        figures.latencySamples = latencyNs.getTotalCount();
        figures.spanUnderruns = underruns() - underrunsBefore;
    }

    private long underruns() {
        long sum = 0;
        for (int c = 0; c < channels; c++) {
            int span = c / B_PER_SPAN + 1;
            int pos = c % B_PER_SPAN;
            sum += card.writeUnderruns(span, pos < 15 ? pos + 1 : pos + 2);
        }
        return sum;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        running = false;
        sender.join(1000);
        if (garbage != null) {
            garbage.join(1000);
        }
        receiver.join(1000);
        for (MediaHandle h : handles) {
            h.detach().get(10, TimeUnit.SECONDS);
        }
        engine.close();
        card.close();
        for (DatagramChannel p : peers) {
            p.close();
        }
        selector.close();
    }
}
