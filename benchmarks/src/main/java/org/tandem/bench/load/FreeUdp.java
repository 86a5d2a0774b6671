package org.tandem.bench.load;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;

/** A UDP port on 127.0.0.1 free right now (the kernel's pick). */
final class FreeUdp {
    private FreeUdp() {
    }

    static int port() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
