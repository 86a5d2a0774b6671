package org.tandem.testing.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreePortsTest {
    @Test
    void shouldFindConsecutivePortsStartingEvenThatCanAllBeBound() throws IOException {
        int base = FreePorts.range(4);
        assertEquals(0, base % 2, "first port even");
        List<DatagramSocket> bound = new ArrayList<>();
        try {
            for (int p = base; p < base + 4; p++) {
                bound.add(new DatagramSocket(new InetSocketAddress(FreePorts.LOOPBACK, p)));
            }
        } finally {
            bound.forEach(DatagramSocket::close);
        }
    }

    @Test
    void shouldFindAUdpPortThatCanBeBound() throws IOException {
        int port = FreePorts.udpPort();
        assertTrue(port > 0);
        new DatagramSocket(new InetSocketAddress(FreePorts.LOOPBACK, port)).close();
    }
}
