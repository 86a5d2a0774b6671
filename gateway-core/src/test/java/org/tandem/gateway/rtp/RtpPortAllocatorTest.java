package org.tandem.gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tandem.testing.net.FreePorts;

class RtpPortAllocatorTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** A free range of {@code pairs} even/odd pairs, found by binding at run time. */
    private static int freeRangeStart(int pairs) throws IOException {
        return FreePorts.range(2 * pairs);
    }

    @Test
    void shouldHandOutEvenRtpAndOddRtcpPortsUntilTheRangeIsExhausted() throws IOException {
        int base = freeRangeStart(4);
        RtpPortAllocator a = new RtpPortAllocator(LOOPBACK, base, base + 7, 46);
        List<RtpPorts> got = new ArrayList<>();
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            RtpPorts p = a.allocate();
            assertEquals(0, p.rtpPort() % 2);
            assertEquals(p.rtpPort() + 1, p.rtcpPort());
            assertEquals(p.rtpPort(), p.rtpSocket().localAddress().getPort());
            assertEquals(p.rtcpPort(), p.rtcpSocket().localAddress().getPort());
            assertEquals(46 << 2, p.rtpSocket().getTrafficClass());
            // The family the allocator asked once is every pair's (the media channel's sockaddrs
            // are built from it), and no socket shares its port (SO_REUSEADDR stays off).
            assertEquals(DatagramDestination.isIpv6Socket(p.rtpSocket().intValue()), p.ipv6());
            assertEquals(DatagramDestination.isIpv6Socket(p.rtcpSocket().intValue()), p.ipv6());
            assertEquals(false, p.rtpSocket().isReuseAddress());
            assertEquals(false, p.rtcpSocket().isReuseAddress());
            assertTrue(ports.add(p.rtpPort()));
            got.add(p);
        }
        IOException full = assertThrows(IOException.class, a::allocate);
        assertTrue(full.getMessage().contains("4 of 4 pairs in use"), full.getMessage());
        got.forEach(RtpPorts::close);
        assertEquals(0, a.inUseCount());
    }

    @Test
    void shouldReturnPortsOnCloseAndTolerateDoubleClose() throws IOException {
        int base = freeRangeStart(2);
        RtpPortAllocator a = new RtpPortAllocator(LOOPBACK, base, base + 3, 0);
        RtpPorts p = a.allocate();
        assertEquals(1, a.inUseCount());
        p.close();
        p.close();
        assertEquals(0, a.inUseCount());
        // the port is really free again: bind it ourselves
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, p.rtpPort()))) {
            assertEquals(p.rtpPort(), s.getLocalPort());
        }
    }

    @Test
    void shouldSkipAPairHeldByAnotherProcessAndLeakNothing() throws IOException {
        int base = freeRangeStart(3);
        RtpPortAllocator a = new RtpPortAllocator(LOOPBACK, base, base + 5, 0);
        // someone else holds the RTCP port of the first pair: its RTP socket must be closed again
        try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(LOOPBACK, base + 1))) {
            RtpPorts p = a.allocate();
            assertEquals(base + 2, p.rtpPort());
            assertEquals(1, a.inUseCount());
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, base))) {
                assertEquals(base, s.getLocalPort()); // the half-bound RTP port was released
            }
            p.close();
        }
        assertEquals(0, a.inUseCount());
    }

    @Test
    void shouldNotReuseAJustReleasedPairFirst() throws IOException {
        int base = freeRangeStart(3);
        RtpPortAllocator a = new RtpPortAllocator(LOOPBACK, base, base + 5, 0);
        RtpPorts first = a.allocate();
        first.close();
        RtpPorts second = a.allocate();
        assertTrue(second.rtpPort() != first.rtpPort());
        second.close();
    }

    @Test
    void shouldRejectABadRangeWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RtpPortAllocator(LOOPBACK, 30001, 30001, 0));
        assertTrue(e.getMessage().contains("30001-30001"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RtpPortAllocator(LOOPBACK, 30000, 30010, 64));
    }
}
