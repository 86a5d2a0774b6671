package org.tandem.tdm.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.tandem.jna.libc.Posix;
import org.tandem.tdm.BChannel;
import org.tandem.tdm.DChannel;
import org.tandem.tdm.SpanAlarms;
import org.tandem.tdm.SpanType;
import org.tandem.tdm.TdmEvents;
import org.tandem.tdm.TdmSpan;

/**
 * One simulated span. Fault state (alarms, D-channel loss) is set from any thread and read by the
 * clock thread; span events go through a small queue whose pending state is an eventfd, so the
 * PRI signalling thread can poll it next to the D-channel.
 */
final class SimSpan implements TdmSpan {
    private static final int MAX_EVENTS = 64;

    private final SimulatedCard card;
    private final int spanNumber;
    private final SpanType type;
    private final int dChannelPos;
    private final int[] bChannelPositions;
    private final SimDChannel dChannel;
    private final int eventFd;
    private final Posix posix;

    /** Clock thread iterates this; replaced (never mutated) on the clock thread. */
    private volatile SimBChannel[] bChannels;

    volatile SimFarEnd farEnd;
    volatile int alarms;
    volatile boolean dChannelLost;
    /** Alarm bits last announced to the B-channels (clock thread). */
    private int channelAlarms;
    private volatile boolean closed;

    private final int[] events = new int[MAX_EVENTS];
    private int eventHead;
    private int eventCount;
    private final byte[] eventfdValue = new byte[8];

    SimSpan(SimulatedCard card, int spanNumber, SpanType type, int dChannelPos, int[] bChannelPositions,
            int firstChanno) {
        this.card = card;
        this.posix = card.posix();
        this.spanNumber = spanNumber;
        this.type = type;
        this.dChannelPos = dChannelPos;
        this.bChannelPositions = bChannelPositions.clone();
        Arrays.sort(this.bChannelPositions);
        List<int[]> opened = new ArrayList<>();
        int efd = -1;
        try {
            int sockType = org.tandem.jna.libc.LibC.SOCK_SEQPACKET | org.tandem.jna.libc.LibC.SOCK_NONBLOCK
                | org.tandem.jna.libc.LibC.SOCK_CLOEXEC;
            int[] dPair = card.socketPair(sockType, 0);
            opened.add(dPair);
            this.dChannel = new SimDChannel(this, posix, dPair);
            efd = posix.eventfd(0, org.tandem.jna.libc.LibC.EFD_NONBLOCK | org.tandem.jna.libc.LibC.EFD_CLOEXEC);
            SimBChannel[] chans = new SimBChannel[this.bChannelPositions.length];
            for (int i = 0; i < chans.length; i++) {
                int[] pair = card.socketPair(sockType, card.config().blockSize());
                opened.add(pair);
                int pos = this.bChannelPositions[i];
                chans[i] = new SimBChannel(card, this, pos, firstChanno + pos - 1, pair);
            }
            this.bChannels = chans;
            this.eventFd = efd;
        } catch (RuntimeException e) {
            for (int[] p : opened) {
                posix.closeQuietly(p[0]);
                posix.closeQuietly(p[1]);
            }
            posix.closeQuietly(efd);
            throw e;
        }
    }

    SimulatedCard card() {
        return card;
    }

    boolean matches(SpanType t, int dpos, int[] bpos) {
        int[] sorted = bpos.clone();
        Arrays.sort(sorted);
        return t == type && dpos == dChannelPos && Arrays.equals(sorted, bChannelPositions);
    }

    /** Alarms that mean the line carries nothing: no frames, no audio (yellow is the far end's problem). */
    private static final int LINE_DOWN_ALARMS = SpanAlarms.RED | SpanAlarms.BLUE | SpanAlarms.LOS | SpanAlarms.LFA;

    /** Any thread: D-channel frames are lost (line alarm or injected D-channel loss). */
    boolean lineDown() {
        return (alarms & LINE_DOWN_ALARMS) != 0 || dChannelLost;
    }

    /**
     * Clock thread: one period of the whole span. An alarm change reaches every B-channel as an
     * ALARM/NOALARM event, as DAHDI's {@code dahdi_alarm_notify} queues one on each channel.
     */
    void tick(boolean catchUp) {
        int a = alarms;
        SimBChannel[] chans = bChannels;
        if (a != channelAlarms) {
            channelAlarms = a;
            for (SimBChannel c : chans) {
                c.postEvent(a == SpanAlarms.NONE ? TdmEvents.NOALARM : TdmEvents.ALARM);
            }
        }
        boolean red = (a & LINE_DOWN_ALARMS) != 0;
        SimFarEnd fe = farEnd;
        for (SimBChannel c : chans) {
            c.tick(fe, red, catchUp);
        }
    }

    /** Clock thread. */
    void removeBChannel(SimBChannel ch) {
        ch.closeFds();
        SimBChannel[] old = bChannels;
        SimBChannel[] next = new SimBChannel[old.length];
        int n = 0;
        for (SimBChannel c : old) {
            if (c != ch) {
                next[n++] = c;
            }
        }
        bChannels = Arrays.copyOf(next, n);
    }

    /** Clock thread (or after the clock stopped). */
    void closeFds() {
        closed = true;
        for (SimBChannel c : bChannels) {
            c.closeFds();
        }
        bChannels = new SimBChannel[0];
        dChannel.closeFds();
        synchronized (events) {
            posix.closeQuietly(eventFd);
        }
    }

    boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------ events

    /** Any thread. Queues a span event and makes the eventfd readable. */
    void postEvent(int event) {
        synchronized (events) {
            if (closed) {
                return;
            }
            if (eventCount == MAX_EVENTS) {
                eventHead = (eventHead + 1) % MAX_EVENTS; // keep the newest: the latest state matters
                eventCount--;
            }
            events[(eventHead + eventCount) % MAX_EVENTS] = event;
            eventCount++;
            eventfdValue[0] = 1; // eventfd takes a host-order uint64 (little-endian on x86_64/aarch64)
            posix.write(eventFd, eventfdValue, 8);
        }
    }

    int popEvent() {
        synchronized (events) {
            if (eventCount == 0 || closed) {
                return TdmEvents.NONE;
            }
            int e = events[eventHead];
            eventHead = (eventHead + 1) % MAX_EVENTS;
            eventCount--;
            if (eventCount == 0) {
                posix.read(eventFd, eventfdValue, 8); // reset the counter: nothing pending
            }
            return e;
        }
    }

    int eventFd() {
        return eventFd;
    }

    /** Any thread: sets the alarm bits, queuing ALARM on a change to non-zero and NOALARM on clear. */
    void setAlarms(int newAlarms) {
        int old;
        synchronized (events) {
            old = alarms;
            alarms = newAlarms;
        }
        if (old != newAlarms) {
            postEvent(newAlarms == 0 ? TdmEvents.NOALARM : TdmEvents.ALARM);
        }
    }

    SimBChannel simBChannel(int chanpos) {
        for (SimBChannel c : bChannels) {
            if (c.chanpos() == chanpos) {
                return c;
            }
        }
        return null;
    }

    SimDChannel simDChannel() {
        return dChannel;
    }

    // ------------------------------------------------------------------ TdmSpan

    @Override
    public int spanNumber() {
        return spanNumber;
    }

    @Override
    public SpanType type() {
        return type;
    }

    @Override
    public String name() {
        return "sim/" + spanNumber;
    }

    @Override
    public DChannel dChannel() {
        return dChannel;
    }

    @Override
    public List<BChannel> bChannels() {
        return Collections.unmodifiableList(Arrays.asList((BChannel[]) bChannels.clone()));
    }

    @Override
    public BChannel bChannel(int chanpos) {
        return simBChannel(chanpos);
    }

    @Override
    public int alarms() {
        return alarms;
    }

    @Override
    public void close() {
        card.closeSpan(this);
    }

    @Override
    public String toString() {
        return name() + " " + type + " d=" + dChannelPos + " b=" + bChannels.length + " alarms="
            + SpanAlarms.describe(alarms);
    }
}
