package org.tandem.gateway.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OfferAnswerTest {
    /** An Asterisk 18 offer (chan_pjsip), CRLF line ends, mu-law first. */
    static final String ASTERISK = """
            v=0\r
            o=- 1712345678 1712345678 IN IP4 192.0.2.10\r
            s=Asterisk\r
            c=IN IP4 192.0.2.10\r
            t=0 0\r
            m=audio 17424 RTP/AVP 0 8 3 101\r
            a=rtpmap:0 PCMU/8000\r
            a=rtpmap:8 PCMA/8000\r
            a=rtpmap:3 GSM/8000\r
            a=rtpmap:101 telephone-event/8000\r
            a=fmtp:101 0-16\r
            a=ptime:20\r
            a=maxptime:150\r
            a=sendrecv\r
            """;

    /** A Cisco CUBE style offer: session-level c=, G.729 first, no rtpmap for the static types, LF only. */
    static final String CISCO = """
            v=0
            o=CiscoSystemsSIP-GW-UserAgent 4255 5916 IN IP4 198.51.100.7
            s=SIP Call
            c=IN IP4 198.51.100.7
            t=0 0
            m=audio 16506 RTP/AVP 18 8 0 100
            c=IN IP4 198.51.100.8
            a=rtpmap:18 G729/8000
            a=fmtp:18 annexb=no
            a=rtpmap:100 X-NSE/8000
            a=fmtp:100 192-194
            a=ptime:30
            """;

    /** A softphone offering only SRTP (RTP/SAVP with crypto). */
    static final String SRTP_ONLY = """
            v=0\r
            o=- 3 3 IN IP4 10.0.0.5\r
            s=-\r
            c=IN IP4 10.0.0.5\r
            t=0 0\r
            m=audio 4000 RTP/SAVP 0 8\r
            a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r
            """;

    /** A fax-capable ATA: T.38 image stream first, then audio with a dynamic G.711 payload type. */
    static final String T38_FIRST = """
            v=0\r
            o=ata 10 10 IN IP4 10.1.1.1\r
            s=-\r
            c=IN IP4 10.1.1.1\r
            t=0 0\r
            m=image 5004 udptl t38\r
            a=T38FaxVersion:0\r
            m=audio 5006 RTP/AVP 98 96\r
            a=rtpmap:98 PCMA/8000\r
            a=rtpmap:96 telephone-event/8000\r
            a=fmtp:96 0-15\r
            """;

    private static final MediaPolicy ALAW = new MediaPolicy(G711.PCMA, true, true, 101, 20, "127.0.0.1", 20000);
    private static final MediaPolicy ALAW_ONLY = new MediaPolicy(G711.PCMA, false, true, 101, 20, "127.0.0.1", 20000);
    private static final SdpOrigin ORIGIN = new SdpOrigin("tandem", 42, 42, "127.0.0.1");

    private static Negotiation.Agreed agreed(String offer, MediaPolicy policy) throws SdpParseException {
        return assertInstanceOf(Negotiation.Agreed.class,
                OfferAnswer.answer(SessionDescription.parse(offer), policy, ORIGIN));
    }

    @Test
    void shouldChooseTheSpanLawEvenWhenThePeerPrefersTheOther() throws Exception {
        Negotiation.Agreed a = agreed(ASTERISK, ALAW);
        assertEquals(G711.PCMA, a.media().codec());
        assertEquals(101, a.media().telephoneEventPt());
        assertEquals("192.0.2.10", a.media().remoteAddress());
        assertEquals(17424, a.media().remotePort());
        assertEquals(Direction.SENDRECV, a.media().direction());
        String text = a.localSdp().encode();
        assertTrue(text.contains("m=audio 20000 RTP/AVP 8 101\r\n"), text);
        assertTrue(text.contains("a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n"), text);
        assertTrue(text.contains("c=IN IP4 127.0.0.1\r\n"), text);
        assertTrue(text.contains("a=ptime:20\r\n"), text);
    }

    @Test
    void shouldUseMediaLevelConnectionAndStaticTypesWithoutRtpmap() throws Exception {
        Negotiation.Agreed a = agreed(CISCO, ALAW);
        assertEquals(G711.PCMA, a.media().codec());
        assertEquals("198.51.100.8", a.media().remoteAddress());
        assertEquals(30, a.media().sendPtimeMs(), "send with the peer's ptime");
        assertEquals(-1, a.media().telephoneEventPt(), "X-NSE is not telephone-event");
    }

    @Test
    void shouldTakeTheOtherLawOnlyWhenAllowed() throws Exception {
        String muOnly = ASTERISK.replace("m=audio 17424 RTP/AVP 0 8 3 101", "m=audio 17424 RTP/AVP 0 101");
        assertEquals(G711.PCMU, agreed(muOnly, ALAW).media().codec());
        Negotiation n = OfferAnswer.answer(SessionDescription.parse(muOnly), ALAW_ONLY, ORIGIN);
        assertTrue(assertInstanceOf(Negotiation.NotAcceptable.class, n).reason().contains("no common codec"));
    }

    @Test
    void shouldFindNothingUsableInAnSrtpOnlyOffer() throws Exception {
        Negotiation n = OfferAnswer.answer(SessionDescription.parse(SRTP_ONLY), ALAW, ORIGIN);
        assertTrue(assertInstanceOf(Negotiation.NotAcceptable.class, n).reason().contains("RTP/SAVP"));
    }

    @Test
    void shouldRefuseTheImageStreamWithPortZeroAndAcceptTheDynamicAlawAudio() throws Exception {
        Negotiation.Agreed a = agreed(T38_FIRST, ALAW);
        assertEquals(98, a.media().payloadType());
        assertEquals(96, a.media().telephoneEventPt());
        List<MediaDescription> m = a.localSdp().media();
        assertEquals(2, m.size(), "same number of m= lines as the offer");
        assertEquals(0, m.get(0).port());
        assertTrue(a.localSdp().encode().contains("m=image 0 udptl t38\r\n"));
        assertTrue(a.localSdp().encode().contains("m=audio 20000 RTP/AVP 98 96\r\na=rtpmap:98 PCMA/8000\r\n"));
    }

    @Test
    void shouldAnswerHoldWithRecvonlyAndInactiveWithInactive() throws Exception {
        Negotiation.Agreed hold = agreed(ASTERISK.replace("a=sendrecv", "a=sendonly"), ALAW);
        assertEquals(Direction.RECVONLY, hold.media().direction());
        assertTrue(hold.media().isHeld());
        assertTrue(hold.localSdp().encode().contains("a=recvonly\r\n"));
        assertEquals(Direction.INACTIVE, agreed(ASTERISK.replace("a=sendrecv", "a=inactive"), ALAW).media().direction());
        Negotiation.Agreed oldStyle = agreed(ASTERISK.replace("c=IN IP4 192.0.2.10", "c=IN IP4 0.0.0.0"), ALAW);
        assertEquals(Direction.RECVONLY, oldStyle.media().direction(), "RFC 2543 hold with c=0.0.0.0");
        Negotiation.Agreed resumed = agreed(ASTERISK, ALAW);
        assertFalse(resumed.media().isHeld());
    }

    @Test
    void shouldNoticeAChangedRemoteAddressInAReInvite() throws Exception {
        NegotiatedMedia first = agreed(ASTERISK, ALAW).media();
        NegotiatedMedia moved = agreed(ASTERISK.replace("17424", "17500"), ALAW).media();
        assertTrue(moved.remoteChangedFrom(first));
        assertFalse(agreed(ASTERISK, ALAW).media().remoteChangedFrom(first));
    }

    @Test
    void shouldOfferBothLawsPreferredFirstAndAcceptTheAnswer() throws Exception {
        SessionDescription offer = OfferAnswer.offer(ALAW, ORIGIN, Direction.SENDRECV);
        SessionDescription reparsed = SessionDescription.parse(offer.encode());
        assertEquals(List.of(8, 0, 101), reparsed.media().get(0).payloadTypes());
        assertEquals(42, reparsed.sessionVersion());
        String answer = """
                v=0\r
                o=sipp 1 1 IN IP4 127.0.0.2\r
                s=-\r
                c=IN IP4 127.0.0.2\r
                t=0 0\r
                m=audio 6000 RTP/AVP 0 101\r
                a=rtpmap:0 PCMU/8000\r
                a=rtpmap:101 telephone-event/8000\r
                """;
        Negotiation.Agreed a = assertInstanceOf(Negotiation.Agreed.class,
                OfferAnswer.acceptAnswer(offer, SessionDescription.parse(answer), ALAW));
        assertEquals(G711.PCMU, a.media().codec());
        assertEquals("127.0.0.2", a.media().remoteAddress());
        assertEquals(6000, a.media().remotePort());
        assertEquals(43, ORIGIN.next().version());
    }

    @Test
    void shouldRejectAnAnswerWithACodecWeDidNotOffer() throws Exception {
        SessionDescription offer = OfferAnswer.offer(ALAW_ONLY, ORIGIN, Direction.SENDRECV);
        String answer = "v=0\r\no=x 1 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\n";
        assertInstanceOf(Negotiation.NotAcceptable.class,
                OfferAnswer.acceptAnswer(offer, SessionDescription.parse(answer), ALAW_ONLY));
    }

    @Test
    void shouldNameTheLineOfAParseError() {
        SdpParseException e = assertThrows(SdpParseException.class,
                () -> SessionDescription.parse("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nm=audio x RTP/AVP 0\r\n"));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertThrows(SdpParseException.class, () -> SessionDescription.parse("o=- 1 1 IN IP4 1.2.3.4\r\n"));
        assertThrows(SdpParseException.class, () -> SessionDescription.parse(""));
    }

    @Test
    void shouldRefuseAnOfferWithoutConnectionAddress() throws Exception {
        String noC = "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\n";
        assertInstanceOf(Negotiation.NotAcceptable.class,
                OfferAnswer.answer(SessionDescription.parse(noC), ALAW, ORIGIN));
    }
}
