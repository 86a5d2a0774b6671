package org.tandem.gateway.sip.stack;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.sip.TcpLimits;

/**
 * The bounds of one SIP stream listener (TCP: {@link GuardedServerSocket}; TLS:
 * {@link ClientAuthServerSocket}), docs/SECURITY.md "TCP abuse": how many connections one address
 * and all together hold, and a sweeper closing those that deliver no whole message in time or whose
 * message stalls. Addresses the predicate trusts (the live trunks' {@code trusted}, so a reload
 * applies to the next connection) are exempt from the per-source limit but counted in the total.
 */
final class ConnectionGuard {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
    static final long SWEEP_MS = 1_000;

    private final String transport;
    private final TcpLimits limits;
    private final Predicate<InetAddress> trusted;
    private final Set<Ticket> live = ConcurrentHashMap.newKeySet();
    private final Map<InetAddress, AtomicInteger> perSource = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicLong refusedPerSource = new AtomicLong();
    private final AtomicLong refusedTotal = new AtomicLong();
    private final AtomicLong closedStalled = new AtomicLong();
    private final ScheduledExecutorService sweeper;

    ConnectionGuard(String transport, int port, TcpLimits limits, Predicate<InetAddress> trusted) {
        this.transport = transport;
        this.limits = limits;
        this.trusted = trusted;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sip-" + transport.toLowerCase(java.util.Locale.ROOT) + "-guard-" + port);
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
    }

    TcpLimits limits() {
        return limits;
    }

    /**
     * Counts a just-accepted connection, or resets it (RST) and returns null when its source or the
     * listener is at its limit: before the RI spends a thread on it.
     */
    Ticket admit(Socket s) {
        InetAddress source = s.getInetAddress();
        if (total.incrementAndGet() > limits.total()) {
            total.decrementAndGet();
            long r = refusedTotal.incrementAndGet();
            if (r == 1 || r % 1000 == 0) {
                LOG.warn("SIP {} connection from {} reset: the listener holds {}, its limit ({} reset so far)",
                        transport, source.getHostAddress(), limits.total(), r);
            }
            reset(s);
            return null;
        }
        AtomicInteger n = null;
        if (!trusted.test(source)) {
            n = perSource.computeIfAbsent(source, a -> new AtomicInteger());
            if (n.incrementAndGet() > limits.perSource()) {
                n.decrementAndGet();
                total.decrementAndGet();
                long r = refusedPerSource.incrementAndGet();
                if (r == 1 || r % 1000 == 0) {
                    LOG.warn("SIP {} connection from {} reset: it already holds {} ({} reset so far)", transport,
                            source.getHostAddress(), limits.perSource(), r);
                }
                reset(s);
                return null;
            }
        }
        Ticket t = new Ticket(s, source, n, System.currentTimeMillis());
        live.add(t);
        return t;
    }

    private void sweep() {
        long now = System.currentTimeMillis();
        for (Ticket t : live) {
            if (t.socket.isClosed()) {
                t.release();
                continue;
            }
            String why = t.stalled(now);
            if (why != null) {
                closedStalled.incrementAndGet();
                LOG.info("SIP {} connection from {}:{} closed: {}", transport, t.source.getHostAddress(),
                        t.socket.getPort(), why);
                reset(t.socket);
                t.release();
            }
        }
    }

    /** Stops the sweeper and resets every connection still open. */
    void close() {
        sweeper.shutdownNow();
        for (Ticket t : live) {
            reset(t.socket);
            t.release();
        }
    }

    /** Closes with RST (SO_LINGER 0): nothing of a half-open peer's is kept in TIME_WAIT. */
    static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (SocketException e) {
            // closed already
        }
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Connections reset at accept for their source's limit, since start. */
    long refusedPerSource() {
        return refusedPerSource.get();
    }

    /** Connections reset at accept for the listener's limit, since start. */
    long refusedTotal() {
        return refusedTotal.get();
    }

    /** Connections closed for stalling, since start. */
    long closedStalled() {
        return closedStalled.get();
    }

    /** Connections held now. */
    int open() {
        return total.get();
    }

    /** One admitted connection: its reads are scanned for message ends; its release gives back its counts. */
    final class Ticket {
        private final Socket socket;
        private final InetAddress source;
        private final AtomicInteger counted; // null for a trusted source
        private final long acceptedMs;
        private final GuardedServerSocket.MessageScanner scanner = new GuardedServerSocket.MessageScanner();
        private final AtomicBoolean released = new AtomicBoolean();

        private Ticket(Socket socket, InetAddress source, AtomicInteger counted, long acceptedMs) {
            this.socket = socket;
            this.source = source;
            this.counted = counted;
            this.acceptedMs = acceptedMs;
        }

        /** {@code in}, with what is read from it fed to this connection's scanner. */
        InputStream scanning(InputStream in) {
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        scanner.scan(b, System.currentTimeMillis());
                    }
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int n = super.read(buf, off, len);
                    long now = System.currentTimeMillis();
                    for (int i = 0; i < n; i++) {
                        scanner.scan(buf[off + i] & 0xFF, now);
                    }
                    return n;
                }
            };
        }

        /** Why this connection should go, or null. */
        String stalled(long now) {
            long started = scanner.messageStartedMs;
            if (started != 0 && now - started > limits.messageTimeoutMs()) {
                return "a message has been arriving for more than " + limits.messageTimeoutMs() / 1000
                        + " s without its end";
            }
            if (scanner.messages == 0 && now - acceptedMs > limits.idleTimeoutMs()) {
                return "no whole message within " + limits.idleTimeoutMs() / 1000 + " s of connecting";
            }
            return null;
        }

        /** Gives back the counts; idempotent (close, the sweeper and shutdown may all call it). */
        void release() {
            if (released.compareAndSet(false, true)) {
                live.remove(this);
                total.decrementAndGet();
                if (counted != null && counted.decrementAndGet() <= 0) {
                    perSource.remove(source, counted);
                }
            }
        }
    }
}
