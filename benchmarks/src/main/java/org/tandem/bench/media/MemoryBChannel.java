package org.tandem.bench.media;

import java.nio.ByteBuffer;
import org.tandem.tdm.BChannel;
import org.tandem.tdm.TdmEvents;
import org.tandem.tdm.TdmLaw;

/**
 * A B-channel in memory for the single-thread frame benchmark: {@link #arrive()} makes one block
 * readable (the card's clock), writes are taken and counted. Not a simulation of timing: the
 * benchmark is the clock.
 */
final class MemoryBChannel implements BChannel {
    private final byte[] block = new byte[160];
    private boolean readable;
    long written;

    MemoryBChannel() {
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (0x80 | (i * 7 & 0x7F)); // loud A-law noise, never a DTMF pair
        }
    }

    void arrive() {
        readable = true;
    }

    @Override
    public int read(ByteBuffer dst) {
        if (!readable) {
            return WOULD_BLOCK;
        }
        readable = false;
        dst.put(dst.position(), block);
        dst.position(dst.position() + block.length);
        return block.length;
    }

    @Override
    public int write(ByteBuffer src) {
        int n = src.remaining();
        src.position(src.limit());
        written += n;
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
        return 160;
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
        readable = false;
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
