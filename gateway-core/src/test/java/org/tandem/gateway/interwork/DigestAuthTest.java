package org.tandem.gateway.interwork;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DigestAuthTest {
    /** RFC 2617 section 3.5. */
    @Test
    void shouldComputeTheRfc2617ExampleResponse() {
        assertEquals("6629fae49393a05397450978507c4ef1", DigestAuth.response("MD5", "Mufasa",
                "testrealm@host.com", "Circle Of Life", "GET", "/dir/index.html",
                "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b", "auth"));
    }

    /** RFC 7616 section 3.9.1, both algorithms. */
    @Test
    void shouldComputeTheRfc7616ExampleResponses() {
        String nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
        String cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
        assertEquals("8ca523f5e9506fed4657c9700eebdbec", DigestAuth.response("MD5", "Mufasa",
                "http-auth@example.org", "Circle of Life", "GET", "/dir/index.html", nonce, "00000001", cnonce, "auth"));
        assertEquals("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
                DigestAuth.response("SHA-256", "Mufasa", "http-auth@example.org", "Circle of Life", "GET",
                        "/dir/index.html", nonce, "00000001", cnonce, "auth"));
    }

    @Test
    void shouldAnswerAChallengeSoThatTheUasVerifiesIt() {
        for (String alg : new String[] {"MD5", "SHA-256"}) {
            String challenge = DigestAuth.challenge("tandem", DigestAuth.newNonce(), alg);
            DigestAuth.Challenge c = DigestAuth.parseChallenge(challenge);
            assertTrue(c.qopAuth());
            String auth = DigestAuth.authorize(c, "INVITE", "sip:1004@127.0.0.1", "alice", "s3cret", 1);
            DigestAuth.Credentials cr = DigestAuth.parseCredentials(auth);
            assertTrue(DigestAuth.verify(cr, "INVITE", "s3cret"), alg);
            assertFalse(DigestAuth.verify(cr, "INVITE", "wrong"), alg);
            assertFalse(DigestAuth.verify(cr, "BYE", "s3cret"), alg);
        }
    }

    @Test
    void shouldParseAChallengeWithoutQopAndWithOpaque() {
        DigestAuth.Challenge c = DigestAuth.parseChallenge(
                "Digest realm=\"sip.example.com\", nonce=\"abc\", opaque=\"xyz\", stale=TRUE");
        assertEquals("MD5", c.algorithm());
        assertEquals("xyz", c.opaque());
        assertFalse(c.qopAuth());
        assertTrue(c.stale());
        assertFalse(DigestAuth.isSupported("MD5-sess"));
    }
}
