package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import java.util.List;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.ctl.CtlCommands;
import org.tandem.gateway.presence.PresenceService;
import org.tandem.gateway.sip.testing.SippRunner;

/**
 * Presence of lines in the running gateway, with real peers on 127.0.0.1: sipp registers phones
 * and subscribes as watchers (MD5 digest with qop=auth; the gateway offers MD5 first because
 * sipp answers the first challenge), and a sipp caller places a SIP->PSTN call from a registered
 * user's number to the simulated exchange's milliwatt line while watchers wait for the NOTIFYs
 * that call must cause. Each test subscribes as a subscriber of its own, so the per-user limit of
 * one test does not touch another.
 */
class PresenceEndToEndTest extends AbstractEndToEndTest {
    private static final Path STATE = tempDir();
    private static final String[] CONFIG = {
        "registrar.algorithms=md5,sha-256",
        "registrar.bindings_file=" + STATE.resolve("bindings.txt"),
        "presence.min_expires_s=2",
        "presence.max_subscriptions_per_user=3",
        "user.alice.password=alice-pw", "user.alice.numbers=1001",
        "user.bob.password=bob-pw", "user.bob.numbers=1002",
        "user.carol.password=carol-pw", "user.dave.password=dave-pw", "user.erin.password=erin-pw",
        "user.flood.password=flood-pw", "user.gus.password=gus-pw", "user.hal.password=hal-pw",
        "user.ivy.password=ivy-pw", "user.ivy.numbers=3001",
        "route.users.direction=pstn-to-sip", "route.users.priority=10", "route.users.match_called=300[0-9]",
        "route.users.from_group=pstn", "route.users.target=users",
    };

    PresenceEndToEndTest() {
        super(Gateway.Options.defaults(), CONFIG);
    }

    @AfterAll
    void removeState() {
        Scenarios.deleteTree(STATE);
    }

    @Test
    void shouldNotifyPresenceAndDialogsOfARegisteredUserAndAPstnNumberThroughACall() throws Exception {
        registerAlice();
        PresenceService presence = gw.gateway.presence();
        int before = presence.subscriptions();
        // watcher 1: carol watches alice's presence: open, on the phone during the call, open again
        SippRunner.Sipp pres = watcher("carol", "alice", "presence", "application/pidf+xml", "600",
                new WatcherScenario().okHeader("Expires:", "^ *(600|599)$")
                        .notifyNow("basic>open</basic>[^$]*Available", "active;expires=(600|599)")
                        .awaitNotify("rpid:on-the-phone").awaitNotify("Available").unsubscribe(), "w-pres")
                .start();
        // watcher 2: carol watches the dialogs of the PSTN number 1004 (busy-lamp field)
        SippRunner.Sipp pstn = watcher("carol", "1004", "dialog", "application/dialog-info+xml", "600",
                new WatcherScenario().notifyNow("version=\"0\" state=\"full\" entity=\"sip:1004@127\\.0\\.0\\.1\"",
                        "active").awaitNotify("direction=\"recipient\">[^$]*state>confirmed")
                        .awaitNotify("state>terminated").unsubscribe(), "w-pstn").start();
        // watcher 3: dave watches alice's dialogs by her number
        SippRunner.Sipp dlg = watcher("dave", "1001", "dialog", "application/dialog-info+xml", "600",
                new WatcherScenario().notifyNow("state=\"full\"", "active")
                        .awaitNotify("direction=\"initiator\">[^$]*state>confirmed").awaitNotify("state>terminated")
                        .unsubscribe(), "w-dlg").start();
        // the guard of the waits: hal awaits a document no call makes; the NOTIFYs that do not
        // match are answered and the wait goes on, until sipp's timeout ends it as a failure
        SippRunner.Sipp guard = watcher("hal", "1004", "dialog", "application/dialog-info+xml", "600",
                new WatcherScenario().notifyNow("state=\"full\"", "active").awaitNotify("state>nothing-says-this"),
                "w-guard").timeoutSeconds(10).start();
        awaitSubscriptions(before + 4);

        // 7 s: longer than presence's rate limit (RFC 3856 6.4: one NOTIFY in 5 s), so the busy
        // NOTIFY is due while the call is still up
        SippRunner.Result call = gw.uac(Scenarios.file("call-from.xml"), "1004", rtp.port()).option("-key", "caller", "1001")
                .option("-d", "7000").run();
        assertTrue(call.succeeded(), call::toString);

        SippRunner.Result r = pres.await();
        assertTrue(r.succeeded(), () -> "presence watcher: " + r);
        SippRunner.Result p = pstn.await();
        assertTrue(p.succeeded(), () -> "PSTN number watcher: " + p);
        SippRunner.Result d = dlg.await();
        assertTrue(d.succeeded(), () -> "dialog watcher: " + d);
        SippRunner.Result g = guard.await();
        assertTrue(!g.succeeded() && Pattern.compile("NOTIFY <-+ +[2-9]").matcher(g.output()).find(),
                () -> "the guard got NOTIFYs that did not match and kept waiting: " + g);
        awaitSubscriptions(before + 1); // the guard's subscription stays: sipp gave up without ending it
    }

    @Test
    void shouldShowAPstnToSipCallInTheDialogsOfTheCalledUserAndOfTheCallingNumber() throws Exception {
        int before = presence().subscriptions();
        // the shipped pstn-to-sip route sends 1002 (bob's number) to trunk 'local', where sipp
        // answers: bob's dialogs show the call (routing to bob's own phone is route-users' work)
        SippRunner.Sipp called = watcher("dave", "bob", "dialog", "application/dialog-info+xml", "600",
                new WatcherScenario().notifyNow("state=\"full\"", "active")
                        .awaitNotify("direction=\"recipient\">[^$]*state>confirmed").awaitNotify("state>terminated")
                        .unsubscribe(), "w-called").start();
        SippRunner.Sipp calling = watcher("dave", "5550100", "dialog", "application/dialog-info+xml", "600",
                new WatcherScenario().notifyNow("state=\"full\"", "active")
                        .awaitNotify("direction=\"initiator\">[^$]*state>confirmed").awaitNotify("state>terminated")
                        .unsubscribe(), "w-calling").start();
        awaitSubscriptions(before + 2);
        var scenario = Scenarios.fill("uas.xml", Map.of("CALLED", "1002", "CALLING", "5550100",
                "CALLED_USER", "1002"));
        SippRunner.Sipp uas = gw.trunkUas(scenario, rtp.port()).option("-d", "2000").start();
        Thread.sleep(300); // sipp binds its port
        assertTrue(gw.gateway.exchange(1).originate("5550100", "1002", org.tandem.pri.ChannelId.ANY) != null);
        SippRunner.Result u = uas.await();
        assertTrue(u.succeeded(), u::toString);
        SippRunner.Result a = called.await();
        assertTrue(a.succeeded(), () -> "watcher of bob (number 1002): " + a);
        SippRunner.Result b = calling.await();
        assertTrue(b.succeeded(), () -> "watcher of the calling number: " + b);
        awaitSubscriptions(before);
    }

    @Test
    void shouldShowAPstnCallRoutedToARegisteredPhoneRingingThenAnsweredInItsUsersDialogsAndPresence()
            throws Exception {
        int phonePort = SippRunner.freePort();
        Map<String, String> reg = new LinkedHashMap<>();
        reg.put("FINAL", "200");
        reg.put("CONTACT", "      Contact: <sip:ivy@127.0.0.1:" + phonePort + ">");
        reg.put("CHECKS", "");
        reg.put("REFS", "");
        SippRunner.Result registered = SippRunner.scenario(Scenarios.fill("register.xml", reg))
                .to(SippRunner.LOOPBACK, gw.sipPort).localPort(phonePort).option("-key", "dom", "127.0.0.1")
                .option("-key", "aor", "ivy").option("-cid_str", "reg-ivy").option("-key", "cseq1", "1")
                .option("-key", "cseq2", "2").option("-key", "expires", "600").option("-au", "ivy")
                .option("-ap", "ivy-pw").run();
        assertTrue(registered.succeeded(), registered::toString);
        int before = presence().subscriptions();
        SippRunner.Sipp dialogs = watcher("gus", "ivy", "dialog", "application/dialog-info+xml", "600",
                new WatcherScenario().notifyNow("state=\"full\"", "active")
                        .awaitNotify("direction=\"recipient\">[^$]*state>early")
                        .awaitNotify("direction=\"recipient\">[^$]*state>confirmed")
                        .awaitNotify("state>terminated").unsubscribe(), "w-ivy-dlg").start();
        SippRunner.Sipp pres = watcher("gus", "3001", "presence", "application/pidf+xml", "600",
                new WatcherScenario().notifyNow("basic>open</basic>[^$]*Available", "active")
                        .awaitNotify("rpid:on-the-phone").awaitNotify("Available").unsubscribe(), "w-ivy-pres")
                .start();
        awaitSubscriptions(before + 2);
        // ivy's phone rings 2 s (early), then answers; the exchange's call lasts 7 s, longer than
        // presence's 5 s between NOTIFYs, so "on the phone" is due while it is up
        SippRunner.Sipp phone = SippRunner.scenario(Scenarios.fill("phone-answer.xml", Map.of("RURI",
                "sip:ivy@127\\.0\\.0\\.1:" + phonePort, "TO_USER", "3001", "RING_MS", "2000")))
                .localPort(phonePort).option("-key", "rtpport", Integer.toString(rtp.port())).option("-d", "7000")
                .start();
        Thread.sleep(300); // sipp binds its port
        assertTrue(gw.gateway.exchange(1).originate("5550100", "3001", org.tandem.pri.ChannelId.ANY) != null);
        SippRunner.Result answered = phone.await();
        assertTrue(answered.succeeded(), answered::toString);
        SippRunner.Result d = dialogs.await();
        assertTrue(d.succeeded(), () -> "ivy's dialogs: early, confirmed, terminated: " + d);
        SippRunner.Result p = pres.await();
        assertTrue(p.succeeded(), () -> "ivy's presence: on the phone, then available: " + p);
        awaitSubscriptions(before);
    }

    @Test
    void shouldNotifyClosedForAUserWhoIsNotRegistered() {
        // the 200's Allow ends with SUBSCRIBE: not NOTIFY, which the gateway sends but does not take
        SippRunner.Result r = watcher("erin", "bob", "presence", "application/pidf+xml", "600",
                new WatcherScenario().okHeader("Allow:", "REGISTER, *SUBSCRIBE *$").notifyNow("basic>closed</basic>[^$]*Offline", "active").unsubscribe(), "w-bob")
                .run();
        assertTrue(r.succeeded(), r::toString);
    }

    @Test
    void shouldSubscribeAndNotifyOverTcp() {
        SippRunner.Result r = watcher("erin", "1002", "presence", "application/pidf+xml", "600",
                new WatcherScenario().notifyNow("basic>closed", "active").unsubscribe(), "w-tcp").option("-t", "t1")
                .run();
        assertTrue(r.succeeded(), r::toString);
    }

    /** A watcher behind NAT: its Contact names an address nothing listens on; NOTIFYs go to its flow. */
    @Test
    void shouldSendNotifiesToTheFlowTheSubscribeCameFromNotToTheContact() {
        SippRunner.Result r = watcher("erin", "bob", "dialog", "application/dialog-info+xml", "600",
                new WatcherScenario().contact("127.0.0.61:5999").notifyNow("state=\"full\"", "active").unsubscribe(),
                "w-nat").run();
        assertTrue(r.succeeded(), r::toString);
    }

    @Test
    void shouldRefreshAndThenLetASubscriptionExpireOnTime() {
        SippRunner.Result r = watcher("gus", "alice", "presence", "", "600",
                new WatcherScenario().notifyNow("basic>", "active;expires=(600|599)")
                        .resubscribe("3", "^ *3$", "active;expires=[23]$").awaitExpiry(), "w-exp")
                .run();
        assertTrue(r.succeeded(), r::toString);
        assertEquals(0, presence().counters().notifyFailures.get(), "nothing failed on the way");
    }

    @Test
    void shouldAnswer423WithMinExpiresForTooBriefASubscription() {
        SippRunner.Result r = watcher("hal", "alice", "presence", "application/pidf+xml", "1",
                new WatcherScenario().status(423).okHeader("Min-Expires:", "^ *2$"), "w-423").run();

        assertTrue(r.succeeded(), r::toString);
    }

    @Test
    void shouldAnswer489WithAllowEventsForAnUnknownPackage() {
        SippRunner.Result r = once("message-summary", "alice", "489", "", "Allow-Events:");
        assertTrue(r.succeeded(), r::toString);
    }

    @Test
    void shouldAnswer481ForARefreshOfASubscriptionNobodyHolds() {
        SippRunner.Result r = once("presence", "alice", "481", ";tag=nobody-has-this", "To:");
        assertTrue(r.succeeded(), r::toString);
    }

    @Test
    void shouldChallengeAgainWrongCredentialsAndCreateNothing() {
        long failures = presence().counters().authFailures.get();
        int before = presence().subscriptions();
        SippRunner.Result r = SippRunner.scenario(new WatcherScenario().status(401).okHeader("WWW-Authenticate:", "Digest")
                .write()).to(SippRunner.LOOPBACK, gw.sipPort).option("-key", "dom", "127.0.0.1")
                .option("-key", "res", "alice").option("-key", "sub", "erin").option("-key", "event", "presence")
                .option("-key", "accept", "application/pidf+xml").option("-key", "expires", "600")
                .option("-au", "erin").option("-ap", "not-erins-password").run();
        assertTrue(r.succeeded(), r::toString);
        assertEquals(failures + 1, presence().counters().authFailures.get());
        assertEquals(before, presence().subscriptions(), "a refused SUBSCRIBE holds nothing");
    }

    @Test
    void shouldBoundAFloodOfSubscribes() {
        int before = presence().subscriptions();
        // unauthenticated: 300 SUBSCRIBEs, each answered 401 from a stateless nonce, nothing held
        SippRunner.Result challenged = SippRunner.scenario(once("401", "", "WWW-Authenticate:"))
                .to(SippRunner.LOOPBACK, gw.sipPort).option("-key", "dom", "127.0.0.1").option("-key", "res", "alice")
                .option("-key", "sub", "flood").option("-key", "event", "presence").option("-r", "200")
                .calls(300).run();
        assertTrue(challenged.succeeded(), challenged::toString);
        assertEquals(300, challenged.successfulCalls(), challenged::toString);
        assertEquals(before, presence().subscriptions());
        // authenticated: the user's limit (3) holds; the 4th and 5th get 403
        SippRunner.Result kept = watcher("flood", "alice", "presence", "application/pidf+xml", "600",
                new WatcherScenario().notifyNow("basic>", "active"), "w-flood").calls(3).run();
        assertTrue(kept.succeeded(), kept::toString);
        awaitSubscriptions(before + 3);
        SippRunner.Result refused = watcher("flood", "alice", "presence", "application/pidf+xml", "600",
                new WatcherScenario().status(403), "w-flood-more").calls(2).run();
        assertTrue(refused.succeeded(), refused::toString);
        assertEquals(2, refused.successfulCalls(), refused::toString);
        assertEquals(before + 3, presence().subscriptions());

        CtlCommands ctl = new CtlCommands(gw.gateway.model(), gw.gateway.control(), gw.gateway.registrar(), presence());
        String table = ctl.execute(List.of("show", "subscriptions"), false).body();
        assertEquals(3, table.lines().filter(l -> l.startsWith("flood ") && l.contains("presence")
                && l.contains("sip:alice@127.0.0.1")).count(), table);
        String json = ctl.execute(List.of("show", "subscriptions"), true).body();
        assertTrue(json.contains("\"subscriber\":\"flood\"") && json.contains("\"event\":\"presence\""), json);
        String stats = ctl.execute(List.of("show", "stats"), false).body();
        assertTrue(stats.contains("subscriptions") && stats.contains("subscribeChallenged"), stats);
    }

    @Test
    void shouldAnswer503WithRetryAfterBeyondMaxSubscriptions() throws Exception {
        Path state = tempDir();
        String[] small = java.util.Arrays.copyOf(CONFIG, CONFIG.length + 2);
        small[CONFIG.length] = "presence.max_subscriptions=1";
        small[CONFIG.length + 1] = "presence.max_subscriptions_per_user=1";
        small[1] = "registrar.bindings_file=" + state.resolve("bindings.txt");
        try (E2eGateway g = E2eGateway.start(Gateway.Options.defaults(), small)) {
            SippRunner.Result first = watcher(g, "carol", "alice", "presence", "application/pidf+xml", "600",
                    new WatcherScenario().notifyNow("basic>", "active"), "w-max1").run();
            assertTrue(first.succeeded(), first::toString);
            SippRunner.Result full = watcher(g, "dave", "alice", "presence", "application/pidf+xml", "600",
                    new WatcherScenario().status(503).okHeader("Retry-After:", "^ *(600|599)"), "w-max2").run();
            assertTrue(full.succeeded(), () -> "Retry-After is when the held subscription lapses: " + full);
            assertEquals(1, g.gateway.presence().subscriptions());
        } finally {
            Scenarios.deleteTree(state);
        }
    }

    @Test
    void shouldAnswer501WhenPresenceIsDisabled() throws Exception {
        Path state = tempDir();
        String[] off = java.util.Arrays.copyOf(CONFIG, CONFIG.length + 1);
        off[CONFIG.length] = "presence.enabled=no";
        off[1] = "registrar.bindings_file=" + state.resolve("bindings.txt");
        try (E2eGateway g = E2eGateway.start(Gateway.Options.defaults(), off)) {
            assertEquals(null, g.gateway.presence());
            SippRunner.Result r = SippRunner.scenario(once("501", "", "Allow:")).to(SippRunner.LOOPBACK, g.sipPort)
                    .option("-key", "dom", "127.0.0.1").option("-key", "res", "alice").option("-key", "sub", "erin")
                    .option("-key", "event", "presence").run();
            assertTrue(r.succeeded(), r::toString);
        } finally {
            Scenarios.deleteTree(state);
        }
    }

    // ------------------------------------------------------------------ helpers

    private PresenceService presence() {
        return gw.gateway.presence();
    }

    private SippRunner.Sipp watcher(String subscriber, String resource, String event, String accept, String expires,
            WatcherScenario steps, String callId) {
        return watcher(gw, subscriber, resource, event, accept, expires, steps, callId);
    }

    private static SippRunner.Sipp watcher(E2eGateway g, String subscriber, String resource, String event,
            String accept, String expires, WatcherScenario steps, String callId) {
        return SippRunner.scenario(steps.write()).to(SippRunner.LOOPBACK, g.sipPort).option("-key", "dom", "127.0.0.1")
                .option("-key", "res", resource).option("-key", "sub", subscriber).option("-key", "event", event)
                .option("-key", "accept", accept.isEmpty() ? "application/pidf+xml" : accept)
                .option("-key", "expires", expires).option("-au", subscriber).option("-ap", subscriber + "-pw")
                .option("-cid_str", callId + "-%u").timeoutSeconds(30);
    }

    private SippRunner.Result once(String event, String resource, String status, String toTag, String header) {
        return SippRunner.scenario(once(status, toTag, header)).to(SippRunner.LOOPBACK, gw.sipPort)
                .option("-key", "dom", "127.0.0.1").option("-key", "res", resource).option("-key", "sub", "erin")
                .option("-key", "event", event).run();
    }

    private static Path once(String status, String toTag, String header) {
        return Scenarios.fill("subscribe-once.xml", Map.of("STATUS", status, "TOTAG", toTag, "HEADER", header));
    }

    private void registerAlice() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("FINAL", "200");
        values.put("CONTACT", "      Contact: <sip:alice@127.0.0.1:5091>");
        values.put("CHECKS", "");
        values.put("REFS", "");
        SippRunner.Result r = SippRunner.scenario(Scenarios.fill("register.xml", values)).to(SippRunner.LOOPBACK,
                gw.sipPort).option("-key", "dom", "127.0.0.1").option("-key", "aor", "alice")
                .option("-cid_str", "reg-alice").option("-key", "cseq1", "1").option("-key", "cseq2", "2")
                .option("-key", "expires", "600").option("-au", "alice").option("-ap", "alice-pw").run();
        assertTrue(r.succeeded(), r::toString);
    }

    /** Waits (bounded) until presence holds {@code n} subscriptions, and checks it does. */
    private void awaitSubscriptions(int n) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (presence().subscriptions() != n && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertEquals(n, presence().subscriptions());
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("tandem-presence-e2e");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
