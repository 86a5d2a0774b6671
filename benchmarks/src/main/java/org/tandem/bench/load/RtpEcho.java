package org.tandem.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every sipp caller's RTP endpoint (the INVITE's SDP names this one socket): each packet goes back
 * to where it came from, so audio runs both ways through the gateway, its span and the exchange's
 * loop-around line.
 */
final class RtpEcho implements AutoCloseable {
    private final DatagramChannel channel;
    private final Thread thread;
    final LongAdder packets = new LongAdder();

    RtpEcho() throws IOException {
        channel = DatagramChannel.open();
        channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        thread = new Thread(this::run, "rtp-echo");
        thread.setDaemon(true);
        thread.start();
    }

    int port() throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    private void run() {
        ByteBuffer buf = ByteBuffer.allocateDirect(2048);
        try {
            while (true) {
                buf.clear();
                SocketAddress from = channel.receive(buf);
                buf.flip();
                channel.send(buf, from);
                packets.increment();
            }
        } catch (ClosedChannelException e) {
            // closed: done
        } catch (IOException e) {
            if (channel.isOpen()) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
