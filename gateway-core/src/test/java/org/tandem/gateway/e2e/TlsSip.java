package org.tandem.gateway.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.tandem.config.tls.Pem;
import org.tandem.testing.tls.TestPki;

/**
 * A minimal SIP-over-TLS peer for the tests, on JDK sockets: a client connection to the gateway's
 * TLS listener and a one-connection server standing in for a TLS trunk. Messages are read by
 * their Content-Length (RFC 3261 18.3); every read has a time limit.
 */
final class TlsSip {
    private TlsSip() {
    }

    /** A TLS context presenting {@code identity} (or no certificate) and trusting {@code ca}. */
    static SSLContext context(TestPki.Pair identity, Path ca) throws Exception {
        return context(identity, ca, false);
    }

    /**
     * As {@link #context(TestPki.Pair, Path)}; with {@code always} the client presents its
     * certificate even when its issuer is not among those the server names (the JDK's key manager
     * would otherwise send none), so a server sees a wrong certificate, not a missing one.
     */
    static SSLContext context(TestPki.Pair identity, Path ca, boolean always) throws Exception {
        KeyManagerFactory kmf = null;
        if (identity != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            List<X509Certificate> chain = Pem.certificates(identity.certificate());
            ks.setKeyEntry("me", Pem.privateKey(identity.key()), new char[0], chain.toArray(new X509Certificate[0]));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (X509Certificate c : Pem.certificates(ca)) {
            trust.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        javax.net.ssl.KeyManager[] kms = kmf == null ? null : kmf.getKeyManagers();
        if (always && kms != null) {
            javax.net.ssl.X509ExtendedKeyManager km = (javax.net.ssl.X509ExtendedKeyManager) kms[0];
            kms = new javax.net.ssl.KeyManager[] {new javax.net.ssl.X509ExtendedKeyManager() {
                @Override
                public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket s) {
                    return "me";
                }

                @Override
                public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
                    return new String[] {"me"};
                }

                @Override
                public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
                    return km.getServerAliases(keyType, issuers);
                }

                @Override
                public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket s) {
                    return km.chooseServerAlias(keyType, issuers, s);
                }

                @Override
                public X509Certificate[] getCertificateChain(String alias) {
                    return km.getCertificateChain(alias);
                }

                @Override
                public java.security.PrivateKey getPrivateKey(String alias) {
                    return km.getPrivateKey(alias);
                }
            }};
        }
        ctx.init(kms, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** One TLS connection carrying SIP messages both ways. */
    static final class Connection implements Closeable {
        final SSLSocket socket;
        private final InputStream in;

        Connection(SSLSocket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
        }

        static Connection connect(SSLContext ctx, int port) throws IOException {
            return connect(ctx, null, port);
        }

        /** As {@link #connect(SSLContext, int)}, from the loopback address {@code from} (null: any). */
        static Connection connect(SSLContext ctx, String from, int port) throws IOException {
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
            if (from != null) {
                s.bind(new InetSocketAddress(from, 0));
            }
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 3000);
            s.setSoTimeout(5000);
            s.startHandshake();
            return new Connection(s);
        }

        int localPort() {
            return socket.getLocalPort();
        }

        void send(String message) throws IOException {
            socket.getOutputStream().write(message.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
        }

        /** The next message, or null when the peer closed the connection. */
        String read(int timeoutMs) throws IOException {
            socket.setSoTimeout(timeoutMs);
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int last4 = 0;
            while (last4 != 0x0d0a0d0a) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                if (head.size() == 0 && (b == '\r' || b == '\n')) {
                    continue; // keep-alive CRLFs (RFC 5626 4.4.1)
                }
                head.write(b);
                last4 = (last4 << 8) | b;
                if (head.size() > 65536) {
                    throw new IOException("no end of headers in 64 KB");
                }
            }
            String headers = head.toString(StandardCharsets.UTF_8);
            int length = Integer.parseInt(header(headers, "Content-Length", "l", "0"));
            byte[] body = in.readNBytes(length);
            return headers + new String(body, StandardCharsets.UTF_8);
        }

        /** Reads until a response with a final status to {@code method} arrives (bounded by count and time). */
        String finalResponse(String method, int timeoutMs) throws IOException {
            for (int i = 0; i < 20; i++) {
                String m = read(timeoutMs);
                if (m == null) {
                    return null;
                }
                if (m.startsWith("SIP/2.0 ") && cseqMethod(m).equals(method) && status(m) >= 200) {
                    return m;
                }
            }
            throw new IOException("no final response to " + method + " in 20 messages");
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A TLS trunk: listens on {@code port} with {@code identity}, one connection at a time. */
    static final class Server implements Closeable {
        final SSLServerSocket socket;

        Server(SSLContext ctx, int port) throws IOException {
            socket = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(port, 8,
                    InetAddress.getLoopbackAddress());
            socket.setSoTimeout(5000);
        }

        /** The next connection whose handshake succeeds, or null when none does within the time limit. */
        Connection accept() throws IOException {
            try {
                SSLSocket s = (SSLSocket) socket.accept();
                s.setSoTimeout(5000);
                s.startHandshake();
                return new Connection(s);
            } catch (SocketTimeoutException e) {
                return null;
            } catch (javax.net.ssl.SSLException e) {
                return null; // the client refused our certificate
            } catch (java.net.SocketException e) {
                // The client refused it and closed before we had written our last handshake flight
                // (TLS 1.3: our Finished meets a closed socket, EPIPE, instead of its alert first):
                // which of the two we see depends on timing; seen on a loaded CI box.
                return null;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static String header(String message, String name, String compact, String otherwise) {
        Matcher m = Pattern.compile("(?im)^(?:" + Pattern.quote(name) + (compact == null ? "" : "|" + compact)
                + ")[ \\t]*:[ \\t]*(.*?)\\r?$").matcher(message);
        return m.find() ? m.group(1).trim() : otherwise;
    }

    static int status(String response) {
        return Integer.parseInt(response.substring(8, 11));
    }

    static String cseqMethod(String message) {
        String cseq = header(message, "CSeq", null, "0 NONE");
        return cseq.substring(cseq.indexOf(' ') + 1).trim().toUpperCase(Locale.ROOT);
    }

    static String sdp(int rtpPort) {
        return "v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio " + rtpPort
                + " RTP/AVP 8 0 101\na=rtpmap:8 PCMA/8000\na=rtpmap:0 PCMU/8000\na=rtpmap:101 telephone-event/8000\n"
                + "a=sendrecv\n";
    }

    /** A request from us at {@code localPort} over TLS; {@code body} may be empty. */
    static String request(String method, String uri, String callId, int cseq, String fromTag, String toTag,
            int localPort, String body, String extra) {
        String b = body.replace("\n", "\r\n");
        return method + " " + uri + " SIP/2.0\n"
                + "Via: SIP/2.0/TLS 127.0.0.1:" + localPort + ";branch=z9hG4bK" + Long.toHexString(System.nanoTime())
                + ";rport\n"
                + "Max-Forwards: 70\n"
                + "From: <sip:5550100@127.0.0.1>;tag=" + fromTag + "\n"
                + "To: <" + uri + ">" + (toTag == null ? "" : ";tag=" + toTag) + "\n"
                + "Call-ID: " + callId + "\n"
                + "CSeq: " + cseq + " " + method + "\n"
                + "Contact: <sip:tester@127.0.0.1:" + localPort + ";transport=tls>\n"
                + extra
                + (b.isEmpty() ? "" : "Content-Type: application/sdp\n")
                + "Content-Length: " + b.getBytes(StandardCharsets.UTF_8).length + "\n\n" + body;
    }

    /** A response to {@code request} copying Via, From, To (with {@code toTag}), Call-ID and CSeq. */
    static String response(String request, int status, String reason, String toTag, String extra) {
        StringBuilder b = new StringBuilder("SIP/2.0 " + status + " " + reason + "\n");
        for (String line : request.split("\r\n")) {
            String l = line.toLowerCase(Locale.ROOT);
            if (l.startsWith("via:") || l.startsWith("v:") || l.startsWith("from:") || l.startsWith("f:")
                    || l.startsWith("call-id:") || l.startsWith("i:") || l.startsWith("cseq:")) {
                b.append(line).append('\n');
            } else if (l.startsWith("to:") || l.startsWith("t:")) {
                b.append(line).append(toTag == null || l.contains(";tag=") ? "" : ";tag=" + toTag).append('\n');
            }
        }
        return b.append(extra).append("Content-Length: 0\n\n").toString();
    }
}
