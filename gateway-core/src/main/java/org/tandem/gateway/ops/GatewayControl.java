package org.tandem.gateway.ops;

import java.util.concurrent.CompletionStage;

/**
 * What an operator can ask the running gateway to do; implemented by call control, called by the
 * console ({@code tandem ctl}) on its own threads.
 *
 * <p>Each method only queues the request to call control's thread and returns; the stage
 * completes there with a one-line, human-readable result ("span 1: 30 channels blocked, 2 calls
 * draining"), or exceptionally with a {@link ControlException} whose message says why it was
 * refused (unknown span, not the simulated backend, ...). The console waits a bounded time.
 *
 * <p>Block semantics (drain): a blocked channel is offered no new call in either direction; a
 * call already on it continues to its natural end, then the channel stays idle and blocked.
 * Implementations record the block in {@link GatewayModel} ({@code setChannelBlocked} /
 * {@code setSpanBlocked}) so SNMP and the console show it.
 */
public interface GatewayControl {

    /** Blocks a span or a channel (drain, see above). */
    CompletionStage<String> block(ChannelRef target);

    /** Lifts a block. */
    CompletionStage<String> unblock(ChannelRef target);

    /**
     * Releases a call (PRI DISCONNECT with cause 16, SIP BYE or CANCEL as the state requires).
     *
     * @param callId {@link ActiveCall#callId()}
     */
    CompletionStage<String> hangup(String callId);

    /**
     * Re-reads the configuration and applies what can change without dropping calls (routes,
     * trunks, cause maps). The result lists what was applied and what needs a restart.
     */
    CompletionStage<ReloadReport> reload();

    /**
     * Drains the whole gateway: no new call in either direction (SIP INVITE and OPTIONS get 503
     * with Retry-After, so a load balancer takes the gateway out of rotation; a PSTN SETUP gets
     * cause 34), while calls in progress go on. tgGatewayState shows draining(4).
     */
    default CompletionStage<String> drain() {
        return java.util.concurrent.CompletableFuture.failedStage(new ControlException("drain is not supported"));
    }

    /** Lifts {@link #drain}: new calls are accepted again. */
    default CompletionStage<String> undrain() {
        return java.util.concurrent.CompletableFuture.failedStage(new ControlException("undrain is not supported"));
    }

    /** Simulated backend only: the simulated exchange originates a call PSTN -> SIP. */
    CompletionStage<String> simOriginate(String from, String to);

    /** Simulated backend only: raises a red alarm on a span, or clears it. */
    CompletionStage<String> simAlarm(int span, boolean red);

    /**
     * Simulated backend only: breaks one B-channel (every per-call setting the gateway makes on it
     * fails with an I/O error, as on a faulty card) or repairs it.
     */
    default CompletionStage<String> simBreak(ChannelRef channel, boolean broken) {
        return java.util.concurrent.CompletableFuture.failedStage(new ControlException("sim break is not supported"));
    }

    /**
     * Outcome of a reload.
     *
     * @param applied what changed and took effect, one line each
     * @param needsRestart what changed but only takes effect after a restart
     */
    record ReloadReport(java.util.List<String> applied, java.util.List<String> needsRestart) {
        public ReloadReport {
            applied = java.util.List.copyOf(applied);
            needsRestart = java.util.List.copyOf(needsRestart);
        }
    }
}
