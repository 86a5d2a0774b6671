package org.tandem.gateway.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.SipStackImpl;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.message.MessageFactory;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.sip.SipSettings;
import org.tandem.gateway.sip.testing.SippRunner;

/**
 * The UDP reader that receives into one buffer ({@link OneBufferUdpProcessorFactory}), through the
 * real stack on a real socket: a datagram of nearly 64 KB is taken whole (RFC 3261 18.1.1), the short
 * one after it and the long one after that are read at their own lengths, answers leave from the listening port, and
 * the RI's worker threads parse (their names are the RI's).
 */
class OneBufferUdpProcessorTest {

    @Test
    void shouldTakeLargeAndSmallDatagramsWholeAndAnswerFromTheListeningPort() throws Exception {
        int port = SippRunner.freePort();
        java.util.Properties p = SipStackFactory.properties(SipSettings.defaults("127.0.0.1", port), "one-buffer-test");
        p.setProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", OneBufferUdpProcessorFactory.class.getName());
        gov.nist.core.CommonLogger.legacyLogger = new Slf4jStackLogger();
        SipStackImpl stack = new SipStackImpl(p);
        Set<String> workers = ConcurrentHashMap.newKeySet();
        try {
            assertInstanceOf(OneBufferUdpProcessorFactory.class, stack.getMessageProcessorFactory());
            ListeningPoint lp = stack.createListeningPoint("127.0.0.1", port, "udp");
            SipProvider provider = stack.createSipProvider(lp);
            MessageFactory messages = SipFactory.getInstance().createMessageFactory();
            provider.addSipListener(new Answering(provider, messages, workers));
            stack.start();
            try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                peer.setSoTimeout(10_000);
                InetSocketAddress gateway = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
                String big = options(peer.getLocalPort(), 1, 60_000);
                assertTrue(big.length() > 60_000 && big.length() < 65_000, "a datagram near the UDP maximum");
                send(peer, big, gateway);
                assertEquals("SIP/2.0 200 OK|1|60000", answer(peer, port));
                send(peer, options(peer.getLocalPort(), 2, 10), gateway);
                assertEquals("SIP/2.0 200 OK|2|10", answer(peer, port), "the short datagram after the long one");
                send(peer, options(peer.getLocalPort(), 3, 60_000), gateway);
                assertEquals("SIP/2.0 200 OK|3|60000", answer(peer, port), "a long one after the short one: not cut");
            }
            assertTrue(workers.stream().allMatch(t -> t.startsWith("one-buffer-test-UDPMessageChannelThread-")), workers.toString());
        } finally {
            stack.stop();
        }
    }

    /** An OPTIONS with a body of n bytes (the stack must read all of it to match Content-Length). */
    private static String options(int from, int cseq, int n) {
        String body = "x".repeat(n);
        return "OPTIONS sip:gw@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + from + ";branch=z9hG4bK-onebuf-" + cseq + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:t@127.0.0.1>;tag=a" + cseq + "\r\nTo: <sip:gw@127.0.0.1>\r\n"
                + "Call-ID: onebuf-" + cseq + "@127.0.0.1\r\nCSeq: " + cseq + " OPTIONS\r\n"
                + "Content-Type: text/plain\r\nContent-Length: " + n + "\r\n\r\n" + body;
    }

    private static void send(DatagramSocket s, String message, InetSocketAddress to) throws Exception {
        byte[] b = message.getBytes(StandardCharsets.US_ASCII);
        s.send(new DatagramPacket(b, b.length, to));
    }

    /** "status line|CSeq number|body length the stack saw" from the 200, which must come from the port. */
    private static String answer(DatagramSocket s, int port) throws Exception {
        byte[] b = new byte[65_536];
        DatagramPacket p = new DatagramPacket(b, b.length);
        s.receive(p);
        assertEquals(port, p.getPort(), "answered from the listening socket");
        String r = new String(b, 0, p.getLength(), StandardCharsets.US_ASCII);
        String status = r.substring(0, r.indexOf("\r\n"));
        String cseq = r.replaceAll("(?s).*\r\nCSeq: (\\d+) .*", "$1");
        String seen = r.replaceAll("(?s).*\r\nX-Body-Length: (\\d+)\r\n.*", "$1");
        return status + "|" + cseq + "|" + seen;
    }

    /** Answers each OPTIONS 200 with the length of the body the stack parsed. */
    private record Answering(SipProvider provider, MessageFactory messages, Set<String> workers) implements SipListener {
        @Override
        public void processRequest(RequestEvent e) {
            workers.add(Thread.currentThread().getName());
            try {
                Response ok = messages.createResponse(Response.OK, e.getRequest());
                byte[] body = e.getRequest().getRawContent();
                ok.addHeader(SipFactory.getInstance().createHeaderFactory()
                        .createHeader("X-Body-Length", Integer.toString(body == null ? 0 : body.length)));
                provider.getNewServerTransaction(e.getRequest()).sendResponse(ok);
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }

        @Override
        public void processResponse(ResponseEvent e) {
        }

        @Override
        public void processTimeout(TimeoutEvent e) {
        }

        @Override
        public void processIOException(IOExceptionEvent e) {
        }

        @Override
        public void processTransactionTerminated(TransactionTerminatedEvent e) {
        }

        @Override
        public void processDialogTerminated(DialogTerminatedEvent e) {
        }
    }
}
