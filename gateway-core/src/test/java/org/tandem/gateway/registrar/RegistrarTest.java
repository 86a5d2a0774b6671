package org.tandem.gateway.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tandem.gateway.registrar.Phone.contact;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tandem.config.RegistrarConfig;
import org.tandem.config.RegistrarConfig.DigestAlgorithm;
import org.tandem.config.Secret;
import org.tandem.config.UserConfig;
import org.tandem.gateway.interwork.DigestAuth;

/** RFC 3261 section 10.3 step by step, on a test clock, with phones that answer digest challenges. */
class RegistrarTest {
    static final UserConfig ALICE = new UserConfig("alice", new Secret("literal", "alice-pw"),
            List.of("1001", "1002"), UserConfig.Fork.SEQUENTIAL, 20, 3);
    static final UserConfig BOB = new UserConfig("bob", new Secret("literal", "bob-pw"), List.of("1003"),
            UserConfig.Fork.PARALLEL, 20, 10);
    static final RegistrarConfig CONFIG = new RegistrarConfig(List.of("pbx.example.net", "192.0.2.10"),
            "pbx.example.net", 60, 7200, 3600, null, List.of(DigestAlgorithm.SHA256, DigestAlgorithm.MD5));

    final TestClock clock = new TestClock(1_700_000_000_000L);
    final UserDirectory users = new UserDirectory(List.of(ALICE, BOB), CONFIG.domains());
    final LocationService location = new LocationService(users);
    final Registrar registrar = registrar(CONFIG);
    final Phone alice = new Phone("alice", "alice-pw");

    Registrar registrar(RegistrarConfig config) {
        return new Registrar(config, users, new RegisterAuthenticator(config.realm(), config.algorithms(), users,
                new byte[32]), location, null, clock);
    }

    RegisterResponse register(Phone phone, String expires, RequestContact... contacts) {
        return phone.send(registrar, () -> phone.register(expires, contacts));
    }

    List<String> bound(String user) {
        return location.snapshot().contactsOf(user, clock.getAsLong()).stream().map(Binding::contactUri).toList();
    }

    @Test
    void shouldChallengeAFirstRegisterWithSha256ThenMd5UnderOneFreshNonceAndBindNothing() {
        RegisterResponse r = registrar.handle(alice.register(null, RequestContact.of("sip:alice@10.0.0.5:5060")));
        assertEquals(401, r.status());
        assertEquals(2, r.challenges().size());
        DigestAuth.Challenge sha = DigestAuth.parseChallenge(r.challenges().get(0));
        DigestAuth.Challenge md5 = DigestAuth.parseChallenge(r.challenges().get(1));
        assertEquals("SHA-256", sha.algorithm());
        assertEquals("MD5", md5.algorithm());
        assertEquals("pbx.example.net", sha.realm());
        assertTrue(sha.qopAuth() && md5.qopAuth());
        assertFalse(sha.stale());
        assertEquals(sha.nonce(), md5.nonce());
        assertEquals(List.of(), bound("alice"));
        assertEquals(1, registrar.counters().challenged.get());
        assertEquals(0, registrar.counters().authFailures.get());
    }

    @Test
    void shouldBindTheContactOfAnAuthenticatedRegisterAndListItWithItsRemainingTime() {
        for (String algorithm : List.of("SHA-256", "MD5")) {
            Phone p = new Phone("bob", "bob-pw");
            p.algorithm = algorithm;
            p.callId = algorithm + "@10.0.0.9"; // another Call-ID: the second refreshes the first's binding
            RegisterResponse r = register(p, null, RequestContact.of("sip:bob@10.0.0.9:5060"));
            assertEquals(200, r.status(), algorithm);
            assertEquals(List.of(new RegisterResponse.GrantedContact("sip:bob@10.0.0.9:5060", 3600, -1)), r.contacts());
            assertEquals("<sip:bob@10.0.0.9:5060>;expires=3600", r.contacts().get(0).headerValue());
        }
        clock.advanceSeconds(100);
        Phone bob = new Phone("bob", "bob-pw");
        RegisterResponse query = register(bob, null);
        assertEquals(200, query.status());
        assertEquals(3500, query.contacts().get(0).expiresS(), "10.3 step 8: the time left, not the time asked");
        assertEquals(1, registrar.counters().queries.get());
        assertEquals(1, registrar.counters().bindingsAdded.get());
    }

    @Test
    void shouldAnswerAWrongPasswordAndAnUnknownUserAlikeAndBindNothing() {
        Phone wrong = new Phone("alice", "guess");
        Phone nobody = new Phone("mallory", "guess");
        RegisterResponse a = register(wrong, null, RequestContact.of("sip:alice@10.0.0.5"));
        RegisterResponse b = register(nobody, null, RequestContact.of("sip:alice@10.0.0.5"));
        assertEquals(401, a.status());
        assertEquals(401, b.status());
        assertEquals(mask(a), mask(b), "known and unknown users must look the same on the wire (issue 13)");
        assertFalse(DigestAuth.parseChallenge(a.challenges().get(0)).stale());
        assertEquals(List.of(), bound("alice"));
        assertEquals(2, registrar.counters().authFailures.get());
    }

    private static String mask(RegisterResponse r) {
        return (r.status() + " " + r.reason() + " " + r.challenges()).replaceAll("nonce=\"[0-9a-f]{64}\"", "nonce=N");
    }

    @Test
    void shouldAskWithStaleForAFreshNonceWhenARightAnswerUsesAnExpiredOne() {
        assertEquals(200, register(alice, "600", RequestContact.of("sip:alice@10.0.0.5")).status());
        clock.advanceSeconds(RegisterAuthenticator.NONCE_LIFETIME_S + 1);
        RegisterResponse r = registrar.handle(alice.register("600", RequestContact.of("sip:alice@10.0.0.5")));
        assertEquals(401, r.status());
        assertTrue(DigestAuth.parseChallenge(r.challenges().get(0)).stale(), "right password: stale=true");
        alice.take(r);
        assertEquals(200, registrar.handle(alice.register("600", RequestContact.of("sip:alice@10.0.0.5"))).status());
        assertEquals(0, registrar.counters().authFailures.get());
    }

    @Test
    void shouldTreatARepeatedNonceCountAsAReplayAndAcceptTheNextCount() {
        registrar.handle(alice.register("600"));
        alice.take(registrar.handle(alice.register("600")));
        RegisterRequest first = alice.register("600", RequestContact.of("sip:alice@10.0.0.5"));
        assertEquals(200, registrar.handle(first).status());
        RegisterRequest replay = new RegisterRequest(first.requestUriHost(), first.toUser(), first.toHost(),
                first.authorizations(), first.callId(), first.cseq() + 1, "600", false,
                List.of(RequestContact.of("sip:evil@203.0.113.1")), List.of(), false, first.source(), null);
        RegisterResponse r = registrar.handle(replay);
        assertEquals(401, r.status());
        assertTrue(DigestAuth.parseChallenge(r.challenges().get(0)).stale());
        assertEquals(List.of("sip:alice@10.0.0.5"), bound("alice"));
        assertEquals(200, registrar.handle(alice.register("600", RequestContact.of("sip:alice@10.0.0.5"))).status(),
                "nc 2 on the same nonce is fine");
    }

    @Test
    void shouldRefuseAForeignRequestUriDomainWith404WithoutAChallenge() {
        alice.domain = "other.example";
        RegisterResponse r = registrar.handle(alice.register(null, RequestContact.of("sip:alice@10.0.0.5")));
        assertEquals(404, r.status());
        assertEquals(List.of(), r.challenges());
        alice.domain = "192.0.2.10";
        assertEquals(401, registrar.handle(alice.register(null)).status(), "every configured domain is served");
    }

    @Test
    void shouldForbidAnAuthenticatedUserToRegisterAnAorNotItsOwnWithOne403() {
        for (String to : List.of("bob", "1003", "nobody")) {
            alice.toUser = to;
            RegisterResponse r = register(alice, null, RequestContact.of("sip:alice@10.0.0.5"));
            assertEquals(403, r.status(), to);
            assertEquals("Forbidden", r.reason(), to);
        }
        assertEquals(List.of(), bound("alice"));
        assertEquals(List.of(), bound("bob"));
    }

    @Test
    void shouldForbidAToHeaderOfAnotherDomain() {
        RegisterRequest base = alice.register(null);
        registrar.handle(base);
        alice.take(registrar.handle(alice.register(null)));
        RegisterRequest r = alice.register(null, RequestContact.of("sip:alice@10.0.0.5"));
        RegisterRequest foreignTo = new RegisterRequest(r.requestUriHost(), "alice", "other.example", r.authorizations(),
                r.callId(), r.cseq(), null, false, r.contacts(), List.of(), false, r.source(), null);
        assertEquals(403, registrar.handle(foreignTo).status());
    }

    @Test
    void shouldLetAUserRegisterUnderANumberItOwnsAndBeFoundByEachOfItsNumbers() {
        alice.toUser = "1001";
        assertEquals(200, register(alice, null, RequestContact.of("sip:1001@10.0.0.5")).status());
        LocationSnapshot s = location.snapshot();
        assertEquals(List.of("sip:1001@10.0.0.5"), s.contactsForNumber("1002", clock.getAsLong()).stream()
                .map(Binding::contactUri).toList());
        assertEquals(List.of(), s.contactsForNumber("1003", clock.getAsLong()), "bob is not registered");
        assertEquals(List.of(), s.contactsForNumber("9999", clock.getAsLong()), "nobody owns it");
        assertEquals(UserConfig.Fork.SEQUENTIAL, s.ownerOf("1001").orElseThrow().fork());
    }

    @Test
    void shouldRefuseAnIntervalBelowMinExpiresWith423AndKeepTheBindingsAsTheyWere() {
        register(alice, "600", RequestContact.of("sip:alice@10.0.0.5"));
        RegisterResponse r = register(alice, null, contact("sip:alice@10.0.0.5", "30", null),
                RequestContact.of("sip:alice@10.0.0.6"));
        assertEquals(423, r.status());
        assertEquals(60, r.minExpiresS());
        assertEquals(List.of("sip:alice@10.0.0.5"), bound("alice"));
        assertEquals(600, location.bindingsOf("alice", clock.getAsLong()).get(0).remainingSeconds(clock.getAsLong()));
    }

    @Test
    void shouldShortenAnAbsurdlyLongIntervalToMaxExpiresAndReadAMalformedOneAs3600() {
        RegisterResponse r = register(alice, "99999999999999999999", RequestContact.of("sip:alice@10.0.0.5"),
                contact("sip:alice@10.0.0.6", "soon", null), contact("sip:alice@10.0.0.7", "-5", null));
        assertEquals(200, r.status());
        assertEquals(List.of(7200L, 3600L, 3600L), r.contacts().stream()
                .filter(c -> true).sorted(java.util.Comparator.comparing(RegisterResponse.GrantedContact::uri))
                .map(RegisterResponse.GrantedContact::expiresS).toList());
        assertEquals(4_294_967_295L, Registrar.deltaSeconds("4294967296"));
        assertEquals(0, Registrar.deltaSeconds("000"));
    }

    @Test
    void shouldPreferTheContactsExpiresParameterToTheExpiresHeader() {
        RegisterResponse r = register(alice, "120", contact("sip:alice@10.0.0.5", "300", null),
                RequestContact.of("sip:alice@10.0.0.6"));
        assertEquals(List.of(300L, 120L), r.contacts().stream()
                .sorted(java.util.Comparator.comparing(RegisterResponse.GrantedContact::uri))
                .map(RegisterResponse.GrantedContact::expiresS).toList());
    }

    @Test
    void shouldRemoveOneContactWithExpiresZeroAndKeepTheOthers() {
        register(alice, null, RequestContact.of("sip:alice@10.0.0.5"), RequestContact.of("sip:alice@10.0.0.6"));
        RegisterResponse r = register(alice, null, contact("sip:alice@10.0.0.5", "0", null));
        assertEquals(200, r.status());
        assertEquals(List.of("sip:alice@10.0.0.6"), r.contacts().stream().map(RegisterResponse.GrantedContact::uri).toList());
        assertEquals(1, registrar.counters().bindingsRemoved.get());
    }

    @Test
    void shouldRemoveEveryBindingWithStarAndExpiresZero() {
        register(alice, null, RequestContact.of("sip:alice@10.0.0.5"), RequestContact.of("sip:alice@10.0.0.6"));
        RegisterResponse r = alice.send(registrar, alice::unregisterAll);
        assertEquals(200, r.status());
        assertEquals(List.of(), r.contacts());
        assertEquals(List.of(), bound("alice"));
        assertEquals(2, registrar.counters().bindingsRemoved.get());
    }

    @Test
    void shouldRefuseStarWithAnotherContactOrANonZeroExpiryWith400() {
        register(alice, null, RequestContact.of("sip:alice@10.0.0.5"));
        assertEquals(400, alice.send(registrar, () -> alice.request("0", true,
                RequestContact.of("sip:alice@10.0.0.6"))).status());
        assertEquals(400, alice.send(registrar, () -> alice.request("3600", true)).status());
        assertEquals(400, alice.send(registrar, () -> alice.request(null, true)).status(), "no Expires is not 0");
        assertEquals(List.of("sip:alice@10.0.0.5"), bound("alice"));
    }

    @Test
    void shouldFailAnOlderCSeqOfTheSameCallIdWith500AndApplyNothingOfTheRequest() {
        register(alice, null, RequestContact.of("sip:alice@10.0.0.5"));
        long applied = alice.cseq;
        alice.cseq = applied - 2; // the next request carries applied - 1: older than the binding's
        RegisterResponse r = registrar.handle(alice.register(null, RequestContact.of("sip:alice@10.0.0.6"),
                contact("sip:alice@10.0.0.5", "0", null)));
        assertEquals(500, r.status());
        assertEquals("Out Of Order CSeq", r.reason());
        assertEquals(List.of("sip:alice@10.0.0.5"), bound("alice"), "10.3 step 7: all updates or none");
        alice.cseq = applied - 1; // the same CSeq as the binding's is not higher either
        assertEquals(500, registrar.handle(alice.register(null, contact("sip:alice@10.0.0.5", "0", null))).status());
        alice.cseq = applied - 1;
        assertEquals(500, registrar.handle(alice.unregisterAll()).status());
        assertEquals(List.of("sip:alice@10.0.0.5"), bound("alice"));
    }

    @Test
    void shouldUpdateABindingFromANewCallIdWhateverItsCSeq() {
        register(alice, "600", RequestContact.of("sip:alice@10.0.0.5"));
        alice.callId = "after-reboot@10.0.0.5";
        alice.cseq = 0;
        RegisterResponse r = registrar.handle(alice.register("1200", RequestContact.of("sip:alice@10.0.0.5")));
        assertEquals(200, r.status());
        assertEquals(1200, r.contacts().get(0).expiresS());
        assertEquals("after-reboot@10.0.0.5", location.bindingsOf("alice", clock.getAsLong()).get(0).callId());
    }

    @Test
    void shouldMatchContactsByRfc3261UriComparisonNotByText() {
        register(alice, "600", RequestContact.of("sip:alice@10.0.0.5;transport=udp"));
        register(alice, "900", RequestContact.of("sip:%61lice@10.0.0.5;TRANSPORT=UDP;ob"));
        assertEquals(1, bound("alice").size(), "the same URI by 19.1.4 refreshes the binding");
        register(alice, "900", RequestContact.of("sip:alice@10.0.0.5:5060;transport=udp"));
        assertEquals(2, bound("alice").size(), "an explicit port is another URI");
    }

    @Test
    void shouldRefuseARegisterCarryingMoreContactsThanMaxContactsWith403() {
        RequestContact[] many = new RequestContact[1000];
        for (int i = 0; i < many.length; i++) {
            many[i] = RequestContact.of("sip:alice@10.0." + (i / 250) + "." + (i % 250));
        }
        RegisterResponse r = register(alice, null, many);
        assertEquals(403, r.status());
        assertEquals("Too Many Contacts", r.reason());
        assertEquals(List.of(), bound("alice"));
    }

    @Test
    void shouldRefuseGoingOverMaxContactsWith503UntilTheFirstHeldBindingLapses() {
        register(alice, "100", RequestContact.of("sip:alice@10.0.0.1"));
        register(alice, "600", RequestContact.of("sip:alice@10.0.0.2"), RequestContact.of("sip:alice@10.0.0.3"));
        clock.advanceSeconds(40);
        RegisterResponse r = register(alice, "600", RequestContact.of("sip:alice@10.0.0.4"));
        assertEquals(503, r.status());
        assertEquals(60, r.retryAfterS(), "the 10.0.0.1 binding lapses in 60 s");
        assertEquals(3, bound("alice").size());
        clock.advanceSeconds(60);
        assertEquals(200, register(alice, "600", RequestContact.of("sip:alice@10.0.0.4")).status());
        assertEquals(List.of("sip:alice@10.0.0.2", "sip:alice@10.0.0.3", "sip:alice@10.0.0.4").stream().sorted().toList(),
                bound("alice").stream().sorted().toList());
    }

    @Test
    void shouldRememberTheFlowAndPathAndEchoThePathOnlyToAUaThatSupportsIt() {
        alice.source = new Flow("tcp", "203.0.113.50", 61000);
        alice.path = List.of("<sip:edge1.example.net;lr>", "<sip:edge2.example.net;lr>");
        RegisterResponse r = register(alice, null, RequestContact.of("sip:alice@192.168.1.20:5060"));
        assertEquals(List.of(), r.path(), "no Supported: path");
        Binding b = location.bindingsOf("alice", clock.getAsLong()).get(0);
        assertEquals(new Flow("tcp", "203.0.113.50", 61000), b.flow());
        assertTrue(b.natted(), "the Contact's private address is not where the REGISTER came from");
        assertEquals(alice.path, b.path());
        assertEquals("TestPhone/1.0", b.userAgent());
        alice.supportsPath = true;
        assertEquals(alice.path, register(alice, null, RequestContact.of("sip:alice@192.168.1.20:5060")).path());
        alice.source = new Flow("udp", "192.168.1.20", 5060);
        register(alice, null, RequestContact.of("sip:alice@192.168.1.20"));
        assertFalse(location.bindingsOf("alice", clock.getAsLong()).stream()
                .filter(x -> x.contactUri().equals("sip:alice@192.168.1.20")).findFirst().orElseThrow().natted());
    }

    @Test
    void shouldListContactsByQValueThenMostRecentFirst() {
        register(alice, null, contact("sip:alice@10.0.0.1", null, "0.5"), contact("sip:alice@10.0.0.2", null, "0.9"));
        clock.advanceSeconds(1);
        register(alice, null, RequestContact.of("sip:alice@10.0.0.3"));
        assertEquals(List.of("sip:alice@10.0.0.3", "sip:alice@10.0.0.2", "sip:alice@10.0.0.1"), bound("alice"));
        RegisterResponse r = register(alice, null);
        assertEquals("<sip:alice@10.0.0.2>;expires=3599;q=0.9", r.contacts().get(1).headerValue());
    }

    @Test
    void shouldRefuseAMalformedQValueAndANonSipContactWith400AndBindNothing() {
        assertEquals(400, register(alice, null, contact("sip:alice@10.0.0.1", null, "1.5")).status());
        RegisterResponse tel = register(alice, null, RequestContact.of("tel:+4930123456"));
        assertEquals(400, tel.status());
        assertTrue(tel.reason().startsWith("Bad Contact: 'tel:+4930123456' is not a sip: or sips: URI"), tel.reason());
        assertEquals(List.of(), bound("alice"));
    }

    @Test
    void shouldNeverUseABindingPastItsExpiryAndSweepItOnTheNextTick() {
        register(alice, "60", RequestContact.of("sip:alice@10.0.0.5"));
        LocationSnapshot before = location.snapshot();
        clock.advanceMillis(59_999);
        assertEquals(1, before.contactsForNumber("1001", clock.getAsLong()).size());
        clock.advanceMillis(1);
        assertEquals(List.of(), before.contactsForNumber("1001", clock.getAsLong()), "lapsed, though not swept");
        assertEquals(1, registrar.tick());
        assertEquals(0, location.all().size());
        assertEquals(1, registrar.counters().bindingsExpired.get());
        assertEquals(0, registrar.tick(), "nothing left to do");
    }

    @Test
    void shouldRefuseAnAnswerWithAnAlgorithmThatIsNotOffered() {
        Registrar shaOnly = registrar(new RegistrarConfig(CONFIG.domains(), CONFIG.realm(), 60, 7200, 3600, null,
                List.of(DigestAlgorithm.SHA256)));
        RegisterResponse challenge = shaOnly.handle(alice.register(null));
        assertEquals(1, challenge.challenges().size());
        String md5Challenge = challenge.challenges().get(0).replace("algorithm=SHA-256", "algorithm=MD5");
        alice.algorithm = "MD5";
        alice.take(new RegisterResponse(401, "Unauthorized", List.of(), List.of(), List.of(md5Challenge), 0, 0));
        assertEquals(401, shaOnly.handle(alice.register(null, RequestContact.of("sip:alice@10.0.0.5"))).status());
        assertEquals(1, shaOnly.counters().authFailures.get());
    }

    @Test
    void shouldRememberNonceCountsOnlyForRightAnswersSoAFloodGrowsNoState() {
        RegisterAuthenticator auth = new RegisterAuthenticator("pbx.example.net",
                List.of(DigestAlgorithm.SHA256), users, new byte[32]);
        Phone mallory = new Phone("alice", "wrong");
        Registrar r = new Registrar(CONFIG, users, auth, location, null, clock);
        mallory.take(r.handle(mallory.register(null)));
        for (int i = 0; i < 500; i++) {
            assertEquals(401, r.handle(mallory.register(null, RequestContact.of("sip:x@10.0.0.1"))).status());
        }
        assertEquals(0, auth.trackedNonces());
    }
}
