package org.tandem.gateway.call;

import java.util.Arrays;
import org.tandem.config.ChannelGroupConfig.Hunting;

/**
 * Chooses a free B-channel in one channel group according to the group's hunting policy.
 *
 * <p>Channels are numbered 0..n-1 in the group's canonical order (span ascending, then chanpos
 * ascending); the caller maps indexes to (span, chanpos). Owned by the call-control thread.
 *
 * <ul>
 *   <li>ASCENDING: lowest free channel first. The classic choice of a CPE facing a network that
 *       hunts DESCENDING, which keeps glare (both sides seizing one channel) rare.</li>
 *   <li>DESCENDING: highest free channel first.</li>
 *   <li>ROUNDROBIN: the next free channel after the one chosen last, wrapping.</li>
 *   <li>LRU: the free channel released longest ago, which spreads wear and makes a faulty
 *       timeslot show up in many calls rather than hiding in one.</li>
 * </ul>
 */
public final class ChannelHunter {
    private final Hunting policy;
    private final boolean[] available;
    private final long[] releasedAt;
    private int lastChosen = -1;
    private long releaseSequence;

    public ChannelHunter(Hunting policy, int channels) {
        this.policy = policy;
        this.available = new boolean[channels];
        this.releasedAt = new long[channels];
        Arrays.fill(available, true);
    }

    public int size() {
        return available.length;
    }

    public boolean isAvailable(int index) {
        return available[index];
    }

    /** Marks a channel busy (in a call), blocked, in alarm or restarting. */
    public void markUnavailable(int index) {
        available[index] = false;
    }

    /** Marks a channel free for new calls; for LRU, it becomes the most recently used. */
    public void markAvailable(int index) {
        if (!available[index]) {
            releasedAt[index] = ++releaseSequence;
        }
        available[index] = true;
    }

    /** Count of channels free for a new call. */
    public int availableCount() {
        int n = 0;
        for (boolean a : available) {
            if (a) {
                n++;
            }
        }
        return n;
    }

    /**
     * Picks and reserves a free channel.
     *
     * @return the channel's index, or -1 when every channel is unavailable (cause 34, no
     *     circuit/channel available)
     */
    public int hunt() {
        int chosen = switch (policy) {
            case ASCENDING -> firstFrom(0, 1);
            case DESCENDING -> firstFrom(available.length - 1, -1);
            case ROUNDROBIN -> nextAfter(lastChosen);
            case LRU -> leastRecentlyReleased();
        };
        if (chosen >= 0) {
            available[chosen] = false;
            lastChosen = chosen;
        }
        return chosen;
    }

    private int firstFrom(int start, int step) {
        for (int i = start; i >= 0 && i < available.length; i += step) {
            if (available[i]) {
                return i;
            }
        }
        return -1;
    }

    private int nextAfter(int last) {
        int n = available.length;
        for (int k = 1; k <= n; k++) {
            int i = Math.floorMod(last + k, n);
            if (available[i]) {
                return i;
            }
        }
        return -1;
    }

    private int leastRecentlyReleased() {
        int best = -1;
        for (int i = 0; i < available.length; i++) {
            if (available[i] && (best < 0 || releasedAt[i] < releasedAt[best])) {
                best = i;
            }
        }
        return best;
    }
}
