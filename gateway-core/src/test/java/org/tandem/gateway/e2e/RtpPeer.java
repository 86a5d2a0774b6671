package org.tandem.gateway.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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

    /** First byte of the marker datagram {@link #clear} sends itself: not RTP (version bits 01). */
    private static final byte MARKER = 'M';

    private final DatagramSocket socket;
    private final Map<Integer, Stream> streams = new ConcurrentHashMap<>();
    private final Thread receiver;
    private volatile boolean running = true;
    private final Object markerLock = new Object();
    private long markersSent;
    private long markersSeen;

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

    /**
     * Forgets the streams received so far. The RTP of a call that has just ended (its ports
     * already closed) may still be queued on this socket behind the receiver thread, e.g. on a
     * busy machine; cleared from the test thread, such a late packet would re-create the old
     * call's stream after the clear, and the next test would take the old call's gateway port for
     * its own. So the clear is done by the receiver thread itself, in order: a marker datagram sent
     * to this socket queues behind everything already received, and the streams are cleared when
     * the receiver reaches it. Precondition: the previous call's media is detached (awaitIdle).
     */
    void clear() {
        long id;
        synchronized (markerLock) {
            id = ++markersSent;
        }
        byte[] m = new byte[9];
        m[0] = MARKER;
        for (int i = 0; i < 8; i++) {
            m[1 + i] = (byte) (id >>> (56 - 8 * i));
        }
        try {
            socket.send(new DatagramPacket(m, m.length, socket.getLocalSocketAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException("RTP peer: cannot send its clear marker", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        synchronized (markerLock) {
            while (markersSeen < id) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !receiver.isAlive()) {
                    throw new IllegalStateException("RTP peer: the receiver did not reach the clear marker");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(markerLock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while clearing the RTP peer", e);
                }
            }
        }
    }

    /** On the receiver thread: a marker from {@link #clear}, everything before it now processed. */
    private boolean onMarker(byte[] buf, DatagramPacket p) {
        if (p.getLength() != 9 || buf[0] != MARKER || p.getPort() != socket.getLocalPort()
                || !p.getAddress().isLoopbackAddress()) {
            return false;
        }
        long id = 0;
        for (int i = 0; i < 8; i++) {
            id = (id << 8) | (buf[1 + i] & 0xFF);
        }
        streams.clear();
        synchronized (markerLock) {
            markersSeen = Math.max(markersSeen, id);
            markerLock.notifyAll();
        }
        return true;
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
            if (onMarker(buf, p)) {
                continue;
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
