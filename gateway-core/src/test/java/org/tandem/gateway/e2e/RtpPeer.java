package org.tandem.gateway.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.tandem.codecs.g711.ALaw;

/**
 * The media end of the SIP peer in end-to-end tests: sipp does the signalling and advertises this
 * socket's port in its SDP ({@code -key rtpport N}); this class receives the gateway's RTP, keeps
 * the A-law payload per gateway RTP port (one port per call), and can play a byte stream back to
 * a call (symmetric RTP: to the port the call's packets come from).
 */
final class RtpPeer implements AutoCloseable {
    /** What arrived from one gateway RTP port (one call). */
    static final class Stream {
        final ByteArrayOutputStream payload = new ByteArrayOutputStream();
        volatile int packets;
        volatile int payloadType = -1;

        synchronized byte[] bytes() {
            return payload.toByteArray();
        }

        synchronized void add(byte[] b, int off, int len) {
            payload.write(b, off, len);
        }
    }

    private final DatagramSocket socket;
    private final Map<Integer, Stream> streams = new ConcurrentHashMap<>();
    private final Thread receiver;
    private volatile boolean running = true;

    RtpPeer() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout(200);
        socket.setReceiveBufferSize(1 << 20);
        receiver = new Thread(this::receive, "rtp-peer");
        receiver.setDaemon(true);
        receiver.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    Map<Integer, Stream> streams() {
        return streams;
    }

    void clear() {
        streams.clear();
    }

    private void receive() {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (running) {
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return;
            }
            int len = p.getLength();
            if (len < 12 || (buf[0] & 0xC0) != 0x80) {
                continue;
            }
            int cc = buf[0] & 0x0F;
            int pt = buf[1] & 0x7F;
            int header = 12 + 4 * cc;
            if (pt != 8 || len <= header) {
                continue; // telephone-event or RTCP-ish: not audio
            }
            Stream s = streams.computeIfAbsent(p.getPort(), k -> new Stream());
            s.payloadType = pt;
            s.packets++;
            s.add(buf, header, len - header);
        }
    }

    /**
     * Sends {@code alaw} as 20 ms PCMA packets to the call whose RTP comes from {@code gatewayPort},
     * paced in real time. Blocks for the stream's duration.
     */
    void play(int gatewayPort, byte[] alaw) throws IOException, InterruptedException {
        InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), gatewayPort);
        byte[] pkt = new byte[12 + 160];
        int ssrc = 0x5EED0001;
        long start = System.nanoTime();
        for (int i = 0; i + 160 <= alaw.length; i += 160) {
            int seq = i / 160;
            pkt[0] = (byte) 0x80;
            pkt[1] = (byte) (8 | (seq == 0 ? 0x80 : 0));
            pkt[2] = (byte) (seq >> 8);
            pkt[3] = (byte) seq;
            int ts = i;
            pkt[4] = (byte) (ts >> 24);
            pkt[5] = (byte) (ts >> 16);
            pkt[6] = (byte) (ts >> 8);
            pkt[7] = (byte) ts;
            pkt[8] = (byte) (ssrc >> 24);
            pkt[9] = (byte) (ssrc >> 16);
            pkt[10] = (byte) (ssrc >> 8);
            pkt[11] = (byte) ssrc;
            System.arraycopy(alaw, i, pkt, 12, 160);
            socket.send(new DatagramPacket(pkt, pkt.length, to));
            long due = start + (seq + 1) * 20_000_000L;
            long sleepNs = due - System.nanoTime();
            if (sleepNs > 0) {
                Thread.sleep(sleepNs / 1_000_000, (int) (sleepNs % 1_000_000));
            }
        }
    }

    /** Frequency of an A-law tone from its zero crossings, over {@code len} samples from {@code off}. */
    static double frequencyHz(byte[] alaw, int off, int len) {
        int crossings = 0;
        short prev = ALaw.decode(alaw[off]);
        for (int i = off + 1; i < off + len; i++) {
            short s = ALaw.decode(alaw[i]);
            if ((prev < 0) != (s < 0)) {
                crossings++;
            }
            prev = s;
        }
        return crossings / 2.0 / (len / 8000.0);
    }

    /** RMS level of the decoded samples in dB relative to full scale (a 0 dBm0 sine is about -3 dBFS). */
    static double levelDbfs(byte[] alaw, int off, int len) {
        double sum = 0;
        for (int i = off; i < off + len; i++) {
            double s = ALaw.decode(alaw[i]) / 32768.0;
            sum += s * s;
        }
        return 10 * Math.log10(sum / len + 1e-12);
    }

    @Override
    public void close() {
        running = false;
        socket.close();
        try {
            receiver.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
