package org.tandem.gateway.call;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.config.ChannelGroupConfig;

/**
 * Takes a B-channel out of service when calls in a row fail on it for a reason on the gateway's
 * side, and offers it to one trial call later. Call-control thread only.
 *
 * <p>Without this a broken channel is the worst one to have: hunting ascending picks the lowest
 * free channel, and a channel whose calls fail at once is free again at once, so it takes a large
 * share of the calls and fails every one (seen in the one-hour soak: seven broken channels, each
 * taking 376-530 of 3,000 failed calls; docs/BENCHMARKS.md).
 *
 * <p><b>What counts</b> ({@link #failed}): the channel could not be set up for the call (law,
 * audio mode, echo canceller: the card refused), the call's media could not attach to it, or the
 * channel was lost under the call. Calls the far end refuses or clears, and calls that never reach
 * media, count neither way. <b>What clears the count</b>: a call on the channel whose media
 * attached and which ended without such a failure ({@link #callEnded}).
 *
 * <p>After {@code [group] fault_limit} failures in a row the channel is out of service: not
 * hunted, a SETUP from the exchange on it gets cause 44 (as a blocked channel), shown as {@code
 * fault} with the last failure (console, SNMP tgChannelState/tgChannelFault, the notification
 * tgChannelOutOfService). After {@code fault_retry_s} it is offered again for one trial call (still
 * shown as {@code fault} until the trial proves it): when that call's media attaches the channel
 * is back in service (tgChannelInService); when it fails the channel goes out again for twice as
 * long, up to an hour. The operator's {@code unblock} puts it back at once ({@link #clear}).
 *
 * <p>Cost on the call path: nothing for a channel that has never failed (the attach is not
 * watched); a field write at the end of each call.
 */
final class ChannelFaults {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelFaults.class);
    /** The longest wait before a trial call, however often trials failed (unless the base is longer). */
    static final long MAX_RETRY_MS = 3_600_000L;

    private final ChannelTable table;
    private final CallControlAgent agent;
    private final OpsModelReporter ops;
    /** Per group: failures in a row before out of service (0: never) and the first wait. */
    private final Map<String, ChannelGroupConfig> groups;

    /** {@code groups}: as configured at start (groups change only with a restart). */
    ChannelFaults(ChannelTable table, CallControlAgent agent, OpsModelReporter ops,
            Map<String, ChannelGroupConfig> groups) {
        this.table = table;
        this.agent = agent;
        this.ops = ops;
        this.groups = Map.copyOf(groups);
    }

    /**
     * A call on {@code ch} failed for a local reason ({@code why}, one line). Counts it; takes the
     * channel out of service when the group's limit is reached.
     */
    void failed(ChannelTable.Channel ch, String why) {
        ChannelGroupConfig g = groups.get(ch.group());
        if (g == null || g.faultLimit() <= 0 || ch.isOutOfService()) {
            return;
        }
        ch.consecutiveFaults++;
        if (ch.consecutiveFaults < g.faultLimit()) {
            LOG.warn("B-channel {}: {} call(s) in a row failed on it (out of service at {}): {}", ch,
                    ch.consecutiveFaults, g.faultLimit(), why);
            return;
        }
        long base = g.faultRetryS() * 1000L;
        long delay = ch.retryMs == 0 ? base : Math.min(ch.retryMs * 2, Math.max(base, MAX_RETRY_MS));
        ch.retryMs = delay;
        table.setOutOfService(ch, true);
        String fault = why + " (" + ch.consecutiveFaults + " calls in a row)";
        ops.channelFault(ch, fault);
        LOG.error("B-channel {} taken out of service: {}; a trial call in {} s", ch, fault, delay / 1000);
        ch.retryTimer = agent.schedule(delay, () -> offerForTrial(ch, g));
    }

    /** Whether a call's attach on this channel must be watched: its success is news only here. */
    boolean suspect(ChannelTable.Channel ch) {
        return ch.consecutiveFaults > 0 || ch.retryMs > 0;
    }

    /** A call's media attached to {@code ch}: a channel on trial is back in service. */
    void attached(ChannelTable.Channel ch) {
        if (ch.retryMs > 0 && !ch.isOutOfService()) {
            ch.retryMs = 0;
            ops.channelFault(ch, null);
            LOG.info("B-channel {} back in service: the trial call's media attached", ch);
        }
    }

    /** A call whose media attached to {@code ch} ended without a local failure: the count starts again. */
    void callEnded(ChannelTable.Channel ch) {
        ch.consecutiveFaults = 0;
    }

    /** The operator unblocked {@code ch}: if the gateway held it out of service, it is back now. */
    boolean clear(ChannelTable.Channel ch) {
        boolean was = ch.retryMs > 0;
        if (ch.retryTimer != null) {
            ch.retryTimer.cancel();
            ch.retryTimer = null;
        }
        ch.consecutiveFaults = 0;
        ch.retryMs = 0;
        if (ch.isOutOfService()) {
            table.setOutOfService(ch, false);
        }
        if (was) {
            ops.channelFault(ch, null);
            LOG.info("B-channel {} back in service: unblocked by the operator", ch);
        }
        return was;
    }

    private void offerForTrial(ChannelTable.Channel ch, ChannelGroupConfig g) {
        ch.retryTimer = null;
        if (!ch.isOutOfService()) {
            return;
        }
        ch.consecutiveFaults = g.faultLimit() - 1; // one more failure takes it out again
        table.setOutOfService(ch, false);
        LOG.info("B-channel {}: offered to a trial call after {} s out of service", ch, ch.retryMs / 1000);
    }
}
