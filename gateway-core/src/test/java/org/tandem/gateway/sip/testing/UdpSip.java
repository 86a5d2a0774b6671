package org.tandem.gateway.sip.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Hand-built SIP over UDP for the tests that need a request sipp cannot send (a wrong digest,
 * another source address, a given User-Agent): one request out, its first final response back.
 */
public final class UdpSip {
    /** What {@link #exchange} returns when nothing final came back within the socket's timeout. */
    public static final String NO_ANSWER = "(no answer)";

    private UdpSip() {
    }

    /**
     * Sends {@code request} from {@code s} to 127.0.0.1:{@code port} and returns the first final
     * response (provisionals are skipped), or {@link #NO_ANSWER} once the socket's timeout passes
     * without one.
     */
    public static String exchange(DatagramSocket s, int port, String request) throws IOException {
        byte[] out = request.getBytes(StandardCharsets.US_ASCII);
        s.send(new DatagramPacket(out, out.length, InetAddress.getByName(SippRunner.LOOPBACK), port));
        byte[] buf = new byte[8_192];
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return NO_ANSWER;
            }
            String r = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
            if (!r.startsWith("SIP/2.0 1")) {
                return r;
            }
        }
    }
}
