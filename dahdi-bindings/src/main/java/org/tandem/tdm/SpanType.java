package org.tandem.tdm;

/** Line type of a span. E1: 32 timeslots, D-channel on 16. T1: 24 timeslots, D-channel on 24. */
public enum SpanType {
    E1(31, 16), T1(24, 24);

    private final int timeslots;
    private final int defaultDChannel;

    SpanType(int timeslots, int defaultDChannel) {
        this.timeslots = timeslots;
        this.defaultDChannel = defaultDChannel;
    }

    /** Highest usable timeslot (channel position within the span). */
    public int timeslots() {
        return timeslots;
    }

    public int defaultDChannel() {
        return defaultDChannel;
    }
}
