package org.tandem.pri;

import com.sun.jna.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.pri.PriEvent.ReleaseReason;
import org.tandem.pri.jna.LibPri;

/**
 * The RESTART procedure of one span (Q.931 5.5) for one B-channel or all of them: RESTART sent
 * ({@code pri_reset}) on command, for idle channels when the link comes up or an alarm clears, and
 * again on our own per-timeslot T316; RESTART received; RESTART ACKNOWLEDGE. A RESTART, sent or
 * received, releases the calls on its channel here, since libpri does not.
 *
 * <p>PRI engine thread only. Owns the per-timeslot T316 deadlines and RESTART counts.
 */
final class RestartProcedure {
    /** The span's logger: these lines were PriSpan's before the split. */
    private static final Logger LOG = LoggerFactory.getLogger(PriSpan.class);
    /** RESTARTs sent for one channel before giving up (libpri's N316). */
    private static final int N316 = 2;

    private final PriSpan span;
    private final PriSpanConfig config;
    private final LibPri lib;
    private final Pointer pri;
    private final PriCallTable calls;
    // Per-timeslot T316 (wall-clock ms, 0 = no RESTART outstanding) and RESTARTs sent. libpri 1.6.0
    // retransmits only the last RESTART it sent; RESTARTs are lost when both sides re-establish
    // layer 2 at once (the late SABME resets the link and drops the queued I-frames).
    private final long[] restartDueMs = new long[32];
    private final int[] restartsSent = new int[32];
    private final int t316Ms;
    private long earliestDueMs = Long.MAX_VALUE;

    RestartProcedure(PriSpan span, PriSpanConfig config, LibPri lib, Pointer pri, PriCallTable calls, int t316Ms) {
        this.span = span;
        this.config = config;
        this.lib = lib;
        this.pri = pri;
        this.calls = calls;
        this.t316Ms = t316Ms;
    }

    /**
     * Wall-clock ms of the earliest T316 running, or Long.MAX_VALUE. Kept up to date by every
     * change of the deadlines ({@link #deadlinesChanged}): the engine asks every span every turn.
     */
    long nextT316Millis() {
        return earliestDueMs;
    }

    private void deadlinesChanged() {
        long next = Long.MAX_VALUE;
        for (long due : restartDueMs) {
            if (due != 0) {
                next = Math.min(next, due);
            }
        }
        earliestDueMs = next;
    }

    /** T316 expiry: RESTART again (up to N316 times in all) for channels still unacknowledged. */
    void runT316(long nowMs) {
        if (earliestDueMs > nowMs) {
            return;
        }
        for (int ts = 1; ts < restartDueMs.length; ts++) {
            long due = restartDueMs[ts];
            if (due == 0 || due > nowMs) {
                continue;
            }
            restartDueMs[ts] = 0;
            if (!span.dChannelUp() || !span.inService() || calls.callOn(ts) != null) {
                continue;
            }
            if (restartsSent[ts] >= N316) {
                LOG.warn("{}: no RESTART ACKNOWLEDGE for channel {} after {} RESTARTs", config.name(), ts,
                    restartsSent[ts]);
                continue;
            }
            LOG.info("{}: T316 expired for channel {}: RESTART again", config.name(), ts);
            sendRestart(ts, false);
        }
        deadlinesChanged();
    }

    private void sendRestart(int ts, boolean first) {
        if (first) {
            restartsSent[ts] = 0;
        }
        if (lib.pri_reset(pri, ts) != 0) {
            LOG.warn("{}: libpri refused RESTART of channel {}", config.name(), ts);
            return;
        }
        restartsSent[ts]++;
        restartDueMs[ts] = System.currentTimeMillis() + t316Ms;
        earliestDueMs = Math.min(earliestDueMs, restartDueMs[ts]);
    }

    /** Command: RESTART one B-channel, releasing its call locally. */
    void reset(int ts) {
        if (!config.hasBChannel(ts)) {
            LOG.warn("{}: RESTART of channel {} ignored: not a B-channel of this span", config.name(), ts);
            return;
        }
        destroyCallsOn(ts);
        sendRestart(ts, true);
    }

    void restartIdleChannels() {
        int n = 0;
        for (int ts : config.bChannels()) {
            if (calls.callOn(ts) == null) {
                sendRestart(ts, true);
                n++;
            }
        }
        LOG.info("{}: RESTART sent for {} idle B-channel(s)", config.name(), n);
    }

    /** PRI_EVENT_RESTART: the far end restarted {@code ts} (ChannelId.ANY: all); libpri has acknowledged. */
    void onRestartReceived(int ts) {
        LOG.info("{}: RESTART received for {}", config.name(), ts == ChannelId.ANY ? "all channels"
            : "channel " + ts);
        destroyCallsOn(ts);
        span.emit(new PriEvent.ChannelRestarted(ts));
    }

    /** PRI_EVENT_RESTART_ACK for {@code ts} (ChannelId.ANY: all): its T316 stops. */
    void onRestartAcknowledged(int ts) {
        if (ts == ChannelId.ANY) {
            java.util.Arrays.fill(restartDueMs, 0);
        } else if (ts > 0 && ts < restartDueMs.length) {
            restartDueMs[ts] = 0;
        }
        deadlinesChanged();
        span.emit(new PriEvent.RestartAcknowledged(ts));
    }

    /** The D-channel went down: every T316 stops. */
    void onDChannelDown() {
        java.util.Arrays.fill(restartDueMs, 0); // sent again when the link is back
        earliestDueMs = Long.MAX_VALUE;
    }

    /** A RESTART (sent or received) does not clear the call inside libpri: destroy it ourselves. */
    private void destroyCallsOn(int ts) {
        for (PriCall call : calls.snapshot()) {
            if (ts == ChannelId.ANY || call.channel == ts) {
                lib.pri_destroycall(pri, call.handle);
                calls.release(call, PriCause.NORMAL_TEMPORARY_FAILURE, ReleaseReason.RESTART);
            }
        }
    }
}
