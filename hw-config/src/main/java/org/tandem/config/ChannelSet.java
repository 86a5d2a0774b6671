package org.tandem.config;

import java.util.Arrays;
import java.util.stream.IntStream;

/** A sorted set of timeslots or channel numbers, written as ranges: {@code 1-15,17-31}. */
public final class ChannelSet {
    private final int[] channels;

    private ChannelSet(int[] sortedDistinct) {
        this.channels = sortedDistinct;
    }

    public static ChannelSet of(int... channels) {
        return new ChannelSet(IntStream.of(channels).sorted().distinct().toArray());
    }

    public static ChannelSet range(int first, int last) {
        return new ChannelSet(IntStream.rangeClosed(first, last).toArray());
    }

    public boolean contains(int channel) {
        return Arrays.binarySearch(channels, channel) >= 0;
    }

    public int size() {
        return channels.length;
    }

    public IntStream stream() {
        return Arrays.stream(channels);
    }

    public int max() {
        return channels.length == 0 ? 0 : channels[channels.length - 1];
    }

    /** The same set shifted by {@code offset}: timeslots to DAHDI's global channel numbers. */
    public ChannelSet shift(int offset) {
        return new ChannelSet(stream().map(c -> c + offset).toArray());
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < channels.length; ) {
            int j = i;
            while (j + 1 < channels.length && channels[j + 1] == channels[j] + 1) {
                j++;
            }
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(channels[i]);
            if (j > i) {
                b.append('-').append(channels[j]);
            }
            i = j + 1;
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelSet c && Arrays.equals(channels, c.channels);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(channels);
    }
}
