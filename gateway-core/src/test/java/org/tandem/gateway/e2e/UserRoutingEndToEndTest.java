package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.registrar.Binding;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.pri.ChannelId;
import org.tandem.pri.PriEvent;

/**
 * PSTN -> SIP calls routed to registered users ({@code target = users}: the owner of the called
 * number), with real peers on 127.0.0.1: each phone is sipp, first registering with the gateway
 * (digest, from the port it will listen on, so that port is the binding's flow), then as a UAS on
 * that same port receiving the INVITE the simulated exchange's call becomes. The exchange sees
 * the outcome as CONNECT or as a DISCONNECT with the cause checked here; the CDR names the user.
 * Each test has users of its own, so the tests do not depend on each other's bindings.
 */
class UserRoutingEndToEndTest extends AbstractEndToEndTest {
    private static final Path STATE = tempDir();
    private static final String[] CONFIG = {
        "registrar.algorithms=md5,sha-256",
        "registrar.bindings_file=" + STATE.resolve("var/lib/bindings.txt"),
        "user.alice.password=alice-pw", "user.alice.numbers=2001",
        "user.bob.password=bob-pw", "user.bob.numbers=2002", "user.bob.fork=sequential", "user.bob.ring_time_s=5",
        "user.carol.password=carol-pw", "user.carol.numbers=2003",
        "user.dave.password=dave-pw", "user.dave.numbers=2004", "user.dave.ring_time_s=5",
        "user.erin.password=erin-pw", "user.erin.numbers=2005",
        "user.frank.password=frank-pw", "user.frank.numbers=2006",
        "user.gina.password=gina-pw", "user.gina.numbers=2007",
        "user.ivy.password=ivy-pw", "user.ivy.numbers=2008",
        "route.users.direction=pstn-to-sip", "route.users.priority=10", "route.users.match_called=200[0-9]",
        "route.users.from_group=pstn", "route.users.target=users",
    };

    private final LinkedBlockingQueue<PriEvent> exchangeEvents = new LinkedBlockingQueue<>();
    /** Every exchange event of the current test, kept (awaitExchange consumes the queue). */
    private final List<PriEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

    UserRoutingEndToEndTest() {
        super(Gateway.Options.defaults(), CONFIG);
    }

    @BeforeAll
    void observeTheExchange() {
        gw.gateway.exchange(1).addObserver((span, event) -> {
            exchangeEvents.add(event);
            seen.add(event);
        });
    }

    @BeforeEach
    void clearExchangeEvents() {
        exchangeEvents.clear();
        seen.clear();
    }

    @AfterAll
    void removeState() {
        Scenarios.deleteTree(STATE);
    }

    @Test
    void shouldRingBothContactsInParallelAndCancelTheOtherWhenOneAnswers() throws Exception {
        // Phone 1 is "behind NAT": its Contact names an address the gateway cannot reach, so the
        // INVITE must go to the flow (the REGISTER's source port) with the Contact as Request-URI.
        int natted = SippRunner.freePort();
        int direct = SippRunner.freePort();
        register("alice", "alice-pw", natted, "<sip:alice@127.0.0.50:5099>", "reg-alice-1");
        register("alice", "alice-pw", direct, "<sip:alice@127.0.0.1:" + direct + ">", "reg-alice-2");
        assertEquals(2, bindings("alice").size());

        SippRunner.Sipp answers = phone("phone-answer.xml", natted, Map.of("RURI", "sip:alice@127\\.0\\.0\\.50:5099",
                "TO_USER", "2001", "RING_MS", "1000")).option("-d", "2000").start();
        SippRunner.Sipp cancelled = phone("phone-cancelled.xml", direct, Map.of("RURI",
                "sip:alice@127\\.0\\.0\\.1:" + direct, "REASON",
                "SIP;cause=200;text=&quot;Call completed elsewhere&quot;")).start();
        Thread.sleep(300); // sipp binds its ports
        assertNotNull(gw.gateway.exchange(1).originate("5550100", "2001", ChannelId.ANY));

        SippRunner.Result other = cancelled.await();
        assertTrue(other.succeeded(), "the losing contact got CANCEL with the RFC 3326 Reason: " + other);
        SippRunner.Result winner = answers.await();
        assertTrue(winner.succeeded(), winner::toString);
        assertNotNull(awaitExchange(PriEvent.Answered.class, 2_000), "the exchange saw CONNECT");
        assertEquals(1, seen.stream().filter(PriEvent.Alerting.class::isInstance).count(),
                "both contacts sent 180; the caller got one ALERTING");
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("2001"), 10_000);
        assertNotNull(cdr);
        assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
        assertEquals("alice", cdr[E2eGateway.USER]);
        assertEquals("127.0.0.1:" + natted, cdr[14], "sip_peer: the winning contact's flow");
        assertEquals(1, rtp.streams().size(), "the span's audio went to the phone that answered");
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldRingContactsOneAfterAnotherByQAndMoveOnWhenTheRingTimeRunsOut() throws Exception {
        int first = SippRunner.freePort();
        int second = SippRunner.freePort();
        register("bob", "bob-pw", second, "<sip:bob@127.0.0.1:" + second + ">;q=0.5", "reg-bob-2");
        register("bob", "bob-pw", first, "<sip:bob@127.0.0.1:" + first + ">;q=0.9", "reg-bob-1");
        assertEquals(List.of("sip:bob@127.0.0.1:" + first, "sip:bob@127.0.0.1:" + second),
                bindings("bob").stream().map(Binding::contactUri).toList(), "highest q first");

        Path trace1 = Files.createTempFile("tandem-phone1-", ".log");
        Path trace2 = Files.createTempFile("tandem-phone2-", ".log");
        try {
            SippRunner.Sipp rangOut = phone("phone-cancelled.xml", first, Map.of("RURI", "sip:bob@127\\.0\\.0\\.1:"
                    + first, "REASON", "Q\\.850;cause=19")).option("-trace_msg", "-message_file", trace1.toString())
                    .start();
            SippRunner.Sipp answers = phone("phone-answer.xml", second, Map.of("RURI", "sip:bob@127\\.0\\.0\\.1:"
                    + second, "TO_USER", "2002", "RING_MS", "200")).option("-d", "1000")
                    .option("-trace_msg", "-message_file", trace2.toString()).start();
            Thread.sleep(300);
            assertNotNull(gw.gateway.exchange(1).originate("5550100", "2002", ChannelId.ANY));
            // While the first contact rings (5 s), the second is not rung: 1 s into the ringing its
            // sipp has received nothing (a parallel fork would have reached it within milliseconds).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!Files.readString(trace1, java.nio.charset.StandardCharsets.ISO_8859_1).contains("INVITE sip:")
                    && System.nanoTime() - deadline < 0) {
                Thread.sleep(20);
            }
            assertTrue(Files.readString(trace1, java.nio.charset.StandardCharsets.ISO_8859_1).contains("INVITE sip:"),
                    "the most preferred contact is rung first");
            Thread.sleep(1_000);
            assertFalse(Files.readString(trace2, java.nio.charset.StandardCharsets.ISO_8859_1).contains("INVITE sip:"),
                    "sequential: the second contact is not rung while the first one rings");

            SippRunner.Result r1 = rangOut.await();
            assertTrue(r1.succeeded(), "the first contact rang out and got CANCEL with cause 19: " + r1);
            SippRunner.Result r2 = answers.await();
            assertTrue(r2.succeeded(), "the second contact was rung next and answered: " + r2);
        } finally {
            Files.deleteIfExists(trace1);
            Files.deleteIfExists(trace2);
        }
        assertNotNull(awaitExchange(PriEvent.Answered.class, 2_000), "the exchange saw CONNECT");
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("2002"), 10_000);
        assertNotNull(cdr);
        assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
        assertEquals("bob", cdr[E2eGateway.USER]);
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldClearWithUserBusyWhenEveryContactIsBusy() throws Exception {
        int one = SippRunner.freePort();
        int two = SippRunner.freePort();
        register("carol", "carol-pw", one, "<sip:carol@127.0.0.1:" + one + ">", "reg-carol-1");
        register("carol", "carol-pw", two, "<sip:carol@127.0.0.1:" + two + ">", "reg-carol-2");
        SippRunner.Sipp busy1 = phone("phone-refuse.xml", one, Map.of("RURI", "sip:carol@127\\.0\\.0\\.1:" + one,
                "STATUS", "486", "PHRASE", "Busy Here")).start();
        SippRunner.Sipp busy2 = phone("phone-refuse.xml", two, Map.of("RURI", "sip:carol@127\\.0\\.0\\.1:" + two,
                "STATUS", "486", "PHRASE", "Busy Here")).start();
        Thread.sleep(300);
        assertNotNull(gw.gateway.exchange(1).originate("5550100", "2003", ChannelId.ANY));

        assertTrue(busy1.await().succeeded());
        assertTrue(busy2.await().succeeded());
        PriEvent.DisconnectRequested d = awaitExchange(PriEvent.DisconnectRequested.class, 5_000);
        assertNotNull(d, "the exchange got a DISCONNECT");
        assertEquals(17, d.cause(), "busy everywhere -> 17 user busy");
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("2003"), 10_000);
        assertNotNull(cdr);
        assertEquals("BUSY", cdr[E2eGateway.DISPOSITION]);
        assertEquals("486", cdr[E2eGateway.SIP_STATUS]);
        assertEquals("carol", cdr[E2eGateway.USER]);
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldClearWithNoAnswerWhenTheRingTimeRunsOut() throws Exception {
        int port = SippRunner.freePort();
        register("dave", "dave-pw", port, "<sip:dave@127.0.0.1:" + port + ">", "reg-dave");
        SippRunner.Sipp rings = phone("phone-cancelled.xml", port, Map.of("RURI", "sip:dave@127\\.0\\.0\\.1:" + port,
                "REASON", "Q\\.850;cause=19")).start();
        Thread.sleep(300);
        assertNotNull(gw.gateway.exchange(1).originate("5550100", "2004", ChannelId.ANY));

        SippRunner.Result r = rings.await();
        assertTrue(r.succeeded(), r::toString);
        PriEvent.DisconnectRequested d = awaitExchange(PriEvent.DisconnectRequested.class, 10_000);
        assertNotNull(d, "the exchange got a DISCONNECT");
        assertEquals(19, d.cause(), "no answer from user (user alerted)");
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("2004"), 10_000);
        assertNotNull(cdr);
        assertEquals("NO_ANSWER", cdr[E2eGateway.DISPOSITION]);
        assertEquals("dave", cdr[E2eGateway.USER]);
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldClearWithSubscriberAbsentWhenTheOwnerIsNotRegistered() throws Exception {
        assertEquals(List.of(), bindings("erin"));
        assertNotNull(gw.gateway.exchange(1).originate("5550100", "2005", ChannelId.ANY));
        PriEvent.DisconnectRequested d = awaitExchange(PriEvent.DisconnectRequested.class, 5_000);
        assertNotNull(d, "the exchange got a DISCONNECT");
        assertEquals(20, d.cause(), "RFC 3398: subscriber absent");
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("2005"), 10_000);
        assertNotNull(cdr);
        assertEquals("20", cdr[E2eGateway.Q850]);
        assertEquals("", cdr[E2eGateway.USER], "not delivered to anyone");
        assertEquals("", cdr[E2eGateway.SIP_CALL_ID], "no INVITE was sent");
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldSendToTheFirstPathHopWithThePathAsRoute() throws Exception {
        int phone = SippRunner.freePort();
        int edge = SippRunner.freePort();
        register("frank", "frank-pw", phone, "<sip:frank@127.0.0.60:5099>\n      Path: <sip:127.0.0.1:" + edge
                + ";lr>", "reg-frank");
        assertEquals(List.of("<sip:127.0.0.1:" + edge + ";lr>"), bindings("frank").get(0).path());
        SippRunner.Sipp proxy = phone("edge-proxy.xml", edge, Map.of("RURI", "sip:frank@127\\.0\\.0\\.60:5099",
                "ROUTE", "&lt;sip:127\\.0\\.0\\.1:" + edge + ";lr&gt;")).start();
        Thread.sleep(300);
        assertNotNull(gw.gateway.exchange(1).originate("5550100", "2006", ChannelId.ANY));

        SippRunner.Result r = proxy.await();
        assertTrue(r.succeeded(), "the INVITE reached the Path's hop with Route and the Contact: " + r);
        PriEvent.DisconnectRequested d = awaitExchange(PriEvent.DisconnectRequested.class, 5_000);
        assertNotNull(d);
        assertEquals(17, d.cause());
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldCancelEveryRingingContactWithTheCallersCauseWhenTheCallerHangsUp() throws Exception {
        int one = SippRunner.freePort();
        int two = SippRunner.freePort();
        register("gina", "gina-pw", one, "<sip:gina@127.0.0.1:" + one + ">", "reg-gina-1");
        register("gina", "gina-pw", two, "<sip:gina@127.0.0.1:" + two + ">", "reg-gina-2");
        SippRunner.Sipp p1 = phone("phone-cancelled.xml", one, Map.of("RURI", "sip:gina@127\\.0\\.0\\.1:" + one,
                "REASON", "Q\\.850;cause=16")).start();
        SippRunner.Sipp p2 = phone("phone-cancelled.xml", two, Map.of("RURI", "sip:gina@127\\.0\\.0\\.1:" + two,
                "REASON", "Q\\.850;cause=16")).start();
        Thread.sleep(300);
        org.tandem.pri.PriCall call = gw.gateway.exchange(1).originate("5550100", "2007", ChannelId.ANY);
        assertNotNull(call);
        assertNotNull(awaitExchange(PriEvent.Alerting.class, 5_000), "the caller hears it ring");
        gw.gateway.exchange(1).hangup(call, 16);

        SippRunner.Result r1 = p1.await();
        SippRunner.Result r2 = p2.await();
        assertTrue(r1.succeeded(), r1::toString);
        assertTrue(r2.succeeded(), r2::toString);
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("2007"), 10_000);
        assertNotNull(cdr);
        assertEquals("CANCELLED", cdr[E2eGateway.DISPOSITION]);
        assertEquals("gina", cdr[E2eGateway.USER]);
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldEndTheForkOnA6xxCancellingTheOtherContactAndClearWithItsCause() throws Exception {
        int one = SippRunner.freePort();
        int two = SippRunner.freePort();
        register("ivy", "ivy-pw", one, "<sip:ivy@127.0.0.1:" + one + ">", "reg-ivy-1");
        register("ivy", "ivy-pw", two, "<sip:ivy@127.0.0.1:" + two + ">", "reg-ivy-2");
        SippRunner.Sipp everywhere = phone("phone-refuse.xml", one, Map.of("RURI", "sip:ivy@127\\.0\\.0\\.1:" + one,
                "STATUS", "600", "PHRASE", "Busy Everywhere")).start();
        SippRunner.Sipp rings = phone("phone-cancelled.xml", two, Map.of("RURI", "sip:ivy@127\\.0\\.0\\.1:" + two,
                "REASON", "SIP;cause=600")).start();
        Thread.sleep(300);
        assertNotNull(gw.gateway.exchange(1).originate("5550100", "2008", ChannelId.ANY));

        SippRunner.Result r1 = everywhere.await();
        SippRunner.Result r2 = rings.await();
        assertTrue(r1.succeeded(), r1::toString);
        assertTrue(r2.succeeded(), "the other contact was cancelled because of the 600 (RFC 3261 16.7): " + r2);
        PriEvent.DisconnectRequested d = awaitExchange(PriEvent.DisconnectRequested.class, 5_000);
        assertNotNull(d);
        assertEquals(17, d.cause(), "RFC 3398: 600 -> 17");
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("2008"), 10_000);
        assertNotNull(cdr);
        assertEquals("600", cdr[E2eGateway.SIP_STATUS]);
        assertEquals("ivy", cdr[E2eGateway.USER]);
        assertTrue(gw.awaitIdle(5_000));
    }

    // ------------------------------------------------------------------ helpers

    /** sipp registers {@code contact} for {@code user} from {@code port} (then exits, freeing the port). */
    private void register(String user, String password, int port, String contact, String callId) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("FINAL", "200");
        values.put("CONTACT", "      Contact: " + contact);
        values.put("CHECKS", "");
        values.put("REFS", "");
        SippRunner.Result r = SippRunner.scenario(Scenarios.fill("register.xml", values))
                .to(SippRunner.LOOPBACK, gw.sipPort).localPort(port).option("-key", "dom", "127.0.0.1")
                .option("-key", "aor", user).option("-cid_str", callId).option("-key", "cseq1", "1")
                .option("-key", "cseq2", "2").option("-key", "expires", "600").option("-au", user)
                .option("-ap", password).run();
        assertTrue(r.succeeded(), r::toString);
    }

    /** A phone: sipp as UAS on the port its REGISTER came from, advertising the test's RTP peer. */
    private SippRunner.Sipp phone(String scenario, int port, Map<String, String> values) {
        return SippRunner.scenario(Scenarios.fill(scenario, values)).localPort(port)
                .option("-key", "rtpport", Integer.toString(rtp.port()));
    }

    private List<Binding> bindings(String user) {
        return gw.gateway.registrar().snapshot().contactsOf(user, System.currentTimeMillis());
    }

    private <T extends PriEvent> T awaitExchange(Class<T> type, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() - deadline < 0) {
            PriEvent e = exchangeEvents.poll(50, TimeUnit.MILLISECONDS);
            if (type.isInstance(e)) {
                return type.cast(e);
            }
        }
        return null;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("tandem-users-e2e");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
