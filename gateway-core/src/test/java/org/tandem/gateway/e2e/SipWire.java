package org.tandem.gateway.e2e;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SIP peer made of raw sockets for hostile-input tests: the exact bytes of a message go to the
 * gateway, and whatever comes back is kept, wherever RFC 3261 18.2.2 sends it. A test message's
 * Via names a host of its own (the RFC 4475 messages name hosts of example.com), so the gateway
 * answers over UDP to the packet's source address ({@code received}) at the Via's port, 5060 when
 * it names none; over TCP on the connection, or (when the Via says UDP) to {@code received} at the
 * {@code rport} it added. So each message gets a loopback address of its own (127.x.y.k, x and y
 * chosen at run time, away from the 127.0.0.x the other tests use), it is sent from there, and on
 * that address this peer listens on UDP and TCP at 5060 and at the other Via ports the messages
 * name (5050, 5070): every answer found there belongs to that message and no other.
 */
final class SipWire implements Closeable {
    /** The Via ports the RFC 4475 messages name, besides the default 5060. */
    private static final int[] VIA_PORTS = {5060, 5050, 5070};
    private static final Pattern STATUS = Pattern.compile("(?m)^SIP/2\\.0 (\\d{3})[^\r\n]*");

    private final InetAddress address;
    private final List<DatagramSocket> udp = new ArrayList<>();
    private final List<ServerSocket> tcpServers = new ArrayList<>();
    private final List<Socket> connections = new ArrayList<>();
    private final StringBuffer received = new StringBuffer();
    private volatile boolean closed;

    private SipWire(InetAddress address, boolean connectFrom5060) throws IOException {
        this.address = address;
        for (int port : VIA_PORTS) {
            DatagramSocket d = new DatagramSocket(null);
            d.setReuseAddress(true);
            d.bind(new InetSocketAddress(address, port));
            udp.add(d);
            if (connectFrom5060 && port == 5060) {
                continue; // the connection to the gateway comes from there
            }
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(address, port));
            tcpServers.add(s);
        }
        for (DatagramSocket d : udp) {
            reader(() -> {
                byte[] buf = new byte[65_536];
                while (!closed) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    d.receive(p);
                    received.append(new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1));
                }
            });
        }
        for (ServerSocket s : tcpServers) {
            reader(() -> {
                while (!closed) {
                    Socket c = s.accept();
                    reader(() -> drain(c));
                }
            });
        }
    }

    /** The {@code k}-th address of a block of 127.x.y.k chosen for this run (k from 1 to 250). */
    static InetAddress[] addresses(int count) throws IOException {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int x = r.nextInt(16, 250);
        int y = r.nextInt(1, 250);
        InetAddress[] out = new InetAddress[count];
        for (int k = 0; k < count; k++) {
            out[k] = InetAddress.getByAddress(new byte[] {127, (byte) x, (byte) y, (byte) (k + 1)});
        }
        return out;
    }

    /** A peer listening on {@code address} (5060, 5050, 5070; UDP and TCP), sending over UDP. */
    static SipWire on(InetAddress address) throws IOException {
        return new SipWire(address, false);
    }

    /**
     * A peer that connects from {@code address}:5060 ({@link #sendTcp}), listening on UDP there and
     * on UDP and TCP at 5050 and 5070. From 5060, the port the messages' Vias name (by default):
     * the RI files an incoming connection under the Via's address and port, not the connection's
     * own source port, and a connection from any other port had its answers go astray (a
     * connection attempt to the Via's host, a DNS look-up of names like host5.example.net).
     */
    static SipWire connectingFrom5060(InetAddress address) throws IOException {
        return new SipWire(address, true);
    }

    /** Sends {@code message} over UDP from this peer's 5060 to 127.0.0.1:port. */
    void sendUdp(byte[] message, int port) throws IOException {
        udp.get(0).send(new DatagramPacket(message, message.length, InetAddress.getByName("127.0.0.1"), port));
    }

    /** Opens a TCP connection from this peer's address:5060 to 127.0.0.1:port and writes {@code message}. */
    void sendTcp(byte[] message, int port) throws IOException {
        Socket s = new Socket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(address, 5060));
        s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 2_000);
        s.getOutputStream().write(message);
        s.getOutputStream().flush();
        reader(() -> drain(s));
    }

    /** The status codes received so far, in order of arrival (100 included). */
    List<Integer> statuses() {
        List<Integer> out = new ArrayList<>();
        Matcher m = STATUS.matcher(received);
        while (m.find()) {
            out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    /** The first status other than 100, or 0 when there is none. */
    int finalStatus() {
        for (int s : statuses()) {
            if (s != 100) {
                return s;
            }
        }
        return 0;
    }

    /** The status lines received so far, for messages. */
    String statusLines() {
        List<String> out = new ArrayList<>();
        Matcher m = STATUS.matcher(received);
        while (m.find()) {
            out.add(m.group());
        }
        return out.isEmpty() ? "(no answer)" : String.join(" | ", out);
    }

    /** Everything received so far, as ISO-8859-1 text. */
    String text() {
        return received.toString();
    }

    /** Waits (bounded) until a status other than 100 has arrived; returns it, or 0. */
    int awaitFinal(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (finalStatus() == 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
        return finalStatus();
    }

    private void drain(Socket c) throws IOException {
        synchronized (connections) {
            connections.add(c);
        }
        try (c) {
            InputStream in = c.getInputStream();
            byte[] buf = new byte[8_192];
            int n;
            while (!closed && (n = in.read(buf)) >= 0) {
                received.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
        }
    }

    private interface Io {
        void run() throws IOException;
    }

    private void reader(Io body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (IOException closedOrReset) {
                // the socket was closed (close()) or the gateway dropped the connection
            }
        }, "sip-wire-" + address.getHostAddress());
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        closed = true;
        for (DatagramSocket d : udp) {
            d.close();
        }
        for (ServerSocket s : tcpServers) {
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }
        synchronized (connections) {
            for (Socket c : connections) {
                try {
                    c.close();
                } catch (IOException e) {
                    // closing
                }
            }
        }
    }
}
