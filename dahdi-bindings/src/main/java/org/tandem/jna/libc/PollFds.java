package org.tandem.jna.libc;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * Flyweight over a native array of {@code struct pollfd}:
 * <pre>
 *  0      4        6         8
 *  +------+--------+---------+
 *  | fd   | events | revents |   x capacity
 *  +------+--------+---------+
 * </pre>
 * Allocated once; reused by one thread for every poll.
 */
public final class PollFds {
    public static final int SIZEOF_POLLFD = 8;
    private static final int FD = 0;
    private static final int EVENTS = 4;
    private static final int REVENTS = 6;

    private final Memory memory;
    private final long address;
    private final int capacity;

    public PollFds(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0: " + capacity);
        }
        this.capacity = capacity;
        this.memory = new Memory((long) capacity * SIZEOF_POLLFD);
        this.memory.clear();
        this.address = Pointer.nativeValue(memory);
    }

    public int capacity() {
        return capacity;
    }

    /** Sets entry {@code i} and clears its revents. */
    public PollFds set(int i, int fd, short events) {
        long base = offset(i);
        memory.setInt(base + FD, fd);
        memory.setShort(base + EVENTS, events);
        memory.setShort(base + REVENTS, (short) 0);
        return this;
    }

    public int fd(int i) {
        return memory.getInt(offset(i) + FD);
    }

    public short events(int i) {
        return memory.getShort(offset(i) + EVENTS);
    }

    public short revents(int i) {
        return memory.getShort(offset(i) + REVENTS);
    }

    public Pointer pointer() {
        return memory;
    }

    public long address() {
        return address;
    }

    private long offset(int i) {
        if (i < 0 || i >= capacity) {
            throw new IndexOutOfBoundsException("pollfd " + i + " of " + capacity);
        }
        return (long) i * SIZEOF_POLLFD;
    }
}
