package org.tandem.gateway.interwork;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

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

    // ---- server side (registrar) --------------------------------------------------------------

    /** Responses computed with python3 hashlib, not with this code (see the comment on each). */
    private static final String NONCE = "5f4dcc3b5aa765d61d8327deb882cf99";

    private static DigestAuth.Credentials register(String algorithm, String nc, String response) {
        return DigestAuth.parseCredentials("Digest username=\"alice\", realm=\"pbx.example.net\", nonce=\""
                + NONCE + "\", uri=\"sip:pbx.example.net\", response=\"" + response + "\""
                + (algorithm == null ? "" : ", algorithm=" + algorithm) + ", qop=auth, nc=" + nc
                + ", cnonce=\"0a4f113b\"");
    }

    /**
     * python3: h=lambda s: hashlib.md5(s.encode()).hexdigest();
     * h(h("alice:pbx.example.net:s3cr3t pass")+":"+NONCE+":00000001:0a4f113b:auth:"+h("REGISTER:sip:pbx.example.net")).
     */
    @Test
    void shouldAcceptAQopAuthRegisterWhoseMd5ResponseWasComputedIndependently() {
        String md5 = "208884a56d12a4a5a629cf71a17a6268";
        assertEquals(DigestAuth.Verdict.VALID, DigestAuth.verifyQopAuth(register("MD5", "00000001", md5),
                "REGISTER", "pbx.example.net", "s3cr3t pass"));
        assertEquals(DigestAuth.Verdict.VALID, DigestAuth.verifyQopAuth(register(null, "00000001", md5),
                "REGISTER", "pbx.example.net", "s3cr3t pass"), "no algorithm means MD5 (RFC 7616 3.3)");
        assertEquals(DigestAuth.Verdict.VALID, DigestAuth.verifyQopAuth(register("MD5", "00000002",
                "4de079420d7f3273b8027dba7f7fa42c"), "REGISTER", "pbx.example.net", "s3cr3t pass"));
    }

    /** As above with hashlib.sha256 (HA1 also checked with openssl dgst -sha256). */
    @Test
    void shouldAcceptAQopAuthRegisterWhoseSha256ResponseWasComputedIndependently() {
        assertEquals(DigestAuth.Verdict.VALID, DigestAuth.verifyQopAuth(register("SHA-256", "00000001",
                "9aec9d747f0cbcca28fa6078c196cbe4bd4337a9f8b2334c77227be1dbc9195e"), "REGISTER",
                "pbx.example.net", "s3cr3t pass"));
        assertEquals(DigestAuth.Verdict.VALID, DigestAuth.verifyQopAuth(register("SHA-256", "00000002",
                "01e1a7de11b387bc977d0f2c9172cafa12b24faa2dccb34223b0b022b5ee194c"), "REGISTER",
                "pbx.example.net", "s3cr3t pass"));
        assertEquals("ee72742cf9fb2fdde8db8fb336a6dc4bfb65ef023a8428e9c1c013e0a2c40f45",
                DigestAuth.hash("SHA-256", "alice:pbx.example.net:s3cr3t pass"));
    }

    /** The Authorization headers of RFC 7616 section 3.9.1, as a client sent them. */
    @Test
    void shouldAcceptTheRfc7616ExampleCredentialsOfBothAlgorithms() {
        String common = "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", uri=\"/dir/index.html\","
                + " nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", nc=00000001,"
                + " cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\", qop=auth,"
                + " opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\", ";
        DigestAuth.Credentials md5 = DigestAuth.parseCredentials(common
                + "algorithm=MD5, response=\"8ca523f5e9506fed4657c9700eebdbec\"");
        DigestAuth.Credentials sha = DigestAuth.parseCredentials(common + "algorithm=SHA-256,"
                + " response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\"");
        for (DigestAuth.Credentials cr : new DigestAuth.Credentials[] {md5, sha}) {
            assertEquals(DigestAuth.Verdict.VALID, DigestAuth.verifyQopAuth(cr, "GET", "http-auth@example.org",
                    "Circle of Life"), cr.get("algorithm"));
            assertEquals(DigestAuth.Verdict.WRONG_RESPONSE, DigestAuth.verifyQopAuth(cr, "GET",
                    "http-auth@example.org", "Circle Of Life"), cr.get("algorithm"));
            assertEquals(DigestAuth.Verdict.WRONG_RESPONSE, DigestAuth.verifyQopAuth(cr, "POST",
                    "http-auth@example.org", "Circle of Life"), cr.get("algorithm"));
        }
    }

    @Test
    void shouldJudgeAnAnswerWithoutQopNcOrCnonceOrForAnotherRealmAsMalformed() {
        String ok = "Digest username=\"alice\", realm=\"pbx.example.net\", nonce=\"" + NONCE
                + "\", uri=\"sip:pbx.example.net\", response=\"208884a56d12a4a5a629cf71a17a6268\"";
        String[] broken = {
            ok,                                                          // RFC 2069 style: no qop
            ok + ", qop=auth, cnonce=\"0a4f113b\"",                       // no nc
            ok + ", qop=auth, nc=00000001",                               // no cnonce
            ok + ", qop=auth, nc=1, cnonce=\"0a4f113b\"",                 // nc not 8 hex digits
            ok + ", qop=auth-int, nc=00000001, cnonce=\"0a4f113b\"",      // auth-int is not offered
            ok + ", qop=auth, nc=00000001, cnonce=\"0a4f113b\", algorithm=MD5-sess",
            ok + ", qop=auth, nc=00000001, cnonce=\"0a4f113b\", algorithm=SHA-256", // MD5-length response
            ok + ", qop=auth, nc=00000001, cnonce=\"0a4f113b\", userhash=true",
            ok.replace("pbx.example.net\", nonce", "other.example\", nonce") + ", qop=auth, nc=00000001,"
                    + " cnonce=\"0a4f113b\"",
        };
        assertEquals(DigestAuth.Verdict.VALID, DigestAuth.verifyQopAuth(DigestAuth.parseCredentials(ok
                + ", qop=auth, nc=00000001, cnonce=\"0a4f113b\""), "REGISTER", "pbx.example.net", "s3cr3t pass"));
        for (String b : broken) {
            assertEquals(DigestAuth.Verdict.MALFORMED, DigestAuth.verifyQopAuth(DigestAuth.parseCredentials(b),
                    "REGISTER", "pbx.example.net", "s3cr3t pass"), b);
        }
    }

    @Test
    void shouldReadTheNonceCountAsEightHexDigits() {
        assertEquals(10, DigestAuth.nonceCount(register("MD5", "0000000a", "x")));
        assertEquals(0xffffffffL, DigestAuth.nonceCount(register("MD5", "ffffffff", "x")));
        assertEquals(-1, DigestAuth.nonceCount(register("MD5", "0000000g", "x")));
        assertEquals(-1, DigestAuth.nonceCount(register("MD5", "000000001", "x")));
    }

    @Test
    void shouldIssueNoncesThatOnlyTheirKeyRecognisesWithTheirIssueTime() {
        byte[] key = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        byte[] other = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
        String a = DigestAuth.newNonce(key, 1_700_000_000L);
        String b = DigestAuth.newNonce(key, 1_700_000_000L);
        assertEquals(64, a.length());
        assertNotEquals(a, b, "two challenges in the same second differ");
        assertEquals(1_700_000_000L, DigestAuth.nonceIssuedAt(key, a));
        assertEquals(1_700_000_000L, DigestAuth.nonceIssuedAt(key, b));
        assertEquals(-1, DigestAuth.nonceIssuedAt(other, a));
        String later = "0000000065538b01" + a.substring(16);
        assertEquals(-1, DigestAuth.nonceIssuedAt(key, later), "the issue time cannot be moved");
        assertEquals(-1, DigestAuth.nonceIssuedAt(key, DigestAuth.newNonce()));
        assertEquals(-1, DigestAuth.nonceIssuedAt(key, null));
    }

    @Test
    void shouldSayStaleOnlyWhenAsked() {
        assertTrue(DigestAuth.parseChallenge(DigestAuth.challenge("r", "n", "SHA-256", true)).stale());
        DigestAuth.Challenge fresh = DigestAuth.parseChallenge(DigestAuth.challenge("r", "n", "SHA-256", false));
        assertFalse(fresh.stale());
        assertEquals("SHA-256", fresh.algorithm());
        assertTrue(fresh.qopAuth());
    }
}
