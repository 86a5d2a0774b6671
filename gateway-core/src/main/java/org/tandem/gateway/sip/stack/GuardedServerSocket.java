package org.tandem.gateway.sip.stack;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP TCP listener with bounds against connection abuse (docs/SECURITY.md "TCP abuse"). The
 * RI's blocking transport gives every inbound connection a thread and stops accepting altogether
 * at {@code MAX_CONNECTIONS}, so without bounds a few hundred idle sockets from one host would
 * lock every trunk out of TCP. Here:
 * <ul>
 *   <li>at most {@link #PER_SOURCE} connections from one address at once; a connection beyond it is
 *       reset at accept, before the RI gives it a thread;</li>
 *   <li>a connection that has not delivered a whole message {@link #FIRST_MESSAGE_MS} after it
 *       was accepted (idle, half-open, or a peer gone without FIN) is closed;</li>
 *   <li>a message that has been arriving for {@link #MESSAGE_MS} without its end (slowloris: the
 *       headers a byte at a time, never finished) closes its connection.</li>
 * </ul>
 * A connection that has sent whole messages may stay idle as long as the RI keeps it (trunks reuse
 * theirs, RFC 3261 18.3). Message ends are found by a small scanner of what the RI reads (the
 * empty line after the headers, then Content-Length bytes of body); CRLF keep-alives are no message.
 * A sweeper thread checks every connection each {@link #SWEEP_MS}.
 */
final class GuardedServerSocket extends ServerSocket {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedServerSocket.class);
    static final int PER_SOURCE = 32;
    static final long FIRST_MESSAGE_MS = 10_000;
    static final long MESSAGE_MS = 8_000;
    static final long SWEEP_MS = 1_000;

    private final LongSupplier clockMs;
    private final Set<Guarded> live = ConcurrentHashMap.newKeySet();
    private final Map<InetAddress, AtomicInteger> perSource = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong closedStalled = new AtomicLong();
    private final ScheduledExecutorService sweeper;

    GuardedServerSocket(int port, int backlog, InetAddress bind) throws IOException {
        super();
        this.clockMs = System::currentTimeMillis;
        setReuseAddress(true);
        bind(new InetSocketAddress(bind, port), backlog <= 0 ? 128 : backlog);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sip-tcp-guard-" + getLocalPort());
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public Socket accept() throws IOException {
        while (true) {
            Guarded s = new Guarded();
            implAccept(s);
            InetAddress source = s.getInetAddress();
            AtomicInteger n = perSource.computeIfAbsent(source, a -> new AtomicInteger());
            if (n.incrementAndGet() > PER_SOURCE) {
                n.decrementAndGet();
                long r = refused.incrementAndGet();
                if (r == 1 || r % 1000 == 0) {
                    LOG.warn("SIP TCP connection from {} reset: it already holds {} ({} reset so far)",
                            source.getHostAddress(), PER_SOURCE, r);
                }
                s.reset();
                continue;
            }
            s.counted = n;
            s.acceptedMs = clockMs.getAsLong();
            live.add(s);
            return s;
        }
    }

    private void sweep() {
        long now = clockMs.getAsLong();
        for (Guarded s : live) {
            if (s.isClosed()) {
                s.release();
                continue;
            }
            String why = s.stalled(now);
            if (why != null) {
                closedStalled.incrementAndGet();
                LOG.info("SIP TCP connection from {}:{} closed: {}", s.getInetAddress().getHostAddress(), s.getPort(),
                        why);
                s.reset();
            }
        }
    }

    @Override
    public void close() throws IOException {
        sweeper.shutdownNow();
        super.close();
        for (Guarded s : live) {
            s.reset();
        }
    }

    /** An accepted connection: its reads are scanned for message ends; its close releases its count. */
    private final class Guarded extends Socket {
        volatile AtomicInteger counted;
        volatile long acceptedMs;
        private final MessageScanner scanner = new MessageScanner();
        private volatile InputStream in;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new FilterInputStream(super.getInputStream()) {
                    @Override
                    public int read() throws IOException {
                        int b = super.read();
                        if (b >= 0) {
                            scanner.scan(b, clockMs.getAsLong());
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        int n = super.read(buf, off, len);
                        long now = clockMs.getAsLong();
                        for (int i = 0; i < n; i++) {
                            scanner.scan(buf[off + i] & 0xFF, now);
                        }
                        return n;
                    }
                };
            }
            return in;
        }

        /** Why this connection should go, or null. */
        String stalled(long now) {
            long started = scanner.messageStartedMs;
            if (started != 0 && now - started > MESSAGE_MS) {
                return "a message has been arriving for more than " + MESSAGE_MS / 1000 + " s without its end";
            }
            if (scanner.messages == 0 && now - acceptedMs > FIRST_MESSAGE_MS) {
                return "no whole message within " + FIRST_MESSAGE_MS / 1000 + " s of connecting";
            }
            return null;
        }

        /** Closes with RST (SO_LINGER 0): nothing of a half-open peer's is kept in TIME_WAIT. */
        void reset() {
            try {
                setSoLinger(true, 0);
            } catch (SocketException e) {
                // closed already
            }
            try {
                close();
            } catch (IOException e) {
                // closing anyway
            }
            release();
        }

        @Override
        public synchronized void close() throws IOException {
            try {
                super.close();
            } finally {
                release();
            }
        }

        void release() {
            AtomicInteger n = counted;
            if (n != null && live.remove(this)) {
                counted = null;
                if (n.decrementAndGet() <= 0) {
                    perSource.remove(getInetAddress(), n);
                }
            }
        }
    }

    /**
     * Finds the ends of SIP messages in a TCP byte stream (RFC 3261 18.3): headers up to an empty
     * line, then Content-Length (or {@code l}) bytes of body. Only as much as the bounds need: no
     * validation (the RI parses for real). Called on the connection's thread only.
     */
    static final class MessageScanner {
        private static final int MAX_LINE = 64;
        /** Whole messages seen. */
        volatile int messages;
        /** When the current message's first byte came, or 0 between messages. */
        volatile long messageStartedMs;
        private final StringBuilder line = new StringBuilder(MAX_LINE);
        private boolean lineTooLong;
        private boolean inHeaders;
        private long body = -1;
        private long contentLength;

        void scan(int b, long now) {
            if (body > 0) {
                if (--body == 0) {
                    end();
                }
                return;
            }
            if (!inHeaders) {
                if (b == '\r' || b == '\n') {
                    return; // keep-alive CRLFs between messages
                }
                inHeaders = true;
                messageStartedMs = now;
                contentLength = 0;
            }
            if (b == '\n') {
                if (line.length() == 0 && !lineTooLong) {
                    if (contentLength > 0) {
                        body = contentLength;
                    } else {
                        end();
                    }
                } else {
                    header();
                }
                line.setLength(0);
                lineTooLong = false;
            } else if (b != '\r') {
                if (line.length() < MAX_LINE) {
                    line.append((char) b);
                } else {
                    lineTooLong = true;
                }
            }
        }

        private void header() {
            int colon = line.indexOf(":");
            if (colon <= 0) {
                return;
            }
            String name = line.substring(0, colon).trim();
            if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("l")) {
                try {
                    contentLength = Long.parseLong(line.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    contentLength = 0; // the RI will refuse the message
                }
            }
        }

        private void end() {
            messages++;
            messageStartedMs = 0;
            inHeaders = false;
            body = -1;
        }
    }

    /** Connections reset at accept for their source's limit, since start. */
    long refused() {
        return refused.get();
    }

    /** Connections closed for stalling, since start. */
    long closedStalled() {
        return closedStalled.get();
    }
}
