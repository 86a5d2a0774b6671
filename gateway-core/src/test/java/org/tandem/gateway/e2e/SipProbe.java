package org.tandem.gateway.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.tandem.gateway.sip.testing.SippRunner;

/** One OPTIONS to a gateway on 127.0.0.1 over UDP or TCP, and its status line (bounded waits). */
final class SipProbe {
    private static final AtomicLong SEQ = new AtomicLong();

    private SipProbe() {
    }

    static String request(String transport, String host, int localPort) {
        long n = SEQ.incrementAndGet();
        return "OPTIONS sip:127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " " + host + ":" + localPort + ";branch=z9hG4bKprobe" + n + "-"
                + localPort + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe@" + host + ">;tag=p" + n + "\r\n"
                + "To: <sip:127.0.0.1>\r\n"
                + "Call-ID: probe-" + n + "-" + localPort + "@" + host + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "User-Agent: Tandem-test\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** The status line of the answer to an OPTIONS over UDP, or "(no answer)" after 2 s. */
    static String udpOptions(int port) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(SippRunner.LOOPBACK, 0))) {
            s.setSoTimeout(2_000);
            byte[] b = request("UDP", SippRunner.LOOPBACK, s.getLocalPort()).getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(b, b.length, InetAddress.getByName(SippRunner.LOOPBACK), port));
            byte[] buf = new byte[4_096];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return "(no answer)";
            }
            String r = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
            return r.substring(0, Math.max(0, r.indexOf('\r')));
        }
    }

    /** The status line of the answer to an OPTIONS on a new TCP connection, or "(no answer)" after 3 s. */
    static String tcpOptions(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(SippRunner.LOOPBACK, port), 3_000);
            s.setSoTimeout(3_000);
            s.getOutputStream().write(request("TCP", SippRunner.LOOPBACK, s.getLocalPort())
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            try {
                for (int c = in.read(); c >= 0 && c != '\r' && line.length() < 200; c = in.read()) {
                    line.append((char) c);
                }
            } catch (SocketTimeoutException e) {
                return "(no answer)";
            }
            return line.length() == 0 ? "(no answer)" : line.toString();
        } catch (IOException e) {
            return "(no answer: " + e.getMessage() + ")";
        }
    }
}
