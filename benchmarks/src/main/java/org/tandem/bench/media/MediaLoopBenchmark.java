package org.tandem.bench.media;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.tandem.jna.libc.NativeLibC;
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
 * hands to the gateway; A-law passes through bit-exact, so the RTP peer finds it in the payload.
 * Two latencies are recorded in HdrHistograms:
 * <ul>
 *   <li><b>sent</b> ({@code sent*Us}): the kernel's receive timestamp of the packet at the peer's
 *   socket ({@code ioctl(SIOCGSTAMPNS)} after each recv) minus the block's
 *   delivery. On loopback the packet is queued at the peer inside the agent's {@code send}, so
 *   this is "TDM block arrival to RTP packet sent", whatever the peer thread is doing;
 *   <li><b>at peer</b> ({@code p50Us}...): arrival at the peer's receiving thread, which adds that
 *   thread's own wake-up and queueing on the shared cores: an upper bound.
 * </ul>
 * The kernel stamps CLOCK_REALTIME; the offset to {@code System.nanoTime()} is re-taken every
 * second on the receiving thread. The peer also sends one packet per call every 20 ms, so the
 * agent carries both directions.
 *
 * <p><b>Block-in</b> is the far end's hand-over of <em>that channel's</em> block, on the card's
 * clock thread just before the card checks the channel's queue (FIONREAD) and writes the block:
 * the block becomes readable a constant few microseconds later, whatever N. The card writes
 * its channels one syscall at a time, so channel k becomes readable k writes after the tick; a
 * figure from the tick ({@code tickSent*Us}, also reported) adds that serial write time of the
 * card's, which is not ours (a DAHDI card delivers every channel of a span at one interrupt).
 *
 * <p><b>RTP send jitter</b> ({@code sendJitter*Us}): per stream, the spread of inter-departure
 * times, |kernel stamp of packet i - stamp of packet i-1 - 20 ms|, over all streams.
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

    @Param({"100", "500", "960", "1000", "1920", "2000"})
    public int channels;

    /** Media agent threads (MediaConfig.agents): channels go to the least loaded agent at attach. */
    @Param({"1"})
    public int agents;

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
    private final List<Socket> peers = new ArrayList<>();
    private IoEventLoop peerLoop;
    private Thread sender;
    private volatile boolean running;
    private volatile boolean recording;
    private final Histogram latencyNs = new Histogram(1, TimeUnit.SECONDS.toNanos(10), 3);
    private final Histogram sentNs = new Histogram(1, TimeUnit.SECONDS.toNanos(10), 3);
    /** From the card's tick (its first channel's hand-over) to the kernel stamp: adds the card's serial writes. */
    private final Histogram tickSentNs = new Histogram(1, TimeUnit.SECONDS.toNanos(10), 3);
    /** Per stream: |inter-departure - 20 ms| of consecutive packets, by their kernel stamps. */
    private final Histogram sendJitterNs = new Histogram(1, TimeUnit.SECONDS.toNanos(10), 3);
    /** Per peer: kernel stamp (CLOCK_REALTIME ns) of the previous packet, 0 = none yet. Receiver thread. */
    private long[] lastStampNs;
    private static final long SIOCGSTAMPNS = 0x8907;

    /**
     * The first SIOCGSTAMPNS turns the socket's timestamping on (and fails with ENOENT: nothing
     * stamped yet). Not SO_TIMESTAMPNS: with it the kernel hands the stamp to recvmsg as a cmsg
     * and no longer keeps it for the ioctl.
     */
    public static void enableReceiveTimestamps(int fd) {
        try {
            NativeLibC.INSTANCE.ioctl(fd, SIOCGSTAMPNS, new Memory(16));
        } catch (LastErrorException expected) {
            // ENOENT
        }
    }
    private volatile long stampsMissing;
    private long[] agentThreadIds;
    private int spans;

    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Figures {
        public double p50Us;
        public double p99Us;
        public double p999Us;
        public double maxUs;
        public double sentP50Us;
        public double sentP99Us;
        public double sentP999Us;
        public double sentMaxUs;
        public double tickSentP50Us;
        public double tickSentP99Us;
        public double tickSentP999Us;
        /** RTP send jitter: per stream, |inter-departure - 20 ms| of consecutive packets. */
        public double sendJitterP50Us;
        public double sendJitterP99Us;
        public double sendJitterP999Us;
        public double sendJitterMaxUs;
        /** Busiest agent thread, % of one core. */
        public double busiestAgentCpuPercent;
        /** Of spanUnderruns, those on the card's catch-up ticks (its clock thread woke late). */
        public long spanCatchUpUnderruns;
        /**
         * Bytes all agent threads allocated per frame: per block the card delivered (one 20 ms
         * block of one channel, with its RTP packet out and the peer's packet in).
         */
        public double agentAllocatedBytesPerFrame;
        /**
         * Agent CPU per frame (same frames): unlike the per-channel-second figure, it stays right
         * when a starved card or agent moves fewer blocks than N x 50/s.
         */
        public double agentCpuUsPerFrame;
        /** Blocks the card delivered in the measurement, all channels (N x 50/s when nothing starves). */
        public long framesDelivered;
        public double agentCpuPercent;
        public double agentCpuUsPerChannelPerSecond;
        public long spanUnderruns;
        /** Bytes the agent thread allocated per second (Netty's loop included). */
        public double agentAllocatedBytesPerSecond;
        public long latencySamples;
    }

    /**
     * Stamps every block the card delivers with the time it is handed over (per channel, just
     * before the card's FIONREAD and write of that block) and with the time of the tick's first
     * hand-over (the first channel of the first span). Clock thread only.
     */
    private static final class StampingFarEnd implements SimFarEnd {
        private static long tickNs;
        private final boolean first;

        StampingFarEnd(boolean first) {
            this.first = first;
        }

        @Override
        public void exchangeBlock(int chanpos, ByteBuffer fromGateway, ByteBuffer toGateway) {
            for (int i = 0; i < 160; i++) {
                toGateway.put(i, (byte) 0xAA);
            }
            long now = System.nanoTime();
            if (first && chanpos == 1) {
                tickNs = now;
            }
            toGateway.put(0, SIGNATURE);
            toGateway.putLong(1, now);
            toGateway.put(9, SIGNATURE);
            toGateway.putLong(10, tickNs);
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        // No logback.xml in the benchmark jar: without this, logback's default DEBUG floods stdout.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.INFO);
        InetAddress lo = InetAddress.getLoopbackAddress();
        lastStampNs = new long[channels];
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
            card.attachFarEnd(s, new StampingFarEnd(s == 1));
        }
        // Above Linux's ephemeral range (32768-60999), where the peers' sockets land.
        engine = new MediaEngine(new MediaConfig(lo, 61000, 65535, 46, 40, 200, agents, 0));
        peerLoop = new SingleThreadIoEventLoop(null, new DefaultThreadFactory("bench-rtp-receiver", true),
                EpollIoHandler.newFactory());
        for (int c = 0; c < channels; c++) {
            Socket peer = Socket.newSocketDgram();
            peer.bind(new InetSocketAddress(lo, 0));
            enableReceiveTimestamps(peer.intValue());
            RtpPorts ports = engine.allocatePorts();
            TdmSpan span = opened.get(c / B_PER_SPAN);
            MediaHandle h = engine.attach(new MediaSessionSpec("c" + c, span.bChannels().get(c % B_PER_SPAN),
                    TdmLaw.ALAW, ports, peer.localAddress(), MediaSessionSpec.PT_PCMA, -1,
                    20, MediaDirection.SENDRECV), NoEvents.INSTANCE);
            h.attached().get(10, TimeUnit.SECONDS);
            peer.connect(new InetSocketAddress(lo, ports.rtpPort()));
            PeerReceiver receiverHandle = new PeerReceiver(peer, c);
            peerLoop.submit(() -> {
                // On the loop thread the registration completes inline.
                peerLoop.register(receiverHandle).getNow().submit(EpollIoOps.EPOLLIN);
            }).sync();
            handles.add(h);
            peers.add(peer);
        }
        List<Long> ids = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("media-")) {
                ids.add(t.getId());
            }
        }
        agentThreadIds = ids.stream().mapToLong(Long::longValue).toArray();
        if (agentThreadIds.length != Math.min(agents, channels)) {
            throw new IllegalStateException(agentThreadIds.length + " agent threads found, " + agents + " configured");
        }
        running = true;
        sender = new Thread(this::sendLoop, "bench-rtp-sender");
        sender.setDaemon(true);
        sender.start();
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
                for (Socket p : peers) {
                    p.send(tx, 0, 172);
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

    /** CLOCK_REALTIME - System.nanoTime(), re-taken every second (receiver thread only). */
    private long realtimeOffsetNs;
    private long offsetTakenNs;
    private final Memory timespec = new Memory(16);
    private final ByteBuffer rx = ByteBuffer.allocateDirect(2048);

    private long realtimeOffsetNs(long now) {
        if (offsetTakenNs == 0 || now - offsetTakenNs > 1_000_000_000L) {
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) { // the narrowest bracket wins
                long a = System.nanoTime();
                java.time.Instant t = java.time.Instant.now();
                long b = System.nanoTime();
                if (b - a < best) {
                    best = b - a;
                    realtimeOffsetNs = t.getEpochSecond() * 1_000_000_000L + t.getNano() - (a + b) / 2;
                }
            }
            offsetTakenNs = now;
        }
        return realtimeOffsetNs;
    }

    /** One peer socket on the receiving epoll loop: reads everything, records both latencies. */
    private final class PeerReceiver implements EpollIoHandle {
        private final Socket socket;
        private final int index;

        PeerReceiver(Socket socket, int index) {
            this.socket = socket;
            this.index = index;
        }

        @Override
        public FileDescriptor fd() {
            return socket;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            for (int n = 0; n < 8; n++) {
                int len;
                try {
                    len = socket.recv(rx, 0, rx.capacity());
                } catch (IOException e) {
                    return;
                }
                if (len <= 0) {
                    return;
                }
                long now = System.nanoTime();
                if (!recording) {
                    lastStampNs[index] = 0;
                    continue;
                }
                if (len >= 30 && rx.get(12) == SIGNATURE && rx.get(21) == SIGNATURE) {
                    long stamp = rx.getLong(13);
                    latencyNs.recordValue(Math.max(1, now - stamp));
                    try {
                        NativeLibC.INSTANCE.ioctl(socket.intValue(), SIOCGSTAMPNS, timespec);
                        long queuedRealtime = timespec.getLong(0) * 1_000_000_000L + timespec.getLong(8);
                        long offset = realtimeOffsetNs(now);
                        sentNs.recordValue(Math.max(1, queuedRealtime - offset - stamp));
                        tickSentNs.recordValue(Math.max(1, queuedRealtime - offset - rx.getLong(22)));
                        long previous = lastStampNs[index];
                        if (previous != 0) {
                            sendJitterNs.recordValue(Math.max(1, Math.abs(queuedRealtime - previous - 20_000_000L)));
                        }
                        lastStampNs[index] = queuedRealtime;
                    } catch (LastErrorException e) {
                        stampsMissing++;
                    }
                } else {
                    stampsMissing++;
                }
            }
        }

        @Override
        public void close() {
        }
    }

    @Benchmark
    public void run(Figures figures) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(WARMUP_S));
        long underrunsBefore = underruns();
        long catchUpBefore = catchUpUnderruns();
        long deliveredBefore = delivered();
        peerLoop.submit(() -> {
            latencyNs.reset();
            sentNs.reset();
            tickSentNs.reset();
            sendJitterNs.reset();
            recording = true;
        }).syncUninterruptibly();
        com.sun.management.ThreadMXBean alloc = (com.sun.management.ThreadMXBean) mx;
        int n = agentThreadIds.length;
        long[] bytes0 = alloc.getThreadAllocatedBytes(agentThreadIds);
        long[] cpu0 = new long[n];
        for (int i = 0; i < n; i++) {
            cpu0[i] = mx.getThreadCpuTime(agentThreadIds[i]);
        }
        long t0 = System.nanoTime();
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(MEASURE_S));
        long[] cpu1 = new long[n];
        for (int i = 0; i < n; i++) {
            cpu1[i] = mx.getThreadCpuTime(agentThreadIds[i]);
        }
        long t1 = System.nanoTime();
        long[] bytes1 = alloc.getThreadAllocatedBytes(agentThreadIds);
        long cpu = 0;
        long busiest = 0;
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            cpu += cpu1[i] - cpu0[i];
            busiest = Math.max(busiest, cpu1[i] - cpu0[i]);
            bytes += bytes1[i] - bytes0[i];
        }
        peerLoop.submit(() -> {
            recording = false;
        }).syncUninterruptibly();
        figures.sentP50Us = sentNs.getValueAtPercentile(50) / 1000.0;
        figures.sentP99Us = sentNs.getValueAtPercentile(99) / 1000.0;
        figures.sentP999Us = sentNs.getValueAtPercentile(99.9) / 1000.0;
        figures.sentMaxUs = sentNs.getMaxValue() / 1000.0;
        figures.tickSentP50Us = tickSentNs.getValueAtPercentile(50) / 1000.0;
        figures.tickSentP99Us = tickSentNs.getValueAtPercentile(99) / 1000.0;
        figures.tickSentP999Us = tickSentNs.getValueAtPercentile(99.9) / 1000.0;
        figures.sendJitterP50Us = sendJitterNs.getValueAtPercentile(50) / 1000.0;
        figures.sendJitterP99Us = sendJitterNs.getValueAtPercentile(99) / 1000.0;
        figures.sendJitterP999Us = sendJitterNs.getValueAtPercentile(99.9) / 1000.0;
        figures.sendJitterMaxUs = sendJitterNs.getMaxValue() / 1000.0;
        figures.agentAllocatedBytesPerSecond = bytes * 1e9 / (t1 - t0);
        long frames = delivered() - deliveredBefore;
        figures.framesDelivered = frames;
        figures.agentAllocatedBytesPerFrame = bytes / (double) Math.max(1, frames);
        figures.agentCpuUsPerFrame = cpu / 1000.0 / Math.max(1, frames);
        figures.busiestAgentCpuPercent = 100.0 * busiest / (t1 - t0);
        double cpuFraction = cpu / (double) (t1 - t0);
        figures.agentCpuPercent = 100 * cpuFraction;
        figures.agentCpuUsPerChannelPerSecond = cpuFraction * 1e6 / channels;
        figures.p50Us = latencyNs.getValueAtPercentile(50) / 1000.0;
        figures.p99Us = latencyNs.getValueAtPercentile(99) / 1000.0;
        figures.p999Us = latencyNs.getValueAtPercentile(99.9) / 1000.0;
        figures.maxUs = latencyNs.getMaxValue() / 1000.0;
        figures.latencySamples = latencyNs.getTotalCount();
        figures.spanUnderruns = underruns() - underrunsBefore;
        figures.spanCatchUpUnderruns = catchUpUnderruns() - catchUpBefore;
    }

    private long delivered() {
        long sum = 0;
        for (int c = 0; c < channels; c++) {
            int pos = c % B_PER_SPAN;
            sum += card.blocksDelivered(c / B_PER_SPAN + 1, pos < 15 ? pos + 1 : pos + 2);
        }
        return sum;
    }

    private long catchUpUnderruns() {
        long sum = 0;
        for (int c = 0; c < channels; c++) {
            int pos = c % B_PER_SPAN;
            sum += card.catchUpUnderruns(c / B_PER_SPAN + 1, pos < 15 ? pos + 1 : pos + 2);
        }
        return sum;
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
        for (MediaHandle h : handles) {
            h.detach().get(10, TimeUnit.SECONDS);
        }
        engine.close();
        card.close();
        peerLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        for (Socket p : peers) {
            p.close();
        }
    }
}
