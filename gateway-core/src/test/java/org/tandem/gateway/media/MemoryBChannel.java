package org.tandem.gateway.media;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.tandem.tdm.BChannel;
import org.tandem.tdm.TdmEvents;
import org.tandem.tdm.TdmLaw;

/** A B-channel in memory: the test queues blocks to read and inspects the blocks written. */
final class MemoryBChannel implements BChannel {
    final ArrayDeque<byte[]> toRead = new ArrayDeque<>();
    final List<byte[]> written = new ArrayList<>();

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
        byte[] b = new byte[src.remaining()];
        src.get(b);
        written.add(b);
        return b.length;
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
