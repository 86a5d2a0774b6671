package org.tandem.gateway.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Where GuardedServerSocket's scanner finds the ends of SIP messages in a TCP stream. */
class MessageScannerTest {
    private final GuardedServerSocket.MessageScanner scanner = new GuardedServerSocket.MessageScanner();

    private void feed(String s, long now) {
        for (byte b : s.getBytes(StandardCharsets.US_ASCII)) {
            scanner.scan(b & 0xFF, now);
        }
    }

    @Test
    void shouldEndAMessageAtItsEmptyLineOrAfterItsBody() {
        feed("OPTIONS sip:a SIP/2.0\r\nVia: x\r\nContent-Length: 0\r\n\r\n", 5);
        assertEquals(1, scanner.messages);
        assertEquals(0, scanner.messageStartedMs, "between messages");
        feed("INVITE sip:a SIP/2.0\r\ncontent-length: 4\r\n\r\nv=", 7);
        assertEquals(1, scanner.messages, "the body is still coming");
        assertEquals(7, scanner.messageStartedMs);
        feed("0\r\n", 8);
        assertEquals(2, scanner.messages);
        feed("BYE sip:a SIP/2.0\r\nl: 2\r\n\r\nab", 9);
        assertEquals(3, scanner.messages, "compact Content-Length (l)");
    }

    @Test
    void shouldTakeHeaderNamesCaseInsensitivelyCompactFormsToo() {
        // RFC 3261 7.3.1: field names, compact ones included, are case-insensitive
        feed("BYE sip:a SIP/2.0\r\nL: 2\r\n\r\nab", 1);
        assertEquals(1, scanner.messages, "compact Content-Length as L");
        assertEquals(0, scanner.messageStartedMs, "the body is not the start of another message");
        feed("INFO sip:a SIP/2.0\r\nCONTENT-LENGTH: 3\r\n\r\nxyz", 2);
        assertEquals(2, scanner.messages);
    }

    @Test
    void shouldTakeKeepAlivesForNoMessageAndSlowHeadersForOneBegun() {
        feed("\r\n\r\n\r\n", 1);
        assertEquals(0, scanner.messages);
        assertEquals(0, scanner.messageStartedMs, "CRLF keep-alives begin nothing");
        feed("OPTIONS sip:a SIP/2.0\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 2);
        feed("aaaa", 3);
        assertEquals(0, scanner.messages);
        assertEquals(2, scanner.messageStartedMs, "slowloris: begun at 2, never finished");
    }
}
