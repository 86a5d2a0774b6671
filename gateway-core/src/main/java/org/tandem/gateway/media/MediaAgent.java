package org.tandem.gateway.media;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One media thread: a Netty 4.2 {@link SingleThreadIoEventLoop} with the native epoll
 * {@link EpollIoHandler}, on which every channel this agent owns registers three raw
 * {@link EpollIoHandle}s: its B-channel fd (DAHDI or the simulated card's SEQPACKET socket), its RTP
 * socket and its RTCP socket. A readable B-channel runs the whole per-block path (TDM read ->
 * RTP out, jitter buffer -> TDM write) on this thread with no hand-off; RTP/RTCP arrivals go
 * straight into the channel's jitter buffer and statistics.
 *
 * <p><b>Order of work in one loop turn.</b> The card wakes every channel at the same moment (a
 * DAHDI interrupt, the simulated card's clock), so one epoll_wait returns all of them, and the time
 * from a block's arrival to its RTP packet leaving is set by the work done before that channel's
 * send. The turn is therefore split in two: while Netty hands out the ready descriptors, a
 * B-channel reads its block and sends its RTP packet (span -> RTP, one read and one send), and an
 * RTP socket is only noted; after the last descriptor ({@link Loop#runIo()}), every noted channel
 * reads its RTP and writes the block it owes the span (RTP -> span). The span's writes can wait:
 * it holds a block in reserve (docs/MEDIA.md). Each descriptor is read once per readiness event:
 * the epoll set is level-triggered, so whatever is left is reported again on the next turn,
 * and the common case costs no extra read that fails with EAGAIN.
 *
 * <p>Commands from other threads (attach, update, detach) arrive as tasks on the loop's queue,
 * through {@link MediaHandle} and {@link MediaEngine}; nothing else touches an agent's state.
 */
final class MediaAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MediaAgent.class);
    private static final int RX_BUFFER = 2048;

    private final String name;
    private final IoEventLoop loop;
    private final LongSupplier nanoClock;
    private final long ntpOffsetNs;
    private final ByteBuffer rx = ByteBuffer.allocateDirect(RX_BUFFER);
    private final List<Attached> channels = new ArrayList<>();
    /** Channels with RTP -> span work left in this turn; each at most once (MediaChannel.queued). */
    private MediaChannel[] ready = new MediaChannel[64];
    private int readyCount;
    private final AtomicInteger load = new AtomicInteger();
    /** The channels' direct buffers and concealers; this thread's only (docs/MEDIA.md). */
    private final MediaBuffers buffers = new MediaBuffers();

    MediaAgent(String name, LongSupplier nanoClock) {
        this.name = name;
        this.nanoClock = nanoClock;
        this.ntpOffsetNs = System.currentTimeMillis() * 1_000_000L - nanoClock.getAsLong();
        // The thread is named exactly as the agent ("media-0", not Netty's "media-0-3-1"): top -H,
        // profiles and jstack show the agent, and nothing else in the JVM uses the name.
        this.loop = new Loop(new DefaultThreadFactory(name, true, Thread.MAX_PRIORITY) {
            @Override
            protected Thread newThread(Runnable r, String ignored) {
                return super.newThread(r, name);
            }
        });
        // Netty starts a loop's thread at its first task: start it now, so every agent is there
        // (and shows in jstack, top -H) from the gateway's start, not from its first call.
        loop.execute(() -> { });
    }

    String name() {
        return name;
    }

    IoEventLoop loop() {
        return loop;
    }

    /** Channels attached or being attached; read by the engine to pick the least loaded agent. */
    int load() {
        return load.get();
    }

    long ntpOffsetNs() {
        return ntpOffsetNs;
    }

    long now() {
        return nanoClock.getAsLong();
    }

    /** This agent's buffers (tests; touch them on the agent thread only). */
    MediaBuffers buffers() {
        return buffers;
    }

    /**
     * Runs on the agent thread: builds the channel from this agent's buffers, then registers its
     * three descriptors.
     */
    void attach(java.util.function.Function<MediaBuffers, MediaChannel> build, CompletableFuture<Void> done) {
        load.incrementAndGet();
        loop.execute(() -> {
            MediaChannel channel;
            try {
                channel = build.apply(buffers);
            } catch (RuntimeException e) {
                load.decrementAndGet();
                done.completeExceptionally(e);
                return;
            }
            Attached a = new Attached(channel);
            String clash = registeredClash(channel);
            if (clash != null) {
                // Never hand Netty an fd this loop already has: its registration map is keyed by
                // the fd number, so a second registration would replace the first, and the first's
                // cancel would then leave the fd in the epoll set for good (every later attach of
                // that B-channel failing, its events reaching a detached channel).
                channel.releaseBuffers();
                load.decrementAndGet();
                done.completeExceptionally(new IllegalStateException("media agent " + name + " cannot register call "
                        + channel.spec().callId() + ": " + clash));
                return;
            }
            try {
                // Blocks queued before the call are stale audio: drop them (DAHDI_FLUSH_READ; not
                // WRITE, which on the simulated card waits for its clock thread).
                channel.spec().channel().flush(1);
                a.tdm = register(new Handle(channel, Handle.TDM, new FileDescriptor(channel.spec().channel().fd())));
                a.rtp = register(new Handle(channel, Handle.RTP, channel.spec().ports().rtpSocket()));
                a.rtcp = register(new Handle(channel, Handle.RTCP, channel.spec().ports().rtcpSocket()));
                channels.add(a);
                if (ready.length < channels.size()) {
                    ready = java.util.Arrays.copyOf(ready, 2 * channels.size());
                }
                done.complete(null);
            } catch (Exception e) {
                a.cancel();
                channel.releaseBuffers();
                load.decrementAndGet();
                done.completeExceptionally(new IllegalStateException("media agent " + name
                        + " cannot register call " + channel.spec().callId() + " (B-channel fd "
                        + channel.spec().channel().fd() + ", RTP port " + channel.spec().ports().rtpPort() + "): "
                        + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")"), e));
            }
        });
    }

    private IoRegistration register(Handle handle) throws Exception {
        // On the loop thread Netty registers inline, so the future is already done.
        io.netty.util.concurrent.Future<IoRegistration> f = loop.register(handle);
        if (!f.isDone()) {
            throw new IllegalStateException("registration did not complete on the loop thread");
        }
        if (!f.isSuccess()) {
            throw new IllegalStateException("epoll registration of fd " + handle.fd.intValue() + " failed", f.cause());
        }
        IoRegistration reg = f.getNow();
        try {
            reg.submit(EpollIoOps.EPOLLIN); // Netty's EPOLL_CTL_ADD
        } catch (RuntimeException e) {
            // Out of Netty's map again; safe because registeredClash made sure no other
            // registration of this loop has the fd (the cancel's EPOLL_CTL_DEL finds none).
            reg.cancel();
            throw e;
        }
        return reg;
    }

    /**
     * Why the channel's descriptors cannot go on this loop, or null: one of them is already
     * registered by a channel still attached here (the previous call on the B-channel not yet
     * detached). Linear in the calls on this agent, once per attach.
     */
    private String registeredClash(MediaChannel channel) {
        int tdm = channel.spec().channel().fd();
        int rtp = channel.spec().ports().rtpSocket().intValue();
        int rtcp = channel.spec().ports().rtcpSocket().intValue();
        for (int i = 0; i < channels.size(); i++) {
            MediaSessionSpec other = channels.get(i).channel.spec();
            int clash = clash(other.channel().fd(), tdm, rtp, rtcp);
            clash = clash >= 0 ? clash : clash(other.ports().rtpSocket().intValue(), tdm, rtp, rtcp);
            clash = clash >= 0 ? clash : clash(other.ports().rtcpSocket().intValue(), tdm, rtp, rtcp);
            if (clash >= 0) {
                return "fd " + clash + " is still registered by call " + other.callId() + " on this agent";
            }
        }
        return null;
    }

    private static int clash(int fd, int a, int b, int c) {
        return fd == a || fd == b || fd == c ? fd : -1;
    }

    /**
     * Second half of a loop turn, after Netty has dispatched every ready descriptor: RTP in and
     * the span's block out for the channels that noted work.
     */
    private void finishTurn() {
        if (readyCount == 0) {
            return;
        }
        long now = nanoClock.getAsLong();
        for (int i = 0; i < readyCount; i++) {
            MediaChannel channel = ready[i];
            ready[i] = null;
            channel.queued = false;
            try {
                if (channel.rtpReadable) {
                    channel.rtpReadable = false;
                    channel.onRtpReadable(now, rx, 1);
                }
                channel.writeOwedBlocks(now);
            } catch (RuntimeException e) {
                LOG.error("media agent {}: call {} failed answering its span", name, channel.spec().callId(), e);
            }
        }
        readyCount = 0;
    }

    private void note(MediaChannel channel) {
        if (!channel.queued) {
            channel.queued = true;
            ready[readyCount++] = channel;
        }
    }

    /**
     * Runs on the agent thread: sends the channel's RTCP BYE, closes its RTP ports, unregisters it
     * and returns its final statistics.
     *
     * <p>The ports are closed before the registrations are cancelled: closing a socket takes it
     * out of the epoll set (epoll(7): the last descriptor of the file is gone), and Netty then
     * skips the {@code EPOLL_CTL_DEL} for a handle whose descriptor is closed, as it does for its
     * own channels; the RTP and RTCP handles hand Netty the sockets themselves, so two system
     * calls per call go. The B-channel stays open for the next call, so its handle is removed
     * with {@code EPOLL_CTL_DEL} as before.
     */
    MediaStats detach(MediaChannel channel) {
        MediaStats stats = channel.detach(now());
        channel.spec().ports().close(); // idempotent: MediaHandle closes again if this throws first
        for (int i = 0; i < channels.size(); i++) {
            if (channels.get(i).channel == channel) {
                channels.remove(i).cancel();
                load.decrementAndGet();
                break;
            }
        }
        // Only now: its descriptors are out of the epoll set and the registration map (cancel on
        // this thread is immediate), no turn is under way (this is a task), and every send was a
        // synchronous syscall. Nothing can touch the buffers but the next channel.
        channel.releaseBuffers();
        return stats;
    }

    /**
     * Stops the loop. Calls still attached (call control should have detached them) get their
     * RTCP BYE and their ports back first, so a shutdown leaks no socket.
     */
    @Override
    public void close() {
        if (!loop.isShuttingDown()) {
            try {
                loop.submit(() -> {
                    while (!channels.isEmpty()) {
                        Attached a = channels.get(channels.size() - 1);
                        LOG.info("media agent {}: call {} still attached at shutdown; detaching it", name,
                                a.channel.spec().callId());
                        detach(a.channel); // closes its ports too
                    }
                }).awaitUninterruptibly(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.debug("media agent {} already stopped", name);
            }
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Netty's epoll loop with the second half of each turn ({@link #finishTurn}) after the I/O. */
    private final class Loop extends SingleThreadIoEventLoop {
        Loop(java.util.concurrent.ThreadFactory threadFactory) {
            super(null, threadFactory, EpollIoHandler.newFactory());
        }

        @Override
        protected int runIo() {
            int handled = super.runIo();
            finishTurn();
            return handled;
        }
    }

    private static final class Attached {
        final MediaChannel channel;
        IoRegistration tdm;
        IoRegistration rtp;
        IoRegistration rtcp;

        Attached(MediaChannel channel) {
            this.channel = channel;
        }

        void cancel() {
            for (IoRegistration r : new IoRegistration[] {tdm, rtp, rtcp}) {
                if (r != null) {
                    r.cancel();
                }
            }
        }
    }

    /**
     * A raw descriptor on the epoll loop. Level-triggered EPOLLIN; the descriptor belongs to the
     * span or to {@code RtpPorts}, so {@link #close()} leaves it open. For RTP and RTCP it is the
     * socket itself, so that Netty sees it closed once the ports are ({@link #detach}).
     */
    private final class Handle implements EpollIoHandle {
        static final int TDM = 0;
        static final int RTP = 1;
        static final int RTCP = 2;

        private final MediaChannel channel;
        private final int kind;
        private final FileDescriptor fd;

        Handle(MediaChannel channel, int kind, FileDescriptor fd) {
            this.channel = channel;
            this.kind = kind;
            this.fd = fd;
        }

        @Override
        public FileDescriptor fd() {
            return fd;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            long now = nanoClock.getAsLong();
            try {
                switch (kind) {
                    case TDM:
                        if (channel.readBlocks(now, 1) > 0) {
                            note(channel);
                        }
                        if (channel.channelLost()) {
                            registration.submit(EpollIoOps.NONE);
                        }
                        break;
                    case RTP:
                        channel.rtpReadable = true;
                        note(channel);
                        break;
                    default:
                        channel.onRtcpReadable(now, rx);
                        break;
                }
            } catch (RuntimeException e) {
                // A bug must not take down the other calls on this agent.
                LOG.error("media agent {}: call {} failed handling its {} descriptor", name,
                        channel.spec().callId(), kind == TDM ? "B-channel" : kind == RTP ? "RTP" : "RTCP", e);
            }
        }

        @Override
        public void close() {
            // Not ours to close.
        }
    }
}
