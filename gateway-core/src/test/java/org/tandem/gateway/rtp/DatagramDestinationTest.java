package org.tandem.gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.Test;
import org.tandem.jna.libc.DirectBufferAddress;

/** Real sockets on loopback: what {@code sendto(2)} with the prebuilt sockaddr delivers, and where. */
class DatagramDestinationTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** An AF_INET datagram socket (Netty's default is AF_INET6 where the host has IPv6). */
    private static final class Ipv4Socket extends Socket {
        Ipv4Socket() {
            super(newSocketDgram0(false));
        }
    }

    private static InetSocketAddress receiveFrom(DatagramChannel rx, byte[] expected) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(64);
        InetSocketAddress from = null;
        for (int i = 0; i < 200 && from == null; i++) { // the datagram is already queued on loopback
            from = (InetSocketAddress) rx.receive(in);
        }
        assertTrue(from != null, "nothing arrived at " + rx.getLocalAddress());
        in.flip();
        byte[] got = new byte[in.remaining()];
        in.get(got);
        assertArrayEquals(expected, got);
        return from;
    }

    private static void shouldSendToEachDestinationInTurn(Socket tx) throws IOException {
        tx.bind(new InetSocketAddress(LOOPBACK, 0));
        try (DatagramChannel a = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
             DatagramChannel b = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            a.configureBlocking(true);
            b.configureBlocking(true);
            ByteBuffer out = ByteBuffer.allocateDirect(16);
            long address = DirectBufferAddress.addressOf(out);
            out.put(0, new byte[] {1, 2, 3, 4, 5});
            DatagramDestination to = destination(tx.intValue());

            to.set((InetSocketAddress) a.getLocalAddress());
            assertEquals(5, to.send(address, 5));
            InetSocketAddress from = receiveFrom(a, new byte[] {1, 2, 3, 4, 5});
            assertEquals(tx.localAddress().getPort(), from.getPort(), "sent from another port");

            out.put(0, new byte[] {9, 8, 7});
            to.set((InetSocketAddress) b.getLocalAddress());
            assertEquals(3, to.send(address, 3));
            receiveFrom(b, new byte[] {9, 8, 7});
            assertEquals(b.getLocalAddress(), to.address());
        } finally {
            tx.close();
        }
    }

    @Test
    void shouldReachIpv4PeersFromTheDefaultDualStackSocket() throws IOException {
        shouldSendToEachDestinationInTurn(Socket.newSocketDgram());
    }

    @Test
    void shouldReachIpv4PeersFromAnIpv4Socket() throws IOException {
        shouldSendToEachDestinationInTurn(new Ipv4Socket());
    }

    /**
     * A media channel's destinations take their sockaddr from a pooled buffer that held the last
     * call's (an IPv6 peer's, here, with a scope id): what it sends must reach this call's peer only.
     */
    @Test
    void shouldSendThroughAReusedSockaddrBufferAsThroughAFreshOne() throws IOException {
        ByteBuffer pooled = ByteBuffer.allocateDirect(DatagramDestination.SOCKADDR_BYTES);
        for (int i = 0; i < pooled.capacity(); i++) {
            pooled.put(i, (byte) 0xA5); // the last call's bytes, whatever they were
        }
        for (boolean dualStack : new boolean[] {true, false}) {
            Socket tx = dualStack ? Socket.newSocketDgram() : new Ipv4Socket();
            tx.bind(new InetSocketAddress(LOOPBACK, 0));
            try (DatagramChannel rx = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
                rx.configureBlocking(true);
                boolean ipv6 = DatagramDestination.isIpv6Socket(tx.intValue());
                DatagramDestination to = new DatagramDestination(tx.intValue(), ipv6, pooled);
                assertTrue(to.sockaddrBuffer() == pooled, "the destination must use the buffer it was given");
                to.set((InetSocketAddress) rx.getLocalAddress());
                ByteBuffer out = ByteBuffer.allocateDirect(8);
                out.put(0, new byte[] {4, 3, 2, 1});
                assertEquals(4, to.send(DirectBufferAddress.addressOf(out), 4));
                InetSocketAddress from = receiveFrom(rx, new byte[] {4, 3, 2, 1});
                assertEquals(tx.localAddress().getPort(), from.getPort());
            } finally {
                tx.close();
            }
        }
    }

    @Test
    void shouldRefuseASockaddrBufferTooSmallOrOnTheHeap() throws IOException {
        Socket tx = Socket.newSocketDgram();
        try {
            assertThrows(IllegalArgumentException.class,
                    () -> new DatagramDestination(tx.intValue(), true, ByteBuffer.allocateDirect(16)));
            assertThrows(IllegalArgumentException.class, () -> new DatagramDestination(tx.intValue(), true,
                    ByteBuffer.allocate(DatagramDestination.SOCKADDR_BYTES)));
        } finally {
            tx.close();
        }
    }

    @Test
    void shouldTellTheSocketFamily() throws IOException {
        Ipv4Socket v4 = new Ipv4Socket();
        try {
            assertEquals(false, DatagramDestination.isIpv6Socket(v4.intValue()));
        } finally {
            v4.close();
        }
    }

    @Test
    void shouldRefuseAnIpv6DestinationOnAnIpv4Socket() throws IOException {
        Ipv4Socket tx = new Ipv4Socket();
        try {
            DatagramDestination to = destination(tx.intValue());
            InetSocketAddress v6 = new InetSocketAddress(Inet6Address.getByName("::1"), 4000);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> to.set(v6));
            assertTrue(e.getMessage().contains("IPv4 socket"), e.getMessage());
        } finally {
            tx.close();
        }
    }

    @Test
    void shouldReturnMinusErrnoInsteadOfThrowing() throws IOException {
        Socket tx = Socket.newSocketDgram();
        DatagramDestination to = destination(tx.intValue());
        to.set(new InetSocketAddress(LOOPBACK, 9));
        tx.close(); // the descriptor is gone: EBADF
        ByteBuffer out = ByteBuffer.allocateDirect(4);
        assertEquals(-9, to.send(DirectBufferAddress.addressOf(out), 4));
    }

    /** A destination as the media channel makes one: the socket's family asked once, a direct sockaddr. */
    private static DatagramDestination destination(int fd) {
        return new DatagramDestination(fd, DatagramDestination.isIpv6Socket(fd),
                ByteBuffer.allocateDirect(DatagramDestination.SOCKADDR_BYTES));
    }
}
