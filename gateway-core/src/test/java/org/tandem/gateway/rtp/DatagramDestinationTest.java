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
            DatagramDestination to = new DatagramDestination(tx.intValue());

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

    @Test
    void shouldRefuseAnIpv6DestinationOnAnIpv4Socket() throws IOException {
        Ipv4Socket tx = new Ipv4Socket();
        try {
            DatagramDestination to = new DatagramDestination(tx.intValue());
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
        DatagramDestination to = new DatagramDestination(tx.intValue());
        to.set(new InetSocketAddress(LOOPBACK, 9));
        tx.close(); // the descriptor is gone: EBADF
        ByteBuffer out = ByteBuffer.allocateDirect(4);
        assertEquals(-9, to.send(DirectBufferAddress.addressOf(out), 4));
    }
}
