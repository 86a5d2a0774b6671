package org.tandem.testing.net;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * UDP ports on loopback found free at run time, so tests and load runs on a shared machine never
 * hard-code one. A port found free may be taken again before the caller binds it; callers that
 * cannot afford that retry or bind at once.
 */
public final class FreePorts {
    public static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private FreePorts() {
    }

    /** First port of {@code count} consecutive free ports, the first even (RTP/RTCP pairs). */
    public static int range(int count) throws IOException {
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

    /** One UDP port free right now on loopback (the kernel's pick, from its ephemeral range). */
    public static int udpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, LOOPBACK)) {
            return s.getLocalPort();
        }
    }
}
