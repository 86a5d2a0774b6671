package org.tandem.simexchange;

import org.tandem.jna.libc.LibC;
import org.tandem.jna.libc.PollFds;
import org.tandem.jna.libc.Posix;
import org.tandem.tdm.BChannel;

import java.nio.ByteBuffer;

/** The gateway's side of a B-channel in a test: read one block when the card delivers it. */
final class BChannelIo {
    private final Posix posix = Posix.system();
    private final PollFds fds = new PollFds(1);
    private final BChannel channel;
    private final ByteBuffer in;
    private final ByteBuffer out;

    BChannelIo(BChannel channel) {
        this.channel = channel;
        this.in = ByteBuffer.allocateDirect(channel.blockSize());
        this.out = ByteBuffer.allocateDirect(channel.blockSize());
    }

    /** Waits (bounded) for the next block; fails the test if none comes within 2 s. */
    byte[] readBlock() {
        for (int i = 0; i < 20; i++) {
            in.clear();
            int n = channel.read(in);
            if (n > 0) {
                byte[] b = new byte[n];
                in.flip();
                in.get(b);
                return b;
            }
            if (n == BChannel.CLOSED) {
                throw new AssertionError("B-channel " + channel.chanpos() + " closed");
            }
            fds.set(0, channel.fd(), LibC.POLLIN);
            posix.poll(fds, 1, 100);
        }
        throw new AssertionError("no block on B-channel " + channel.chanpos() + " within 2 s");
    }

    void writeBlock(byte[] block) {
        out.clear();
        out.put(block);
        out.flip();
        int n = channel.write(out);
        if (n != block.length) {
            throw new AssertionError("write of " + block.length + " bytes to B-channel " + channel.chanpos()
                + " returned " + n);
        }
    }

    /** Drops whatever is queued, so the next read is fresh. */
    void drain() {
        for (int i = 0; i < 64; i++) {
            in.clear();
            if (channel.read(in) <= 0) {
                return;
            }
        }
    }
}
