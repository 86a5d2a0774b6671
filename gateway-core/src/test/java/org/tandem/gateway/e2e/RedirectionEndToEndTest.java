package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.pri.ChannelId;
import org.tandem.pri.PartyNumber;
import org.tandem.pri.PriEvent;
import org.tandem.pri.Redirecting;

/**
 * A diverted call's redirecting number through the running gateway (docs/SIP.md "Diversion and
 * History-Info"), with the trunk set to {@code redirection_headers = both} and span 1 (and its
 * simulated exchange) with libpri's supplementary services, so count and original called number
 * cross too: a sipp INVITE from
 * the trusted trunk with Diversion (or History-Info) reaches the simulated exchange as a SETUP
 * whose Redirecting number and reason the exchange's libpri reports; a malformed Diversion is
 * ignored and the call still goes through; the exchange's SETUP with a Redirecting number reaches
 * the sipp trunk as an INVITE with both headers (checked by sipp's regexps).
 */
class RedirectionEndToEndTest extends AbstractEndToEndTest {
    private final LinkedBlockingQueue<PriEvent> exchangeEvents = new LinkedBlockingQueue<>();

    RedirectionEndToEndTest() {
        super(Gateway.Options.defaults(), "trunk.local.redirection_headers=both", "span.1.supplementary_services=yes");
    }

    @BeforeAll
    void observeTheExchange() {
        gw.gateway.exchange(1).addObserver((span, event) -> exchangeEvents.add(event));
    }

    @BeforeEach
    void clearExchangeEvents() {
        exchangeEvents.clear();
    }

    @Test
    void shouldSendTheDiversionOfAnInviteAsTheRedirectingNumberOfTheSetup() throws Exception {
        PriEvent.IncomingCall setup = divertedCall(
                "      Diversion: <sip:+4930200@192.0.2.10;user=phone>;reason=user-busy;counter=1,"
                        + " <sip:+4930199@192.0.2.10;user=phone>;reason=unconditional;counter=1");
        Redirecting r = setup.redirecting();
        assertNotNull(r, "the exchange's SETUP has a Redirecting number");
        assertEquals("4930200", r.from().digits());
        assertEquals(1, r.from().ton(), "international");
        assertEquals(Redirecting.REASON_BUSY, r.reason());
        assertEquals(2, r.count(), "the counters summed");
        assertEquals("4930199", r.originalCalled().digits(), "the bottom entry");
        assertEquals("1004", setup.called().digits());
    }

    @Test
    void shouldSendTheHistoryInfoOfAnInviteAsTheRedirectingNumberOfTheSetup() throws Exception {
        PriEvent.IncomingCall setup = divertedCall(
                "      History-Info: <sip:2000@192.0.2.10?Privacy=history>;index=1\n"
                        + "      History-Info: <sip:1004@127.0.0.1;cause=408>;index=1.1;mp=1");
        Redirecting r = setup.redirecting();
        assertNotNull(r);
        assertEquals("2000", r.from().digits());
        assertEquals(Redirecting.REASON_NO_REPLY, r.reason());
        assertTrue(r.from().presentationRestricted(), "Privacy=history: presentation restricted");
    }

    @Test
    void shouldIgnoreAMalformedDiversionAndCarryTheCall() throws Exception {
        PriEvent.IncomingCall setup = divertedCall("      Diversion: sip:2000@192.0.2.10;reason=user-busy");
        assertNull(setup.redirecting(), "no Redirecting number from a Diversion without name-addr");
        assertEquals("1004", setup.called().digits());
    }

    @Test
    void shouldSendTheRedirectingNumberOfASetupAsDiversionAndHistoryInfo() throws Exception {
        var scenario = trunkExpecting(
                "Diversion: &lt;sip:2001@127\\.0\\.0\\.1&gt;;reason=user-busy;counter=1",
                "Diversion: &lt;sip:1999@127\\.0\\.0\\.1&gt;;reason=unknown;counter=1",
                "History-Info: &lt;sip:1999@127\\.0\\.0\\.1&gt;;index=1[^.0-9]",
                "History-Info: &lt;sip:2001@127\\.0\\.0\\.1&gt;;index=1\\.1;mp=1",
                "History-Info: &lt;sip:200@127\\.0\\.0\\.1:[0-9]+;cause=486&gt;;index=1\\.1\\.1;mp=1\\.1");
        SippRunner.Sipp uas = gw.trunkUas(scenario, rtp.port()).option("-d", "1000").start();
        Thread.sleep(300); // sipp binds its port
        assertNotNull(gw.gateway.exchange(1).originate("5550100", "200", ChannelId.ANY,
                new Redirecting(PartyNumber.of("2001"), PartyNumber.of("1999"), Redirecting.REASON_BUSY, 2)));
        SippRunner.Result r = uas.await();
        assertTrue(r.succeeded(), "the trunk's INVITE carried Diversion and History-Info: " + r);
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("200"), 5_000);
        assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION], String.join(",", cdr));
        assertTrue(gw.awaitIdle(5_000));
    }

    /** The trunk UAS for an exchange call to 200 from 5550100 whose INVITE must match every regexp (XML-escaped). */
    private static java.nio.file.Path trunkExpecting(String... regexps) {
        StringBuilder checks = new StringBuilder();
        StringBuilder vars = new StringBuilder();
        for (int i = 0; i < regexps.length; i++) {
            checks.append("      <ereg regexp=\"").append(regexps[i])
                    .append("\" search_in=\"msg\" check_it=\"true\" assign_to=\"c").append(i).append("\"/>\n");
            vars.append(i == 0 ? "" : ",").append('c').append(i);
        }
        return Scenarios.fill("uas-redirection.xml", Map.of("CALLED", "200", "CALLING", "5550100",
                "CALLED_USER", "200", "CHECKS", checks.toString(), "CHECKVARS", vars.toString()));
    }

    /** A call from sipp to the milliwatt line with these header lines; the exchange's SETUP. */
    private PriEvent.IncomingCall divertedCall(String headers) throws Exception {
        var scenario = Scenarios.fill("call-diverted.xml", Map.of("HEADERS", headers));
        SippRunner.Result r = gw.uac(scenario, "1004", rtp.port()).option("-d", "500").run();
        assertTrue(r.succeeded(), r::toString);
        PriEvent.IncomingCall setup = awaitExchange(PriEvent.IncomingCall.class, 5_000);
        assertNotNull(setup, "the exchange got the SETUP");
        assertTrue(gw.awaitIdle(5_000));
        return setup;
    }

    private <T extends PriEvent> T awaitExchange(Class<T> type, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (int i = 0; i < 10_000; i++) {
            long left = deadline - System.nanoTime();
            PriEvent e = exchangeEvents.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (e == null) {
                return null;
            }
            if (type.isInstance(e)) {
                return type.cast(e);
            }
        }
        return null;
    }
}
