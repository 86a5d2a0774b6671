package org.tandem.testing.tdm;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.tandem.tdm.BChannel;
import org.tandem.tdm.TdmEvents;
import org.tandem.tdm.TdmLaw;

/**
 * A B-channel in memory, for a test or a benchmark that drives a media channel from its own
 * thread. Not a simulation of timing: the caller is the card's clock. Blocks to read are queued in
 * {@link #toRead} (by the caller, or one block of loud A-law noise per {@link #arrive()}); blocks
 * written are counted, and kept only by a recording channel:
 * <ul>
 *   <li>{@link #recording()}: for tests; every block written is copied into {@link #written}, in
 *       order, for the test to inspect.</li>
 *   <li>{@link #counting()}: for the per-frame benchmark; writes are counted and not kept, so
 *       {@link #arrive()}, {@link #read} and {@link #write} allocate nothing in steady state (the
 *       queue holds references to the one noise block; it never grows past one block per
 *       {@link #arrive()} the channel has not read yet).</li>
 * </ul>
 * Owned by one thread, as a real B-channel is owned by its media agent; nothing here is
 * thread-safe.
 */
public final class MemoryBChannel implements BChannel {
    private static final int BLOCK_SIZE = 160;
    /** What {@link #arrive()} queues: loud A-law noise, never a DTMF pair. Read-only. */
    private static final byte[] NOISE = noise();

    /** Blocks to be read, oldest first; {@link #flush} empties it. */
    public final ArrayDeque<byte[]> toRead = new ArrayDeque<>();
    /** A copy of every block written, in order (recording channel only; a counting one keeps it empty). */
    public final List<byte[]> written = new ArrayList<>();
    private final boolean keepWritten;
    private long writes;
    private long bytesWritten;

    private MemoryBChannel(boolean keepWritten) {
        this.keepWritten = keepWritten;
    }

    /** A channel that keeps a copy of every block written in {@link #written}. */
    public static MemoryBChannel recording() {
        return new MemoryBChannel(true);
    }

    /** A channel that only counts what is written: allocation-free, for benchmarks. */
    public static MemoryBChannel counting() {
        return new MemoryBChannel(false);
    }

    private static byte[] noise() {
        byte[] block = new byte[BLOCK_SIZE];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (0x80 | (i * 7 & 0x7F)); // loud A-law noise, never a DTMF pair
        }
        return block;
    }

    /** One block period of the card's clock: one block of noise becomes readable. */
    public void arrive() {
        toRead.add(NOISE);
    }

    /** Calls of {@link #write} so far. */
    public long writes() {
        return writes;
    }

    /** Bytes taken by {@link #write} so far. */
    public long bytesWritten() {
        return bytesWritten;
    }

    @Override
    public int read(ByteBuffer dst) {
        byte[] b = toRead.poll();
        if (b == null) {
            return WOULD_BLOCK;
        }
        dst.put(dst.position(), b);
        dst.position(dst.position() + b.length);
        return b.length;
    }

    @Override
    public int write(ByteBuffer src) {
        int n = src.remaining();
        if (keepWritten) {
            byte[] b = new byte[n];
            src.get(b);
            written.add(b);
        } else {
            src.position(src.limit());
        }
        writes++;
        bytesWritten += n;
        return n;
    }

    @Override
    public int channo() {
        return 1;
    }

    @Override
    public int spanNumber() {
        return 1;
    }

    @Override
    public int chanpos() {
        return 1;
    }

    @Override
    public int fd() {
        return -1;
    }

    @Override
    public int blockSize() {
        return BLOCK_SIZE;
    }

    @Override
    public void setBlockSize(int bytes) {
    }

    @Override
    public void setLaw(TdmLaw law) {
    }

    @Override
    public void setAudioMode(boolean audio) {
    }

    @Override
    public void setEchoCanceller(int tapLength) {
    }

    @Override
    public void flush(int which) {
        toRead.clear();
    }

    @Override
    public int alarms() {
        return 0;
    }

    @Override
    public int nextEvent() {
        return TdmEvents.NONE;
    }

    @Override
    public void close() {
    }
}
