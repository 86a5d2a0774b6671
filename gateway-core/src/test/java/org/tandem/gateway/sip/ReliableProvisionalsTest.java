package org.tandem.gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tandem.gateway.sdp.SessionDescription;
import org.tandem.gateway.sip.ReliableProvisionals.Prack;
import org.tandem.gateway.sip.ReliableProvisionals.Provisional;
import org.tandem.gateway.sip.ReliableProvisionals.Use;

/** RFC 3262 section 3, the UAS side, without a stack. */
class ReliableProvisionalsTest {
    private static final SessionDescription SDP = sdp("""
            v=0\r
            o=tandem 1 1 IN IP4 127.0.0.1\r
            s=-\r
            c=IN IP4 127.0.0.1\r
            t=0 0\r
            m=audio 20000 RTP/AVP 8\r
            a=rtpmap:8 PCMA/8000\r
            """);

    private static SessionDescription sdp(String text) {
        try {
            return SessionDescription.parse(text);
        } catch (org.tandem.gateway.sdp.SdpParseException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldSendReliablyWhenRequiredOrWhenSupportedAndTheTrunkRequiresIt() {
        assertEquals(Use.RELIABLE, ReliableProvisionals.decide(PrackPolicy.SUPPORTED, true, false));
        assertEquals(Use.RELIABLE, ReliableProvisionals.decide(PrackPolicy.REQUIRED, true, true));
        assertEquals(Use.RELIABLE, ReliableProvisionals.decide(PrackPolicy.REQUIRED, false, true));
        assertEquals(Use.UNRELIABLE, ReliableProvisionals.decide(PrackPolicy.SUPPORTED, false, true));
        assertEquals(Use.UNRELIABLE, ReliableProvisionals.decide(PrackPolicy.REQUIRED, false, false));
        assertEquals(Use.UNRELIABLE, ReliableProvisionals.decide(PrackPolicy.OFF, false, true));
        assertEquals(Use.REFUSE, ReliableProvisionals.decide(PrackPolicy.OFF, true, true));
    }

    @Test
    void shouldMatchAPrackByRseqCseqAndMethodOnly() {
        ReliableProvisionals r = new ReliableProvisionals();
        assertTrue(r.offer(new Provisional(183, SDP)));
        r.sent(501, 1, true);
        assertTrue(r.awaitingPrack());
        assertEquals(Prack.UNKNOWN, r.onPrack(502, 1, "INVITE"), "another RSeq");
        assertEquals(Prack.UNKNOWN, r.onPrack(501, 2, "INVITE"), "another CSeq");
        assertEquals(Prack.UNKNOWN, r.onPrack(501, 1, "UPDATE"), "another method");
        assertTrue(r.awaitingPrack());
        assertEquals(Prack.MATCHED, r.onPrack(501, 1, "INVITE"));
        assertFalse(r.awaitingPrack());
        assertTrue(r.answerDelivered(), "the 183 carried our answer and was acknowledged");
        assertEquals(Prack.REPEATED, r.onPrack(501, 1, "INVITE"), "a new PRACK for the same 183");
        assertEquals(Prack.UNKNOWN, r.onPrack(500, 1, "INVITE"));
    }

    @Test
    void shouldNotCountAnAnswerDeliveredUntilItsPrackCame() {
        ReliableProvisionals r = new ReliableProvisionals();
        r.sent(7, 1, true);
        assertFalse(r.answerDelivered());
        ReliableProvisionals ringing = new ReliableProvisionals();
        ringing.sent(7, 1, false);
        ringing.onPrack(7, 1, "INVITE");
        assertFalse(ringing.answerDelivered(), "a 180 without SDP answers nothing");
    }

    @Test
    void shouldHoldASecond18xUntilThePrackOfTheFirst() {
        ReliableProvisionals r = new ReliableProvisionals();
        assertTrue(r.offer(new Provisional(180, null)));
        r.sent(1, 1, false);
        Provisional progress = new Provisional(183, SDP);
        assertFalse(r.offer(progress), "one unacknowledged reliable 18x at a time");
        assertEquals(1, r.queuedCount());
        assertEquals(Prack.MATCHED, r.onPrack(1, 1, "INVITE"));
        ReliableProvisionals.Next next = r.next();
        assertFalse(next.answer());
        assertSame(progress, next.provisional());
        assertSame(ReliableProvisionals.Next.NOTHING, r.next());
    }

    @Test
    void shouldKeepOnlyTheNewestFew18xWaiting() {
        ReliableProvisionals r = new ReliableProvisionals();
        r.sent(1, 1, false);
        for (int i = 0; i < ReliableProvisionals.MAX_QUEUED + 3; i++) {
            r.offer(new Provisional(180 + i, null));
        }
        assertEquals(ReliableProvisionals.MAX_QUEUED, r.queuedCount());
        r.onPrack(1, 1, "INVITE");
        assertEquals(183, r.next().provisional().status(), "the three oldest were dropped");
    }

    @Test
    void shouldHoldThe2xxUntilThePrackAndDropWaiting18x() {
        ReliableProvisionals r = new ReliableProvisionals();
        r.sent(9, 1, true);
        r.offer(new Provisional(180, null));
        assertTrue(r.holdAnswer(SDP));
        assertTrue(r.answerHeld());
        assertEquals(0, r.queuedCount(), "the answer supersedes waiting 18x");
        assertFalse(r.offer(new Provisional(180, null)), "nothing more after the answer");
        assertEquals(0, r.queuedCount());
        r.onPrack(9, 1, "INVITE");
        ReliableProvisionals.Next next = r.next();
        assertTrue(next.answer());
        assertSame(SDP, next.answerSdp());
        assertNull(next.provisional());
        assertFalse(r.answerHeld());
    }

    @Test
    void shouldSendThe2xxAtOnceWhenNothingIsUnacknowledged() {
        ReliableProvisionals r = new ReliableProvisionals();
        assertFalse(r.holdAnswer(SDP), "no reliable 18x yet");
        r.sent(3, 1, false);
        r.onPrack(3, 1, "INVITE");
        assertFalse(r.holdAnswer(SDP));
        assertEquals(1, r.sentCount());
    }
}
