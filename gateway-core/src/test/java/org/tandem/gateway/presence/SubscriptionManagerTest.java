package org.tandem.gateway.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.tandem.config.PresenceConfig;
import org.tandem.config.RegistrarConfig;
import org.tandem.config.RegistrarConfig.DigestAlgorithm;
import org.tandem.config.Secret;
import org.tandem.config.UserConfig;
import org.tandem.gateway.ops.ActiveCall;
import org.tandem.gateway.ops.CallDirection;
import org.tandem.gateway.ops.GatewayModel;
import org.tandem.gateway.ops.LineCoding;
import org.tandem.gateway.ops.LineType;
import org.tandem.gateway.ops.SpanDefinition;
import org.tandem.gateway.registrar.Binding;
import org.tandem.gateway.registrar.Flow;
import org.tandem.gateway.registrar.LocationService;
import org.tandem.gateway.registrar.RegisterAuthenticator;
import org.tandem.gateway.registrar.UserDirectory;
import org.tandem.gateway.security.SourceLockout;

/** RFC 6665 notifier rules, step by step, on a test clock with calls in a real ops model. */
class SubscriptionManagerTest {
    static final UserConfig ALICE = new UserConfig("alice", new Secret("literal", "alice-pw"), List.of("1001"),
            UserConfig.Fork.PARALLEL, 20, 10);
    static final UserConfig BOB = new UserConfig("bob", new Secret("literal", "bob-pw"), List.of("1002"),
            UserConfig.Fork.PARALLEL, 20, 10);
    static final RegistrarConfig REGISTRAR = new RegistrarConfig(List.of("pbx.example.net"), "pbx.example.net", 60,
            3600, 3600, null, List.of(DigestAlgorithm.SHA256, DigestAlgorithm.MD5));
    static final PresenceConfig CONFIG = new PresenceConfig(true, 60, 3600, 1800, 4, 2);

    final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    final UserDirectory users = new UserDirectory(List.of(ALICE, BOB), REGISTRAR.domains());
    final LocationService location = new LocationService(users);
    final GatewayModel model = new GatewayModel("gw", clock::get);
    final SubscriptionManager manager = new SubscriptionManager(CONFIG, users, new RegisterAuthenticator(REGISTRAR, users));

    SubscriptionManagerTest() {
        model.addSpan(new SpanDefinition(1, "TE/1", LineType.E1_CRC, LineCoding.HDB3, "pri_cpe", List.of(1, 2, 3)));
    }

    LineIndex index() {
        return LineIndex.of(model.snapshot(), location.snapshot(), users, clock.get());
    }

    long now() {
        return clock.get();
    }

    void register(String user) {
        location.replace(user, List.of(new Binding(user, "sip:" + user + "@198.51.100.20", -1, now() + 600_000, now(),
                "reg-" + user, 1, new Flow("udp", "198.51.100.20", 5060), List.of(), null)));
    }

    /** A SIP->PSTN call from {@code sipParty} to {@code pstnParty} on channel 1/{@code chan}. */
    ActiveCall call(int chan, String id, String sipParty, String pstnParty) {
        ActiveCall a = ActiveCall.started(id, CallDirection.SIP_TO_PSTN, sipParty, pstnParty, "sip-" + id, now())
                .withParties(sipParty, pstnParty);
        model.callStarted(1, chan, a);
        return a;
    }

    SubscriptionManager.Handled subscribe(Watcher w, String expires) {
        return w.send(manager, expires, now(), index());
    }

    // ------------------------------------------------------------------ the first SUBSCRIBE

    @Test
    void shouldChallengeThenAnswer200AndNotifyTheFullStateAtOnce() {
        Watcher w = new Watcher("bob", "bob-pw", "alice", "presence");
        SubscriptionManager.Handled first = manager.handle(w.subscribe(null), now(), index());
        assertEquals(401, first.response().status());
        assertEquals(2, first.response().challenges().size(), "one challenge per algorithm");
        assertTrue(first.notifies().isEmpty());
        assertEquals(0, manager.size(), "a challenge holds nothing");

        w.take(first.response());
        SubscriptionManager.Handled ok = manager.handle(w.subscribe(null), now(), index());
        assertEquals(200, ok.response().status());
        assertEquals(1800, ok.response().expiresS(), "default_expires_s when the SUBSCRIBE asks for none");
        assertNotNull(ok.response().localTag());
        assertEquals(1, manager.size());
        NotifyRequest n = ok.notifies().get(0);
        assertEquals(w.callId, n.callId());
        assertEquals(ok.response().localTag(), n.localTag(), "NOTIFY's From tag is the 200's To tag");
        assertEquals(w.fromTag, n.remoteTag());
        assertEquals("<sip:alice@pbx.example.net>", n.from());
        assertEquals("<sip:bob@pbx.example.net>", n.to());
        assertEquals(w.contact, n.target(), "the remote target is the SUBSCRIBE's Contact");
        assertEquals(List.of("<sip:proxy.example.net;lr>"), n.route(), "Record-Route becomes the route set");
        assertEquals("presence", n.event());
        assertEquals("active;expires=1800", n.subscriptionState());
        assertEquals(EventPackage.PRESENCE, n.eventPackage());
        assertEquals(1, n.cseq());
        assertTrue(n.body().contains("<basic>closed</basic>"), n.body());
    }

    @Test
    void shouldRefuseWrongCredentialsWith401AndHoldNothing() {
        Watcher w = new Watcher("bob", "not-bobs", "alice", "presence");
        assertEquals(401, subscribe(w, "600").response().status());
        assertEquals(0, manager.size());
        assertEquals(1, manager.counters().authFailures.get());
        Watcher nobody = new Watcher("mallory", "x", "alice", "presence");
        assertEquals(401, subscribe(nobody, "600").response().status(), "an unknown user looks like a wrong password");
        assertEquals(0, manager.size());
    }

    @Test
    void shouldReportFailedCredentialsToTheSourceLockoutSharedWithRegister() throws Exception {
        SourceLockout lockout = new SourceLockout(new RegistrarConfig.Lockout(3, 600, 600), clock::get);
        SubscriptionManager guarded = new SubscriptionManager(CONFIG, users, new RegisterAuthenticator(REGISTRAR, users),
                lockout);
        Watcher guesser = new Watcher("bob", "guess", "alice", "presence");
        java.net.InetAddress source = java.net.InetAddress.getByName(guesser.source.host());
        SubscribeResponse challenge = guarded.handle(guesser.subscribe("600"), now(), index()).response();
        assertEquals(401, challenge.status());
        assertFalse(lockout.isLockedOut(source), "a request without credentials is no failure");
        guesser.take(challenge);
        for (int i = 0; i < 3; i++) {
            assertFalse(lockout.isLockedOut(source), "after " + i + " failures");
            assertEquals(401, guarded.handle(guesser.subscribe("600"), now(), index()).response().status());
        }
        assertTrue(lockout.isLockedOut(source), "three failures within the window lock the source out");
        assertEquals(3, guarded.counters().authFailures.get());
    }

    @Test
    void shouldAnswer489WithAllowEventsBeforeAskingForCredentials() {
        Watcher w = new Watcher("bob", "bob-pw", "alice", "message-summary");
        SubscribeResponse r = manager.handle(w.subscribe("600"), now(), index()).response();
        assertEquals(489, r.status());
        assertEquals("dialog, presence", r.allowEvents());
        w.event = null;
        assertEquals(489, manager.handle(w.subscribe("600"), now(), index()).response().status(), "no Event header");
    }

    @Test
    void shouldAnswer404ForAForeignDomainAndForWhatIsNoResource() {
        Watcher foreign = new Watcher("bob", "bob-pw", "alice", "presence");
        foreign.domain = "example.org";
        assertEquals(404, manager.handle(foreign.subscribe("600"), now(), index()).response().status());
        assertEquals(404, subscribe(new Watcher("bob", "bob-pw", "nobody", "presence"), "600").response().status());
        assertEquals(404, subscribe(new Watcher("bob", "bob-pw", "1004", "presence"), "600").response().status(),
                "presence is for users; a PSTN number has dialogs only");
        assertEquals(200, subscribe(new Watcher("bob", "bob-pw", "1004", "dialog"), "600").response().status());
    }

    @Test
    void shouldAnswer406WhenAcceptLeavesOutTheBodyType() {
        Watcher w = new Watcher("bob", "bob-pw", "alice", "presence");
        w.accept = List.of("text/plain");
        assertEquals(406, subscribe(w, "600").response().status());
        w.accept = List.of("text/plain", "application/*");
        assertEquals(200, subscribe(w, "600").response().status());
    }

    @Test
    void shouldAnswer423BelowMinExpiresAndShortenAboveMax() {
        Watcher w = new Watcher("bob", "bob-pw", "alice", "presence");
        SubscribeResponse r = subscribe(w, "59").response();
        assertEquals(423, r.status());
        assertEquals(60, r.minExpiresS());
        assertEquals(0, manager.size());
        assertEquals(400, subscribe(w, "soon").response().status());
        SubscriptionManager.Handled h = subscribe(w, "99999999999");
        assertEquals(3600, h.response().expiresS());
        assertEquals("active;expires=3600", h.notifies().get(0).subscriptionState());
    }

    @Test
    void shouldFetchWithExpiresZeroAndKeepNothing() {
        SubscriptionManager.Handled h = subscribe(new Watcher("bob", "bob-pw", "alice", "presence"), "0");
        assertEquals(200, h.response().status());
        assertEquals(0, h.response().expiresS());
        assertEquals("terminated;reason=timeout", h.notifies().get(0).subscriptionState());
        assertEquals(0, manager.size());
    }

    // ------------------------------------------------------------------ limits

    @Test
    void shouldRefuseBeyondThePerUserLimitWith403AndBeyondTheTotalWith503() {
        assertEquals(200, subscribe(new Watcher("bob", "bob-pw", "alice", "presence"), "600").response().status());
        assertEquals(200, subscribe(new Watcher("bob", "bob-pw", "alice", "dialog"), "600").response().status());
        SubscribeResponse third = subscribe(new Watcher("bob", "bob-pw", "1004", "dialog"), "600").response();
        assertEquals(403, third.status());
        assertEquals(2, manager.sizeOf("bob"));

        assertEquals(200, subscribe(new Watcher("alice", "alice-pw", "bob", "presence"), "300").response().status());
        assertEquals(200, subscribe(new Watcher("alice", "alice-pw", "bob", "dialog"), "600").response().status());
        assertEquals(4, manager.size());
        // max_subscriptions (4) reached: a new one waits until the first lapses (300 s)
        Watcher more = new Watcher("alice", "alice-pw", "1004", "dialog");
        SubscribeResponse r = subscribe(more, "600").response();
        assertEquals(503, r.status());
        assertEquals(300, r.retryAfterS());
        assertEquals(4, manager.size());
    }

    // ------------------------------------------------------------------ NOTIFYs

    @Test
    void shouldNotifyEachChangeOnceWithTheVersionOneHigherAndOneNotifyInFlight() {
        Watcher w = new Watcher("bob", "bob-pw", "1004", "dialog");
        w.eventId = "7";
        NotifyRequest first = subscribe(w, "600").notifies().get(0);
        assertEquals("dialog;id=7", first.event());
        assertTrue(first.body().contains("version=\"0\""), first.body());
        assertFalse(first.body().contains("<dialog "), first.body());

        ActiveCall c = call(1, "c1", "1001", "1004");
        assertEquals(List.of(), manager.tick(now(), index()), "the first NOTIFY has no response yet");
        manager.notifyAnswered(first.subscriptionId(), first.cseq(), 200);
        clock.addAndGet(1_000); // RFC 4235 3.10: at most one NOTIFY a second
        NotifyRequest early = single(manager.tick(now(), index()));
        assertEquals(2, early.cseq());
        assertTrue(early.body().contains("version=\"1\""), early.body());
        assertTrue(early.body().contains("direction=\"recipient\""), "1004 is the called party: " + early.body());
        assertTrue(early.body().contains("<state>early</state>"), early.body());
        manager.notifyAnswered(early.subscriptionId(), early.cseq(), 200);
        assertEquals(List.of(), manager.tick(now(), index()), "no change, no NOTIFY");

        model.callUpdated(1, 1, c.withAnswer(now()));
        assertEquals(List.of(), manager.tick(now(), index()), "the answer came within a second of the last NOTIFY");
        clock.addAndGet(999);
        assertEquals(List.of(), manager.tick(now(), index()));
        clock.addAndGet(1);
        NotifyRequest confirmed = single(manager.tick(now(), index()));
        assertTrue(confirmed.body().contains("version=\"2\"") && confirmed.body().contains("<state>confirmed</state>"),
                confirmed.body());
        manager.notifyAnswered(confirmed.subscriptionId(), confirmed.cseq(), 200);

        model.callEnded(1, 1);
        clock.addAndGet(1_000);
        NotifyRequest ended = single(manager.tick(now(), index()));
        assertTrue(ended.body().contains("version=\"3\"") && ended.body().contains("<state>terminated</state>"),
                ended.body());
        manager.notifyAnswered(ended.subscriptionId(), ended.cseq(), 200);
        call(2, "c2", "1002", "1004");
        clock.addAndGet(1_000);
        NotifyRequest next = single(manager.tick(now(), index()));
        assertFalse(next.body().contains("\"c1\""), "an ended call is shown terminated once: " + next.body());
    }

    @Test
    void shouldShowAUserBusyDuringACallFromItsNumberAndClosedWhenItsBindingLapses() {
        register("alice");
        Watcher w = new Watcher("bob", "bob-pw", "alice", "presence");
        NotifyRequest open = subscribe(w, "3600").notifies().get(0);
        assertTrue(open.body().contains("<basic>open</basic>") && open.body().contains("Available"), open.body());
        manager.notifyAnswered(open.subscriptionId(), open.cseq(), 200);

        call(1, "c1", "1001", "0301234567");
        assertEquals(List.of(), manager.tick(now(), index()), "RFC 3856 6.4: at most one NOTIFY every 5 s");
        clock.addAndGet(5_000);
        NotifyRequest busy = single(manager.tick(now(), index()));
        assertTrue(busy.body().contains("<rpid:on-the-phone/>"), busy.body());
        manager.notifyAnswered(busy.subscriptionId(), busy.cseq(), 200);
        model.callEnded(1, 1);
        clock.addAndGet(5_000);
        NotifyRequest idle = single(manager.tick(now(), index()));
        assertTrue(idle.body().contains("Available"), idle.body());
        manager.notifyAnswered(idle.subscriptionId(), idle.cseq(), 200);

        clock.addAndGet(601_000); // the 600 s binding lapses; the subscription runs on
        NotifyRequest closed = single(manager.tick(now(), index()));
        assertTrue(closed.body().contains("<basic>closed</basic>"), closed.body());
        assertEquals("active;expires=2989", closed.subscriptionState());
    }

    @Test
    void shouldFoldChangesWithinTheRateLimitIntoOneNotifyOfTheLatestState() {
        Watcher w = new Watcher("bob", "bob-pw", "1004", "dialog");
        NotifyRequest first = subscribe(w, "600").notifies().get(0);
        manager.notifyAnswered(first.subscriptionId(), first.cseq(), 200);
        ActiveCall c = call(1, "c1", "1001", "1004");
        assertEquals(List.of(), manager.tick(now(), index()));
        model.callUpdated(1, 1, c.withAnswer(now())); // early and confirmed within the same second
        clock.addAndGet(1_000);
        NotifyRequest n = single(manager.tick(now(), index()));
        assertTrue(n.body().contains("<state>confirmed</state>") && !n.body().contains("early"), n.body());
        assertTrue(n.body().contains("version=\"1\""), "one document for both changes: " + n.body());
    }

    @Test
    void shouldRefreshAndUnsubscribeInTheDialog() {
        Watcher w = new Watcher("bob", "bob-pw", "alice", "presence");
        NotifyRequest first = subscribe(w, "600").notifies().get(0);
        manager.notifyAnswered(first.subscriptionId(), first.cseq(), 200);
        clock.addAndGet(500_000);
        SubscriptionManager.Handled refresh = subscribe(w, "900");
        assertEquals(200, refresh.response().status());
        assertEquals(w.toTag, refresh.response().localTag(), "the refresh stays in the dialog");
        assertEquals("active;expires=900", refresh.notifies().get(0).subscriptionState());
        manager.notifyAnswered(first.subscriptionId(), refresh.notifies().get(0).cseq(), 200);
        clock.addAndGet(800_000);
        assertEquals(List.of(), manager.tick(now(), index()), "refreshed: not expired at 1300 s of 600+900");
        assertEquals(1, manager.size());

        Watcher other = new Watcher("alice", "alice-pw", "alice", "presence");
        other.callId = w.callId;
        other.fromTag = w.fromTag;
        other.toTag = w.toTag;
        assertEquals(403, subscribe(other, "600").response().status(), "another user may not refresh it");

        SubscriptionManager.Handled end = subscribe(w, "0");
        assertEquals(200, end.response().status());
        assertEquals("terminated;reason=timeout", end.notifies().get(0).subscriptionState());
        assertEquals(0, manager.size());
        assertEquals(481, subscribe(w, "600").response().status(), "gone: a refresh gets 481");
    }

    @Test
    void shouldAnswer481ForARefreshOfAnUnknownSubscriptionWithoutAskingForCredentials() {
        Watcher w = new Watcher("bob", "bob-pw", "alice", "presence");
        w.toTag = "never-issued";
        assertEquals(481, manager.handle(w.subscribe("600"), now(), index()).response().status());
    }

    @Test
    void shouldEndASubscriptionOnTimeWithTheTimeoutReason() {
        Watcher w = new Watcher("bob", "bob-pw", "alice", "dialog");
        NotifyRequest first = subscribe(w, "60").notifies().get(0);
        manager.notifyAnswered(first.subscriptionId(), first.cseq(), 200);
        clock.addAndGet(59_000);
        assertEquals(List.of(), manager.tick(now(), index()));
        clock.addAndGet(1_000);
        NotifyRequest last = single(manager.tick(now(), index()));
        assertEquals("terminated;reason=timeout", last.subscriptionState());
        assertEquals(0, manager.size());
        assertEquals(1, manager.counters().expired.get());
    }

    @Test
    void shouldEndASubscriptionWhoseNotifyGets481OrTimesOutButKeepItAfter503() {
        NotifyRequest a = subscribe(new Watcher("bob", "bob-pw", "alice", "presence"), "600").notifies().get(0);
        NotifyRequest b = subscribe(new Watcher("bob", "bob-pw", "alice", "dialog"), "600").notifies().get(0);
        NotifyRequest c = subscribe(new Watcher("alice", "alice-pw", "bob", "dialog"), "600").notifies().get(0);
        manager.notifyAnswered(a.subscriptionId(), a.cseq(), 481);
        manager.notifyAnswered(b.subscriptionId(), b.cseq(), 408);
        manager.notifyAnswered(c.subscriptionId(), c.cseq(), 503);
        assertEquals(1, manager.size());
        assertEquals(0, manager.sizeOf("bob"));
        assertEquals(2, manager.counters().notifyFailures.get());
    }

    private static NotifyRequest single(List<NotifyRequest> notifies) {
        assertEquals(1, notifies.size(), notifies::toString);
        return notifies.get(0);
    }
}
