package org.tandem.gateway.call;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tandem.config.ChannelGroupConfig;

/**
 * Every B-channel of every span, by group, with what makes it usable for a new call. Owned by the
 * call-control thread.
 *
 * <p>A channel is offered to a new call only when all hold: no call is on it (a PSTN leg holds it
 * from SETUP sent or received until libpri reports the call released), the operator has not
 * blocked it, the gateway has not taken it out of service for repeated failures ({@link ChannelFaults}),
 * its span's D-channel is up and no span alarm takes the span out of service. Every
 * change re-derives the channel's availability in its group's {@link ChannelHunter}, so the hunter
 * never offers a channel in alarm, on a span with its D-channel down, or blocked.
 */
public final class ChannelTable {

    /** One B-channel. */
    public static final class Channel {
        private final int span;
        private final int chanpos;
        private final Group group;
        private final int index;
        private Object occupant;
        private boolean blocked;
        private boolean outOfService;
        /** Local failures of calls on it in a row (ChannelFaults), reset by a call that worked. */
        int consecutiveFaults;
        /**
         * Its last wait out of service before a trial call (doubled if it is taken out again); 0
         * once a call proved it (ChannelFaults): non-zero means shown as faulty.
         */
        long retryMs;
        /** The timer that offers it again, while out of service. */
        CallControlAgent.Timer retryTimer;

        private Channel(int span, int chanpos, Group group, int index) {
            this.span = span;
            this.chanpos = chanpos;
            this.group = group;
            this.index = index;
        }

        public int span() {
            return span;
        }

        public int chanpos() {
            return chanpos;
        }

        public String group() {
            return group.name;
        }

        public Object occupant() {
            return occupant;
        }

        public boolean isBlocked() {
            return blocked;
        }

        /** Taken out of service by the gateway after repeated local failures ({@link ChannelFaults}). */
        public boolean isOutOfService() {
            return outOfService;
        }

        @Override
        public String toString() {
            return span + "/" + chanpos;
        }
    }

    private static final class Group {
        final String name;
        final ChannelHunter hunter;
        final List<Channel> channels = new ArrayList<>();

        Group(String name, ChannelGroupConfig.Hunting policy, int size) {
            this.name = name;
            this.hunter = new ChannelHunter(policy, size);
        }
    }

    private static final class SpanState {
        boolean dChannelUp;
        boolean inService = true;
    }

    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<Long, Channel> byPosition = new HashMap<>();
    private final Map<Integer, SpanState> spans = new HashMap<>();

    /**
     * Declares a group's channels in canonical order (span ascending, then chanpos ascending).
     *
     * @param channels pairs {span, chanpos}
     */
    public void addGroup(String name, ChannelGroupConfig.Hunting policy, List<int[]> channels) {
        if (groups.containsKey(name)) {
            throw new IllegalArgumentException("group " + name + " declared twice");
        }
        Group g = new Group(name, policy, channels.size());
        groups.put(name, g);
        for (int[] sc : channels) {
            Channel c = new Channel(sc[0], sc[1], g, g.channels.size());
            g.channels.add(c);
            byPosition.put(key(sc[0], sc[1]), c);
            spans.computeIfAbsent(sc[0], k -> new SpanState());
        }
        for (Channel c : g.channels) {
            refresh(c);
        }
    }

    public boolean hasGroup(String name) {
        return groups.containsKey(name);
    }

    /** The channel at span/chanpos, or null when it is not a configured B-channel. */
    public Channel channel(int span, int chanpos) {
        return byPosition.get(key(span, chanpos));
    }

    /** Hunts a usable channel in a group and gives it to {@code occupant}; null when none (cause 34). */
    public Channel seize(String group, Object occupant) {
        Group g = groups.get(group);
        if (g == null) {
            return null;
        }
        int i = g.hunter.hunt();
        if (i < 0) {
            return null;
        }
        Channel c = g.channels.get(i);
        c.occupant = occupant;
        return c;
    }

    /**
     * Takes a channel the far end chose (incoming SETUP). Returns false when it is already occupied
     * in our table (the caller decides how to resolve it, e.g. glare).
     */
    public boolean occupy(Channel c, Object occupant) {
        if (c.occupant != null) {
            return false;
        }
        c.occupant = occupant;
        refresh(c);
        return true;
    }

    /** The call on the channel is gone: the channel is idle again (if not blocked or in alarm). */
    public void free(Channel c, Object occupant) {
        if (c.occupant == occupant) {
            c.occupant = null;
            refresh(c);
        }
    }

    public void setBlocked(Channel c, boolean blocked) {
        c.blocked = blocked;
        refresh(c);
    }

    /** The gateway takes a faulty channel out of service (or offers it again): no new call gets it. */
    public void setOutOfService(Channel c, boolean outOfService) {
        c.outOfService = outOfService;
        refresh(c);
    }

    public void setDChannelUp(int span, boolean up) {
        SpanState s = spans.computeIfAbsent(span, k -> new SpanState());
        s.dChannelUp = up;
        refreshSpan(span);
    }

    public void setInService(int span, boolean inService) {
        SpanState s = spans.computeIfAbsent(span, k -> new SpanState());
        s.inService = inService;
        refreshSpan(span);
    }

    /** The span's D-channel is up and no alarm takes it out of service. */
    public boolean spanUsable(int span) {
        SpanState s = spans.get(span);
        return s != null && s.dChannelUp && s.inService;
    }

    /** Channels of a span, in chanpos order. */
    public List<Channel> spanChannels(int span) {
        List<Channel> out = new ArrayList<>();
        for (Group g : groups.values()) {
            for (Channel c : g.channels) {
                if (c.span == span) {
                    out.add(c);
                }
            }
        }
        out.sort((a, b) -> Integer.compare(a.chanpos, b.chanpos));
        return out;
    }

    /** Every channel, group by group. */
    public List<Channel> all() {
        List<Channel> out = new ArrayList<>();
        for (Group g : groups.values()) {
            out.addAll(g.channels);
        }
        return out;
    }

    /** Whether the hunter may give the channel to a new call now. */
    public boolean offered(Channel c) {
        return c.group.hunter.isAvailable(c.index);
    }

    /** Channels with a call on them. */
    public int occupiedCount() {
        int n = 0;
        for (Channel c : byPosition.values()) {
            if (c.occupant != null) {
                n++;
            }
        }
        return n;
    }

    /** Channels a new call could get in this group now. */
    public int availableCount(String group) {
        Group g = groups.get(group);
        return g == null ? 0 : g.hunter.availableCount();
    }

    private void refreshSpan(int span) {
        for (Channel c : byPosition.values()) {
            if (c.span == span) {
                refresh(c);
            }
        }
    }

    private void refresh(Channel c) {
        boolean usable = c.occupant == null && !c.blocked && !c.outOfService && spanUsable(c.span);
        if (usable) {
            c.group.hunter.markAvailable(c.index);
        } else {
            c.group.hunter.markUnavailable(c.index);
        }
    }

    private static long key(int span, int chanpos) {
        return (long) span << 32 | chanpos;
    }
}
