package org.tandem.bench.media;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoOps;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
import org.tandem.gateway.rtp.RtpPacket;

/**
 * What one media agent's turn would cost in RTP sends with io_uring instead of one
 * {@code send(2)} per call: {@link #sockets} connected UDP sockets (one per call, as in the gateway)
 * each send one 172-byte packet per operation, on one Netty 4.2 event loop thread.
 * <ul>
 *   <li>{@code epoll}: the gateway's latched path today, {@link Socket#send} (JNI, one syscall per
 *   packet) for each socket in turn, inside one task on an {@link EpollIoHandler} loop;
 *   <li>{@code io_uring}: one {@code IORING_OP_SEND} submission per socket, queued on an
 *   {@link IoUringIoHandler} loop; Netty submits them all with the loop's next
 *   {@code io_uring_enter}, and the operation ends when every completion is back.
 * </ul>
 * The packets go to one sink socket on loopback that is never read: once its buffer is full the
 * kernel drops them at the receiving socket, in both variants alike. The operation is the whole
 * batch; {@code loopCpuNs / sends} (the loop thread's CPU time per packet) is the figure to compare
 * on a busy machine.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class RtpSendBatchBenchmark {
    private static final byte IORING_OP_SEND = 26;
    private static final int LENGTH = 172;

    @Param({"500"})
    public int sockets;

    @Param({"epoll", "io_uring"})
    public String transport;

    private IoEventLoop loop;
    private Socket sink;
    private Socket[] senders;
    private ByteBuffer packet;
    private long packetAddress;
    private IoRegistration[] registrations;
    private IoUringIoOps[] sends;
    private long loopThreadId;
    /** Loop thread only. */
    private int completions;
    private int failures;
    private CompletableFuture<Void> batch;

    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Figures {
        /** The loop thread's CPU time in the iteration (JMH sums these over iterations). */
        public long loopCpuNs;
        /** Packets sent in the iteration (summed likewise): loopCpuNs / sends is the CPU per send. */
        public long sends;
        public long sendFailures;
    }

    private long cpuAtStart;
    private long sendsAtStart;
    private long sendsDone;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Epoll.ensureAvailability(); // loads the native library Socket uses
        boolean uring = transport.equals("io_uring");
        if (uring) {
            IoUring.ensureAvailability();
        }
        InetAddress lo = InetAddress.getLoopbackAddress();
        sink = Socket.newSocketDgram();
        sink.bind(new InetSocketAddress(lo, 0));
        sink.setReceiveBufferSize(4096);
        packet = ByteBuffer.allocateDirect(LENGTH);
        RtpPacket.writeHeader(packet, 0, false, 8, 1, 160, 0x5EED);
        packetAddress = io.netty.util.internal.PlatformDependent.directBufferAddress(packet);
        senders = new Socket[sockets];
        for (int i = 0; i < sockets; i++) {
            senders[i] = Socket.newSocketDgram();
            senders[i].bind(new InetSocketAddress(lo, 0));
            senders[i].connect(sink.localAddress());
        }
        loop = new SingleThreadIoEventLoop(null, new DefaultThreadFactory("bench-send", true),
                uring ? IoUringIoHandler.newFactory() : EpollIoHandler.newFactory());
        loop.submit(() -> {
            loopThreadId = Thread.currentThread().getId();
            if (uring) {
                registrations = new IoRegistration[sockets];
                sends = new IoUringIoOps[sockets];
                for (int i = 0; i < sockets; i++) {
                    registrations[i] = loop.register(new Sender()).getNow();
                    sends[i] = new IoUringIoOps(IORING_OP_SEND, (byte) 0, (short) 0, senders[i].intValue(),
                            0L, packetAddress, LENGTH, 0, (short) 0, (short) 0, (short) 0, 0, 0L);
                }
            }
        }).sync();
    }

    /** Counts one send's completion; the batch ends with the last. Loop thread. */
    private final class Sender implements IoUringIoHandle {
        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            IoUringIoEvent e = (IoUringIoEvent) event;
            if (e.opcode() != IORING_OP_SEND) {
                return;
            }
            if (e.res() != LENGTH) {
                failures++;
            }
            if (++completions == sockets) {
                batch.complete(null);
            }
        }

        @Override
        public void close() {
        }
    }

    @Setup(Level.Iteration)
    public void startIteration() throws Exception {
        cpuAtStart = ManagementFactory.getThreadMXBean().getThreadCpuTime(loopThreadId);
        sendsAtStart = sendsDone;
    }

    @TearDown(Level.Iteration)
    public void endIteration(Figures figures) {
        long cpu = ManagementFactory.getThreadMXBean().getThreadCpuTime(loopThreadId) - cpuAtStart;
        figures.loopCpuNs = cpu;
        figures.sends = sendsDone - sendsAtStart;
        figures.sendFailures = failures;
        failures = 0;
    }

    @Benchmark
    public void sendBatch() throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (registrations == null) {
            loop.execute(() -> {
                for (Socket s : senders) {
                    try {
                        if (s.send(packet, 0, LENGTH) != LENGTH) {
                            failures++;
                        }
                    } catch (java.io.IOException e) {
                        failures++;
                    }
                }
                done.complete(null);
            });
        } else {
            loop.execute(() -> {
                batch = done;
                completions = 0;
                for (int i = 0; i < sockets; i++) {
                    registrations[i].submit(sends[i]);
                }
            });
        }
        done.get(10, TimeUnit.SECONDS);
        sendsDone += sockets;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        loop.submit(() -> {
            if (registrations != null) {
                for (IoRegistration r : registrations) {
                    r.cancel();
                }
            }
        }).sync();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        for (Socket s : senders) {
            s.close();
        }
        sink.close();
    }
}
