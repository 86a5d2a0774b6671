package org.tandem.gateway.media;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** UDP port ranges on loopback found free at run time. */
final class FreePorts {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private FreePorts() {
    }

    /** First port of {@code count} consecutive free ports, the first even. */
    static int range(int count) throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base;
            try (DatagramSocket probe = new DatagramSocket(0, LOOPBACK)) {
                base = (probe.getLocalPort() & ~1) + 2;
            }
            if (base < 1024 || base + count > 65535) {
                continue;
            }
            List<DatagramSocket> held = new ArrayList<>();
            try {
                for (int p = base; p < base + count; p++) {
                    held.add(new DatagramSocket(new InetSocketAddress(LOOPBACK, p)));
                }
                return base;
            } catch (IOException e) {
                // taken; try elsewhere
            } finally {
                held.forEach(DatagramSocket::close);
            }
        }
        throw new IOException("no " + count + " consecutive free UDP ports on loopback");
    }
}
