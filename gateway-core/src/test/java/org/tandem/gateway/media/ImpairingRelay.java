package org.tandem.gateway.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.tandem.testing.net.FreePorts;

/**
 * User-space UDP relay between the RTP peer and the gateway: towards the gateway it drops a
 * fraction of packets and delays each by a uniform 0..maxJitter (so packets also reorder);
 * towards the peer it forwards unchanged. One thread, bounded by {@link #close()}.
 */
final class ImpairingRelay implements AutoCloseable {
    private final DatagramChannel peerSide;
    private final DatagramChannel gatewaySide;
    private final InetSocketAddress gateway;
    private final double loss;
    private final long maxJitterNs;
    private final Random random;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile SocketAddress peer;
    volatile int dropped;
    volatile int forwarded;
    volatile int reordered;

    ImpairingRelay(InetSocketAddress gateway, double loss, int maxJitterMs, long seed) throws IOException {
        this.gateway = gateway;
        this.loss = loss;
        this.maxJitterNs = maxJitterMs * 1_000_000L;
        this.random = new Random(seed);
        peerSide = DatagramChannel.open().bind(new InetSocketAddress(FreePorts.LOOPBACK, 0));
        gatewaySide = DatagramChannel.open().bind(new InetSocketAddress(FreePorts.LOOPBACK, 0));
        peerSide.configureBlocking(false);
        gatewaySide.configureBlocking(false);
        thread = new Thread(this::run, "impairing-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** Where the peer sends to reach the gateway. */
    InetSocketAddress peerFacing() throws IOException {
        return (InetSocketAddress) peerSide.getLocalAddress();
    }

    /** The source address the gateway sees (it latches to it). */
    InetSocketAddress gatewayFacing() throws IOException {
        return (InetSocketAddress) gatewaySide.getLocalAddress();
    }

    private void run() {
        PriorityQueue<Object[]> pending = new PriorityQueue<>((a, b) -> Long.compare((Long) a[0], (Long) b[0]));
        ByteBuffer buf = ByteBuffer.allocate(1500);
        long lastSeq = -1;
        long lastDue = 0;
        try {
            while (running) {
                boolean idle = true;
                buf.clear();
                SocketAddress from = peerSide.receive(buf);
                if (from != null) {
                    idle = false;
                    peer = from;
                    buf.flip();
                    if (random.nextDouble() < loss) {
                        dropped++;
                    } else {
                        byte[] copy = new byte[buf.remaining()];
                        buf.get(copy);
                        long due = System.nanoTime() + (long) (random.nextDouble() * maxJitterNs);
                        if (due < lastDue) {
                            reordered++;
                        }
                        lastDue = Math.max(lastDue, due);
                        pending.add(new Object[] {due, copy});
                    }
                }
                long now = System.nanoTime();
                while (!pending.isEmpty() && (Long) pending.peek()[0] <= now) {
                    gatewaySide.send(ByteBuffer.wrap((byte[]) pending.poll()[1]), gateway);
                    forwarded++;
                    idle = false;
                }
                buf.clear();
                if (gatewaySide.receive(buf) != null && peer != null) {
                    buf.flip();
                    peerSide.send(buf, peer);
                    idle = false;
                }
                if (idle) {
                    LockSupport.parkNanos(200_000);
                }
            }
        } catch (IOException e) {
            if (running) {
                throw new IllegalStateException("relay failed", e);
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        running = false;
        thread.join(2000);
        peerSide.close();
        gatewaySide.close();
    }
}
