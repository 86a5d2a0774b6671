package org.tandem.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.tandem.jna.libc.LibC;
import org.tandem.jna.libc.Posix;
import org.tandem.pri.FdDChannel;
import org.tandem.pri.OutgoingCall;
import org.tandem.pri.PriCause;
import org.tandem.pri.PriEngine;
import org.tandem.pri.PriEvent;
import org.tandem.pri.PriNode;
import org.tandem.pri.PriSpan;
import org.tandem.pri.PriSpanConfig;
import org.tandem.pri.PriSpanListener;
import org.tandem.tdm.SpanType;

/**
 * The PRI engine's cost per call, the way {@code bin/tandem-load} loads it but without SIP, media
 * or the card: one {@link PriEngine} thread driving {@code pairs} CPE spans and as many NETWORK
 * spans (32 + 32 by default, as the gateway and its simulated exchange), each pair joined by a
 * SEQPACKET socketpair. One operation is {@code callsAtOnce} calls on as many pairs: SETUP,
 * CALL PROCEEDING, ALERTING, CONNECT from the network side's listener, DISCONNECT from the CPE's
 * once answered, RELEASE from the network's, until both sides report the release (real libpri on both ends, 8 Q.931 messages
 * and their Q.921 acknowledgements per call).
 *
 * <p>Besides JMH's time per batch (wall clock, thread hops included), each iteration prints the
 * engine thread's CPU time per call ({@code ThreadMXBean}): the figure to compare, less sensitive
 * to other load on the box than wall time.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class PriEngineBenchmark extends AbstractBenchmark {
    @Param("32")
    public int pairs;

    /**
     * Calls set up at once per operation, on consecutive pairs: 32 keeps many D-channels ready in
     * every engine turn; 1 (one call at a time, rotating over the pairs) makes each turn serve one
     * or two ready fds, as at 200 calls/s in {@code bin/tandem-load}, so the engine's cost per turn
     * (waiting on all fds, asking every span for its timer) weighs as there.
     */
    @Param({"1", "32"})
    public int callsAtOnce;

    private final Posix posix = Posix.system();
    private PriEngine engine;
    private PriSpan[] cpe;
    private int[][] fds;
    private final AtomicReference<CountDownLatch> released = new AtomicReference<>();
    private long engineThreadId;
    private ThreadMXBean mx;
    private long engineCpuMark;
    private int channel;
    private int nextPair;

    @Setup(Level.Trial)
    public void start() throws InterruptedException {
        mx = ManagementFactory.getThreadMXBean();
        engine = PriEngine.start("pri-bench");
        cpe = new PriSpan[pairs];
        fds = new int[pairs][];
        CountDownLatch up = new CountDownLatch(2 * pairs);
        PriSpanListener cpeListener = (span, e) -> {
            if (e instanceof PriEvent.DChannelUp) {
                up.countDown();
            } else if (e instanceof PriEvent.Answered a) {
                a.call().hangup(PriCause.NORMAL_CLEARING);
            } else if (e instanceof PriEvent.DisconnectRequested d) {
                d.call().hangup(PriCause.NORMAL_CLEARING);
            } else if (e instanceof PriEvent.CallReleased) {
                released.get().countDown();
            }
        };
        PriSpanListener netListener = (span, e) -> {
            if (e instanceof PriEvent.DChannelUp) {
                up.countDown();
            } else if (e instanceof PriEvent.IncomingCall in) {
                in.call().proceeding(false);
                in.call().alerting(true);
                in.call().answer();
            } else if (e instanceof PriEvent.DisconnectRequested d) {
                d.call().hangup(PriCause.NORMAL_CLEARING);
            } else if (e instanceof PriEvent.CallReleased) {
                released.get().countDown();
            }
        };
        for (int i = 0; i < pairs; i++) {
            fds[i] = posix.socketpair(LibC.AF_UNIX, LibC.SOCK_SEQPACKET | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC);
            cpe[i] = engine.addSpan(PriSpanConfig.defaults("cpe" + i, PriNode.CPE, SpanType.E1)
                .withRestartOnDChannelUp(false), new FdDChannel(posix, fds[i][0], true), () -> 0, cpeListener);
            engine.addSpan(PriSpanConfig.defaults("net" + i, PriNode.NETWORK, SpanType.E1)
                .withRestartOnDChannelUp(false), new FdDChannel(posix, fds[i][1], true), () -> 0, netListener);
        }
        if (!up.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("D-channels not up within 30 s: " + up.getCount() + " missing");
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("pri-bench")) {
                engineThreadId = t.getId();
            }
        }
    }

    @Setup(Level.Iteration)
    public void mark() {
        engineCpuMark = mx.getThreadCpuTime(engineThreadId);
    }

    /**
     * The figure to compare, as JMH secondary results (as MediaLoopBenchmark's): the engine
     * thread's CPU time and the calls of each iteration; CPU per call = engineCpuNs / engineCalls.
     */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class EngineCpu {
        public long engineCpuNs;
        public long engineCalls;

        @Setup(Level.Iteration)
        public void clear() {
            engineCpuNs = 0;
            engineCalls = 0;
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        engine.close();
        for (int[] pair : fds) {
            if (pair != null) {
                posix.closeQuietly(pair[0]);
                posix.closeQuietly(pair[1]);
            }
        }
    }

    /** {@code callsAtOnce} calls at once, until all of them are released on both sides. */
    @Benchmark
    public long batchOfCalls(EngineCpu figures) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(2 * callsAtOnce);
        released.set(done);
        if (nextPair == 0) {
            channel = channel % 30 + 1;
        }
        int ts = channel == 16 ? 31 : channel;
        for (int i = 0; i < callsAtOnce; i++) {
            cpe[nextPair].setup(OutgoingCall.to("1000", "5551234", ts));
            nextPair = (nextPair + 1) % pairs;
        }
        if (!done.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(done.getCount() + " releases missing after 30 s");
        }
        long cpu = mx.getThreadCpuTime(engineThreadId);
        figures.engineCpuNs += cpu - engineCpuMark;
        figures.engineCalls += callsAtOnce;
        engineCpuMark = cpu;
        return done.getCount();
    }
}
