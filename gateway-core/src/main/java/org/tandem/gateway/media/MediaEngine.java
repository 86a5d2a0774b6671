package org.tandem.gateway.media;

import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.rtp.RtpPortAllocator;
import org.tandem.gateway.rtp.RtpPorts;

/** The media agents and the RTP port allocator: the {@link MediaProxy} call control holds. */
public final class MediaEngine implements MediaProxy, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MediaEngine.class);
    static final MediaStats EMPTY_STATS = new MediaStats(0, 0, 0, 0, 0, 0, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    private final MediaConfig config;
    private final RtpPortAllocator ports;
    private final MediaAgent[] agents;
    /**
     * The latest call on each B-channel (by its fd) until its detach completes: a B-channel's
     * calls stay on one agent while one is still leaving, so its detach and the next attach are
     * queued in order on one loop (docs/MEDIA.md "One B-channel, one agent at a time").
     */
    private final java.util.concurrent.ConcurrentHashMap<Integer, MediaHandle> lastOnChannel =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final SplittableRandom seeds = new SplittableRandom();
    /** Where channels count their B-channel octets per span (IF-MIB); null until set. */
    private volatile org.tandem.gateway.ops.SpanOctets spanOctets;

    public MediaEngine(MediaConfig config) {
        this(config, System::nanoTime);
    }

    /**
     * @param nanoClock monotonic clock of the agents (tests may pass their own)
     * @throws IllegalStateException when native epoll is unavailable, saying why
     */
    public MediaEngine(MediaConfig config, LongSupplier nanoClock) {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("the media engine needs Netty's native epoll transport (Linux x86_64): "
                    + Epoll.unavailabilityCause(), Epoll.unavailabilityCause());
        }
        this.config = config;
        this.ports = new RtpPortAllocator(config.bindAddress(), config.portFirst(), config.portLast(), config.dscp());
        int n = config.resolvedAgents();
        this.agents = new MediaAgent[n];
        for (int i = 0; i < n; i++) {
            agents[i] = new MediaAgent("media-" + i, nanoClock);
        }
        LOG.info("media engine: {} agent(s), RTP {}:{}-{}, DSCP {}, jitter buffer {}..{} ms", n,
                config.bindAddress().getHostAddress(), config.portFirst(), config.portLast(), config.dscp(),
                config.jitterMinMs(), config.jitterMaxMs());
    }

    /** Agent {@code i} (tests: its buffers are read on its thread). */
    MediaAgent agent(int i) {
        return agents[i];
    }

    public MediaConfig config() {
        return config;
    }

    /**
     * Calls on each agent ({@code media-0} first), attached or being attached: how the least-loaded
     * placement spread them. Any thread; each figure is read on its own, not as one snapshot.
     */
    public int[] callsPerAgent() {
        int[] calls = new int[agents.length];
        for (int i = 0; i < agents.length; i++) {
            calls[i] = agents[i].load();
        }
        return calls;
    }

    @Override
    public RtpPorts allocatePorts() throws IOException {
        return ports.allocate();
    }

    @Override
    public int portsInUse() {
        return ports.inUseCount();
    }

    @Override
    public MediaHandle attach(MediaSessionSpec spec, MediaListener listener) {
        int tdmFd = spec.channel().fd();
        MediaHandle previous = lastOnChannel.get(tdmFd);
        MediaAgent agent;
        if (previous != null && previous.agent() != null) { // its entry goes when its detach completes
            // The B-channel's previous call is still being detached: same agent, so its detach
            // (queued already) runs before this attach and no two agents read the B-channel.
            agent = previous.agent();
        } else {
            agent = agents[0];
            for (MediaAgent a : agents) {
                if (a.load() < agent.load()) {
                    agent = a;
                }
            }
        }
        MediaHandle handle = new MediaHandle(spec.callId(), agent, spec.ports().rtpPort());
        lastOnChannel.put(tdmFd, handle);
        handle.onDetached(() -> lastOnChannel.remove(tdmFd, handle));
        long seed;
        synchronized (seeds) {
            seed = seeds.nextLong();
        }
        CompletableFuture<Void> done = handle.attachedPromise();
        done.whenComplete((v, e) -> {
            if (e != null) {
                spec.ports().close();
                LOG.warn("call {}: media attach failed: {}", spec.callId(), e.getMessage());
            }
        });
        // Built on the agent's thread, from the agent's buffers (MediaBuffers: one thread, no lock).
        MediaAgent owner = agent;
        org.tandem.gateway.ops.SpanOctets octets = spanOctets;
        try {
            agent.attach(buffers -> {
                MediaChannel channel = new MediaChannel(handle, spec, listener, owner.now(), owner.ntpOffsetNs(),
                        config.jitterMinMs(), config.jitterMaxMs(), config.rtpTimeoutMs() * 1_000_000L, seed,
                        buffers);
                channel.countSpanOctets(octets);
                handle.bind(channel);
                return channel;
            }, done);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.completeExceptionally(new IllegalStateException("media agent " + agent.name() + " is shut down", e));
        }
        return handle;
    }

    @Override
    public void close() {
        for (MediaAgent a : agents) {
            a.close();
        }
    }

    /** Channels opened from now on count their span octets in {@code octets} (the ops model's). */
    public void countSpanOctets(org.tandem.gateway.ops.SpanOctets octets) {
        this.spanOctets = octets;
    }
}
