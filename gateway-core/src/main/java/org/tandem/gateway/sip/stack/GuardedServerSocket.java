package org.tandem.gateway.sip.stack;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.Predicate;
import org.tandem.gateway.sip.TcpLimits;

/**
 * The SIP TCP listener with bounds against connection abuse (docs/SECURITY.md "TCP abuse"), kept by
 * its {@link ConnectionGuard}. The RI's blocking transport gives every inbound connection a thread
 * and stops accepting altogether at {@code MAX_CONNECTIONS}, so without bounds a few hundred idle
 * sockets from one host would lock every trunk out of TCP. Here ({@code [sip] tcp_*}):
 * <ul>
 *   <li>at most {@code perSource} connections from one untrusted address and {@code total} in all;
 *       a connection beyond either is reset at accept, before the RI gives it a thread;</li>
 *   <li>a connection that has not delivered a whole message {@code idleTimeoutMs} after it was
 *       accepted (idle, half-open, or a peer gone without FIN) is closed;</li>
 *   <li>a message that has been arriving for {@code messageTimeoutMs} without its end (slowloris:
 *       the headers a byte at a time, never finished) closes its connection.</li>
 * </ul>
 * A connection that has sent whole messages may stay idle as long as the RI keeps it (trunks reuse
 * theirs, RFC 3261 18.3). Message ends are found by a small scanner of what the RI reads (the
 * empty line after the headers, then Content-Length bytes of body); CRLF keep-alives are no message.
 */
final class GuardedServerSocket extends ServerSocket {
    private final ConnectionGuard guard;

    GuardedServerSocket(int port, int backlog, InetAddress bind, TcpLimits limits, Predicate<InetAddress> trusted)
            throws IOException {
        super();
        setReuseAddress(true);
        bind(new InetSocketAddress(bind, port), backlog <= 0 ? 128 : backlog);
        this.guard = new ConnectionGuard("TCP", getLocalPort(), limits, trusted);
    }

    @Override
    public Socket accept() throws IOException {
        while (true) {
            Guarded s = new Guarded();
            implAccept(s);
            ConnectionGuard.Ticket t = guard.admit(s);
            if (t != null) {
                s.ticket = t;
                return s;
            }
        }
    }

    @Override
    public void close() throws IOException {
        guard.close();
        super.close();
    }

    ConnectionGuard guard() {
        return guard;
    }

    /** An accepted connection: its reads are scanned for message ends; its close releases its counts. */
    private static final class Guarded extends Socket {
        volatile ConnectionGuard.Ticket ticket;
        private InputStream in;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = ticket.scanning(super.getInputStream());
            }
            return in;
        }

        @Override
        public synchronized void close() throws IOException {
            try {
                super.close();
            } finally {
                ConnectionGuard.Ticket t = ticket;
                if (t != null) {
                    t.release();
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
}
