package org.tandem.gateway.media;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * Call control's hold on one call's media. Every method may be called from any thread: it queues a
 * command to the owning agent and returns at once. Futures complete on the agent's thread; call
 * control should hop back to its own queue in the continuation (e.g. {@code whenComplete((s, e) ->
 * myQueue.offer(...))}) rather than do work there.
 */
public final class MediaHandle {
    private final String callId;
    private final MediaAgent agent;
    private final CompletableFuture<Void> attached = new CompletableFuture<>();
    private volatile MediaChannel channel;
    private volatile int localRtpPort;
    private volatile CompletableFuture<MediaStats> detached;
    /** The engine's, run once the detach has completed (set before the handle is returned). */
    private volatile Runnable onDetached;

    MediaHandle(String callId, MediaAgent agent, int localRtpPort) {
        this.callId = callId;
        this.agent = agent;
        this.localRtpPort = localRtpPort;
    }

    /** The channel, once built (on its agent's thread, before {@link #attached} completes). */
    void bind(MediaChannel channel) {
        this.channel = channel;
    }

    public String callId() {
        return callId;
    }

    /** Local RTP port (RTCP is +1), for the SDP. */
    public int localRtpPort() {
        return localRtpPort;
    }

    /** Name of the agent thread carrying the call (for logs). */
    public String agentName() {
        return agent == null ? "none" : agent.name();
    }

    /**
     * Completes when the channel is on its agent's loop and media flows; completes exceptionally
     * (the ports already closed) if it could not be attached.
     */
    public CompletableFuture<Void> attached() {
        return attached;
    }

    CompletableFuture<Void> attachedPromise() {
        return attached;
    }

    /** A re-INVITE changed the peer's address: send there and latch again. */
    public CompletableFuture<Void> updateRemote(InetSocketAddress remoteRtp) {
        return run(() -> channel.updateRemote(remoteRtp));
    }

    /** New SRTP keys after a re-offer or a transfer (null: plain RTP from now on). */
    public CompletableFuture<Void> rekey(org.tandem.gateway.sdp.SrtpKeys keys) {
        return run(() -> channel.rekey(keys));
    }

    /** Hold/resume (RFC 3264 section 8.4): sendonly, recvonly, inactive, sendrecv. */
    public CompletableFuture<Void> setDirection(MediaDirection direction) {
        return run(() -> channel.setDirection(direction, agent.now()));
    }

    /** Plays a digit in-band towards the span (e.g. from SIP INFO). */
    public CompletableFuture<Void> playDigit(char digit, int durationMs) {
        return run(() -> {
            if (!channel.playDigit(digit, durationMs)) {
                throw new IllegalArgumentException("call " + callId + ": '" + digit + "' is not a DTMF digit");
            }
        });
    }

    /**
     * Connects the B-channels of two calls to each other, TDM to TDM (attended transfer of two
     * PSTN calls the exchange cannot join): each channel's blocks are written to the other, laws
     * converted if the spans differ; RTP, RTCP and the RTP timeout stop on both. Completes once
     * both agents have switched. Lasts until the channels are detached.
     */
    public static CompletableFuture<Void> bridge(MediaHandle a, MediaHandle b) {
        return CompletableFuture.allOf(a.attached, b.attached).thenCompose(v -> {
            MediaSessionSpec sa = a.channel.spec();
            MediaSessionSpec sb = b.channel.spec();
            TdmBridge bridge = new TdmBridge(sa.channel().blockSize(), sa.tdmLaw(), sb.channel().blockSize(),
                    sb.tdmLaw());
            return CompletableFuture.allOf(a.run(() -> a.channel.bridge(bridge.aToB, bridge.bToA)),
                    b.run(() -> b.channel.bridge(bridge.bToA, bridge.aToB)));
        });
    }

    /** A snapshot of the call's statistics, taken on the agent thread. */
    public CompletableFuture<MediaStats> stats() {
        CompletableFuture<MediaStats> f = new CompletableFuture<>();
        attached.whenComplete((v, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
                return;
            }
            submit(f, () -> f.complete(channel.stats()));
        });
        return f;
    }

    /**
     * Ends the call's media: sends RTCP BYE, closes the RTP ports (returning them to the
     * allocator), unregisters (MediaAgent.detach) and completes with the final statistics. Idempotent; safe while attach is
     * still pending or after it failed (then completes with empty statistics once the ports are
     * closed).
     *
     * <p>The detach is queued on the agent at once, not when the attach completes: the attach is
     * already on the same loop's queue, so it runs first (FIFO), and the detach stays ahead of
     * anything queued later, above all the next call's attach on the same B-channel. Chained on
     * the attach's completion instead, a detach called while the agent was behind (a stall, a
     * burst) ran after that next attach, which then found the B-channel still registered.
     */
    public synchronized CompletableFuture<MediaStats> detach() {
        if (detached != null) {
            return detached;
        }
        CompletableFuture<MediaStats> f = new CompletableFuture<>();
        detached = f;
        Runnable hook = onDetached;
        if (hook != null) {
            f.whenComplete((s, e) -> hook.run());
        }
        if (agent == null || attached.isCompletedExceptionally()) {
            attached.whenComplete((v, e) -> f.complete(MediaEngine.EMPTY_STATS));
            return f;
        }
        try {
            agent.loop().execute(() -> {
                if (!attached.isDone() || attached.isCompletedExceptionally()) {
                    // Failed (the engine closed the ports) or never queued (agent shut down).
                    f.complete(MediaEngine.EMPTY_STATS);
                    return;
                }
                MediaChannel ch = channel;
                try {
                    f.complete(detachOnAgent(ch));
                } catch (RuntimeException ex) {
                    f.completeExceptionally(ex);
                }
            });
        } catch (RejectedExecutionException ex) {
            // Shut down: the attach either failed or was detached by the agent's close().
            attached.whenComplete((v, e) -> {
                if (e != null) {
                    f.complete(MediaEngine.EMPTY_STATS);
                } else {
                    f.completeExceptionally(new IllegalStateException("media agent " + agent.name() + " is shut down", ex));
                }
            });
        }
        return f;
    }

    private MediaStats detachOnAgent(MediaChannel ch) {
        try {
            return agent.detach(ch);
        } finally {
            ch.spec().ports().close(); // before completing: the caller may count ports next
        }
    }

    void onDetached(Runnable hook) {
        this.onDetached = hook;
    }

    /** The agent carrying the call (the engine keeps a B-channel's calls on one agent). */
    MediaAgent agent() {
        return agent;
    }

    private CompletableFuture<Void> run(Runnable command) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        attached.whenComplete((v, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
                return;
            }
            submit(f, () -> {
                if (channel.detached()) {
                    // Its buffers may be another call's by now (MediaBuffers): touch nothing.
                    throw new IllegalStateException("call " + callId + ": media already detached");
                }
                command.run();
                f.complete(null);
            });
        });
        return f;
    }

    private void submit(CompletableFuture<?> f, Runnable command) {
        try {
            agent.loop().execute(() -> {
                try {
                    command.run();
                } catch (RuntimeException ex) {
                    f.completeExceptionally(ex);
                }
            });
        } catch (RejectedExecutionException ex) {
            f.completeExceptionally(new IllegalStateException("media agent " + agent.name() + " is shut down", ex));
        }
    }

    @Override
    public String toString() {
        return "MediaHandle[" + callId + " rtp " + localRtpPort + " on " + agent.name() + "]";
    }
}
