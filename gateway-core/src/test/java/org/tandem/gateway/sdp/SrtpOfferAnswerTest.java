package org.tandem.gateway.sdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.srtp.SrtpProfile;

/** SDES (RFC 4568) offer/answer rules, without a stack. */
class SrtpOfferAnswerTest {
    private static final String PEER_KEY = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"; // 30 bytes
    private static final byte[] OUR_80 = filled(1);
    private static final byte[] OUR_32 = filled(2);

    /** What baresip sends with mediaenc=srtp-mand: RTP/SAVP, both suites. */
    static String savpOffer(String protocol, String... cryptos) {
        StringBuilder sb = new StringBuilder("""
                v=0\r
                o=- 1 2 IN IP4 127.0.0.1\r
                s=-\r
                c=IN IP4 127.0.0.1\r
                t=0 0\r
                """);
        sb.append("m=audio 40000 ").append(protocol).append(" 0 8 101\r\n");
        sb.append("a=rtpmap:101 telephone-event/8000\r\n");
        for (String c : cryptos) {
            sb.append("a=crypto:").append(c).append("\r\n");
        }
        sb.append("a=sendrecv\r\n");
        return sb.toString();
    }

    private static MediaPolicy policy(SrtpPolicy.Mode mode, boolean tls) {
        return new MediaPolicy(G711.PCMA, true, true, 101, 20, "127.0.0.1", 30000,
                new SrtpPolicy(mode, tls, tls ? OUR_80 : null, tls ? OUR_32 : null));
    }

    private static Negotiation answer(String offer, MediaPolicy p) throws SdpParseException {
        return OfferAnswer.answer(SessionDescription.parse(offer), p, SdpOrigin.create("127.0.0.1"));
    }

    @Test
    void answersAnSavpOfferOverTlsWithTheFirstSupportedSuiteAndOurOwnKey() throws Exception {
        String offer = savpOffer("RTP/SAVP", "1 AES_256_CM_HMAC_SHA1_80 inline:" + PEER_KEY + PEER_KEY,
                "2 AES_CM_128_HMAC_SHA1_32 inline:" + PEER_KEY, "3 AES_CM_128_HMAC_SHA1_80 inline:" + PEER_KEY);
        Negotiation.Agreed a = assertInstanceOf(Negotiation.Agreed.class,
                answer(offer, policy(SrtpPolicy.Mode.OFF, true)));
        SrtpKeys k = a.media().srtp();
        assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_32, k.profile());
        assertArrayEquals(Base64.getDecoder().decode(PEER_KEY), k.receiveKey());
        assertArrayEquals(OUR_32, k.sendKey());
        String sdp = a.localSdp().encode();
        assertTrue(sdp.contains("m=audio 30000 RTP/SAVP 8 101\r\n"), sdp);
        assertTrue(sdp.contains("a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:"
                + Base64.getEncoder().encodeToString(OUR_32) + "\r\n"), sdp);
        assertEquals(1, sdp.split("a=crypto").length - 1, "one line answered");
        // and the answer parses back to the same line
        CryptoAttribute back = SessionDescription.parse(sdp).media().get(0).cryptos().get(0);
        assertArrayEquals(OUR_32, back.keySalt());
    }

    @Test
    void refusesKeysOverATransportInTheClear() throws Exception {
        String offer = savpOffer("RTP/SAVP", "1 AES_CM_128_HMAC_SHA1_80 inline:" + PEER_KEY);
        Negotiation.NotAcceptable n = assertInstanceOf(Negotiation.NotAcceptable.class,
                answer(offer, policy(SrtpPolicy.Mode.OFFER, false)));
        assertTrue(n.reason().contains("RFC 4568 8.3"), n.reason());
        assertFalse(n.reason().contains(PEER_KEY), "no key in the reason");
        // best effort (RTP/AVP + a=crypto) in the clear: plain RTP, no key in our answer
        Negotiation.Agreed a = assertInstanceOf(Negotiation.Agreed.class, answer(
                savpOffer("RTP/AVP", "1 AES_CM_128_HMAC_SHA1_80 inline:" + PEER_KEY),
                policy(SrtpPolicy.Mode.OFFER, false)));
        assertNull(a.media().srtp());
        assertFalse(a.localSdp().encode().contains("crypto"));
    }

    @Test
    void bestEffortOfferGetsSrtpOverTlsUnlessSrtpIsOff() throws Exception {
        String offer = savpOffer("RTP/AVP", "1 AES_CM_128_HMAC_SHA1_80 inline:" + PEER_KEY);
        Negotiation.Agreed a = assertInstanceOf(Negotiation.Agreed.class,
                answer(offer, policy(SrtpPolicy.Mode.OFFER, true)));
        assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80, a.media().srtp().profile());
        assertTrue(a.localSdp().encode().contains("m=audio 30000 RTP/AVP 8 101"));
        assertTrue(a.localSdp().encode().contains("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"));
        Negotiation.Agreed off = assertInstanceOf(Negotiation.Agreed.class,
                answer(offer, policy(SrtpPolicy.Mode.OFF, true)));
        assertNull(off.media().srtp());
    }

    @Test
    void requiredSrtpNotOfferedIs488() throws Exception {
        Negotiation.NotAcceptable n = assertInstanceOf(Negotiation.NotAcceptable.class,
                answer(savpOffer("RTP/AVP"), policy(SrtpPolicy.Mode.REQUIRE, true)));
        assertTrue(n.reason().contains("SRTP required"), n.reason());
    }

    @Test
    void refusesLinesWithMkiLifetimeOrSessionParametersAndPicksAnother() throws Exception {
        assertTrue(CryptoAttribute.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + PEER_KEY + "|2^20")
                .unsupported().startsWith("key lifetime 2^20"));
        assertEquals("MKI not supported", CryptoAttribute.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + PEER_KEY
                + "|1:4").unsupported());
        assertTrue(CryptoAttribute.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + PEER_KEY + "|2^31").usable());
        assertFalse(CryptoAttribute.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + PEER_KEY + " KDR=1").usable());
        assertFalse(CryptoAttribute.parse("1 AES_CM_128_HMAC_SHA1_80 inline:QUJD").usable(), "short key");
        String offer = savpOffer("RTP/SAVP", "1 AES_CM_128_HMAC_SHA1_80 inline:" + PEER_KEY + "|1:4",
                "2 AES_CM_128_HMAC_SHA1_80 inline:" + PEER_KEY + "|2^10",
                "3 AES_CM_128_HMAC_SHA1_80 inline:" + PEER_KEY + " UNENCRYPTED_SRTP");
        Negotiation.NotAcceptable n = assertInstanceOf(Negotiation.NotAcceptable.class,
                answer(offer, policy(SrtpPolicy.Mode.OFF, true)));
        assertTrue(n.reason().contains("no usable a=crypto"), n.reason());
        assertFalse(n.reason().contains(PEER_KEY), n.reason());
        String withGood = offer + "a=crypto:9 AES_CM_128_HMAC_SHA1_80 inline:" + PEER_KEY + "\r\n";
        Negotiation.Agreed a = assertInstanceOf(Negotiation.Agreed.class,
                answer(withGood, policy(SrtpPolicy.Mode.OFF, true)));
        assertTrue(a.localSdp().encode().contains("a=crypto:9 AES_CM_128_HMAC_SHA1_80"));
    }

    @Test
    void ourOffersCarryBothSuitesAndTheAnswerPicksOne() throws Exception {
        SessionDescription offer = OfferAnswer.offer(policy(SrtpPolicy.Mode.REQUIRE, true),
                SdpOrigin.create("127.0.0.1"), Direction.SENDRECV);
        String text = offer.encode();
        assertTrue(text.contains("m=audio 30000 RTP/SAVP 8 0 101"), text);
        assertTrue(text.contains("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + Base64.getEncoder().encodeToString(OUR_80)));
        assertTrue(text.contains("a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" + Base64.getEncoder().encodeToString(OUR_32)));
        assertTrue(OfferAnswer.offer(policy(SrtpPolicy.Mode.OFFER, true), SdpOrigin.create("127.0.0.1"),
                Direction.SENDRECV).encode().contains("RTP/AVP"), "best effort offer");
        assertFalse(OfferAnswer.offer(policy(SrtpPolicy.Mode.OFF, true), SdpOrigin.create("127.0.0.1"),
                Direction.SENDRECV).encode().contains("crypto"));

        String theirAnswer = savpOffer("RTP/SAVP", "2 AES_CM_128_HMAC_SHA1_32 inline:" + PEER_KEY);
        Negotiation.Agreed a = assertInstanceOf(Negotiation.Agreed.class, OfferAnswer.acceptAnswer(offer,
                SessionDescription.parse(theirAnswer), policy(SrtpPolicy.Mode.REQUIRE, true)));
        assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_32, a.media().srtp().profile());
        assertArrayEquals(OUR_32, a.media().srtp().sendKey());
        // a tag we did not offer, or no crypto at all, to a required offer: not acceptable
        assertInstanceOf(Negotiation.NotAcceptable.class, OfferAnswer.acceptAnswer(offer, SessionDescription.parse(
                savpOffer("RTP/SAVP", "7 AES_CM_128_HMAC_SHA1_32 inline:" + PEER_KEY)),
                policy(SrtpPolicy.Mode.REQUIRE, true)));
        assertInstanceOf(Negotiation.NotAcceptable.class, OfferAnswer.acceptAnswer(offer,
                SessionDescription.parse(savpOffer("RTP/AVP")), policy(SrtpPolicy.Mode.REQUIRE, true)));
        // best effort: the peer may answer plain RTP
        SessionDescription bestEffort = OfferAnswer.offer(policy(SrtpPolicy.Mode.OFFER, true),
                SdpOrigin.create("127.0.0.1"), Direction.SENDRECV);
        Negotiation.Agreed plain = assertInstanceOf(Negotiation.Agreed.class, OfferAnswer.acceptAnswer(bestEffort,
                SessionDescription.parse(savpOffer("RTP/AVP")), policy(SrtpPolicy.Mode.OFFER, true)));
        assertNull(plain.media().srtp());
    }

    @Test
    void redactsEveryKeyOfALineWithSeveralAndInAnyCase() {
        // RFC 4568 9.1: a=crypto may carry several key-params ("inline:..;inline:.."), and SDP's
        // literals are case-insensitive: a peer's offer must not put its second key in our log
        String second = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk";
        String r = CryptoAttribute.redact("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + PEER_KEY + "|2^20|1:4;inline:"
                + second + "|2^20|2:4\r\na=crypto:2 AES_CM_128_HMAC_SHA1_32 INLINE:" + PEER_KEY + "\r\n");
        assertFalse(r.contains(PEER_KEY), r);
        assertFalse(r.contains(second), r);
        assertTrue(r.contains("inline:<redacted>|2^20|1:4;inline:<redacted>|2^20|2:4"), r);
    }

    @Test
    void redactsInlineKeysForLogs() {
        String sdp = savpOffer("RTP/SAVP", "1 AES_CM_128_HMAC_SHA1_80 inline:" + PEER_KEY + "|2^31",
                "2 AES_CM_128_HMAC_SHA1_32 inline:" + PEER_KEY);
        String r = CryptoAttribute.redact(sdp);
        assertFalse(r.contains(PEER_KEY), r);
        assertTrue(r.contains("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:<redacted>|2^31"), r);
        assertTrue(r.contains("a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:<redacted>\r\n"), r);
        String parsed = assertDoesNotThrowParse(sdp);
        assertFalse(parsed.contains(PEER_KEY), parsed);
        assertTrue(parsed.contains("crypto:2 AES_CM_128_HMAC_SHA1_32 inline:<redacted>"), parsed);
        CryptoAttribute c = CryptoAttribute.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + PEER_KEY);
        assertNotNull(c);
        assertFalse(c.toString().contains(PEER_KEY));
        assertEquals("SrtpKeys[AES_CM_128_HMAC_SHA1_80]",
                new SrtpKeys(SrtpProfile.AES_CM_128_HMAC_SHA1_80, OUR_80, OUR_32).toString());
    }

    private static String assertDoesNotThrowParse(String sdp) {
        try {
            return SessionDescription.parse(sdp).toString();
        } catch (SdpParseException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] filled(int v) {
        byte[] b = new byte[SrtpProfile.KEY_SALT_LENGTH];
        java.util.Arrays.fill(b, (byte) v);
        b[0] = (byte) (v + 10);
        return b;
    }
}
