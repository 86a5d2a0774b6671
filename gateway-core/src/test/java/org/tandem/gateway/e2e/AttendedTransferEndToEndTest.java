package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.pri.PriCall;
import org.tandem.pri.PriCause;
import org.tandem.pri.PriEvent;
import org.tandem.simexchange.SimExchange;

/**
 * Attended transfer (REFER with Replaces, RFC 3891) end to end: sipp is a phone with two calls
 * through the gateway to the exchange (X and Y). The second call's dialog is known to the test
 * (fixed Call-ID and From tag, the gateway's To tag written out by sipp); the first call REFERs
 * with {@code Refer-To: <sip:..?Replaces=call2;to-tag=..;from-tag=..>}. The gateway must answer
 * 202, NOTIFY 100 and 200, BYE both SIP legs and connect X and Y: DTMF the exchange plays on X's
 * B-channel must be detected on Y's and back, through the gateway's TDM bridge. When X hangs up,
 * Y is released too and both calls leave a CDR.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttendedTransferEndToEndTest extends AbstractEndToEndTest {
    /** One B-channel call at the exchange: its span, channel and the exchange's call handle. */
    private record ExchangeCall(int span, int channel, PriCall call) {
    }

    private final LinkedBlockingQueue<ExchangeCall> incoming = new LinkedBlockingQueue<>();
    private final List<String> digits = new CopyOnWriteArrayList<>();

    AttendedTransferEndToEndTest() {
        super(Gateway.Options.defaults());
    }

    @BeforeAll
    void watchExchanges() {
        for (int span = 1; span <= 2; span++) {
            SimExchange ex = gw.gateway.exchange(span);
            int s = span;
            ex.addObserver((priSpan, event) -> {
                if (event instanceof PriEvent.IncomingCall ic) {
                    incoming.add(new ExchangeCall(s, ic.channel(), ic.call()));
                }
            });
            ex.addDigitListener((ch, d) -> digits.add(s + "/" + ch + ":" + d));
        }
    }

    @BeforeEach
    void clear() {
        incoming.clear();
        digits.clear();
    }

    @Test
    void shouldJoinTheTwoPstnPartiesByeBothLegsAndReleaseBothWhenOneHangsUp() throws Exception {
        int before = gw.cdrs().size();
        Path tagFile = Files.createTempFile("tandem-xfer-", ".tag");
        Files.delete(tagFile);
        tagFile.toFile().deleteOnExit();
        String callId = "xfer2-" + System.nanoTime() + "@127.0.0.1";
        String fromTag = "consult" + (System.nanoTime() & 0xffff);
        // Call 2 (to Y): its dialog is what the REFER's Replaces names.
        SippRunner.Sipp consult = gw.uac(Scenarios.fill("xfer-consult.xml",
                Map.of("FROM_TAG", fromTag, "TAG_FILE", tagFile.toString())), "1004", rtp.port())
                .option("-cid_str", callId).start();
        ExchangeCall y = incoming.poll(10, TimeUnit.SECONDS);
        assertNotNull(y, "call 2 reached the exchange");
        String toTag = awaitTag(tagFile);
        assertNotNull(toTag, "sipp wrote the gateway's To tag of call 2");
        String replaces = escape(callId + ";to-tag=" + toTag + ";from-tag=" + fromTag);
        // Call 1 (to X), which REFERs: its NOTIFYs must say 100 then 200, then the gateway BYEs it.
        SippRunner.Sipp transferor = gw.uac(Scenarios.fill("refer-call.xml",
                Map.of("REFER_TO", "sip:1004@127.0.0.1:" + gw.sipPort + "?Replaces=" + replaces)), "1004", rtp.port())
                .start();
        ExchangeCall x = incoming.poll(10, TimeUnit.SECONDS);
        assertNotNull(x, "call 1 reached the exchange");
        SippRunner.Result r1 = transferor.await();
        assertTrue(r1.succeeded(), r1::toString);
        SippRunner.Result r2 = consult.await();
        assertTrue(r2.succeeded(), "the replaced call got its BYE: " + r2);
        assertEquals(2, gw.gateway.callControl().liveCalls().get(2, TimeUnit.SECONDS), "both PSTN calls still up");
        assertEquals(before, gw.cdrs().size(), "no CDR while the joined calls run");

        // X and Y hear each other through the gateway: DTMF played by the exchange on one
        // B-channel is detected in what the gateway sends on the other.
        gw.gateway.exchange(x.span()).playDigits(x.channel(), "159");
        assertTrue(awaitDigits(y, "159"), "X's digits reached Y: " + digits);
        gw.gateway.exchange(y.span()).playDigits(y.channel(), "37#");
        assertTrue(awaitDigits(x, "37#"), "Y's digits reached X: " + digits);

        // X hangs up: Y is released with it; two CDRs, both answered.
        gw.gateway.exchange(x.span()).hangup(x.call(), PriCause.NORMAL_CLEARING);
        assertTrue(gw.awaitIdle(5_000), "both calls released, channels and ports free");
        List<String[]> cdrs = awaitCdrs(before + 2);
        assertEquals(before + 2, cdrs.size(), "one CDR per call");
        for (String[] cdr : cdrs.subList(before, before + 2)) {
            assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
            assertEquals("pstn", cdr[E2eGateway.RELEASED_BY], "released by X's hang-up");
        }
    }

    @Test
    void shouldTreatAReplacesNamingNoDialogOfOursAsABlindTransferTargetAndRefuseANonTrunkWith403()
            throws Exception {
        int nobody = SippRunner.freePort();
        SippRunner.Result r = gw.uac(Scenarios.fill("refer-refused.xml", Map.of("REFER_TO",
                "sip:5550100@127.0.0.1:" + nobody + "?Replaces=" + escape("nosuch@host;to-tag=1;from-tag=2"),
                "STATUS", "403")), "1004", rtp.port()).option("-d", "500").run();
        assertTrue(r.succeeded(), r::toString);
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldAnswer481ToAnInviteWithReplacesNamingNoDialog() throws Exception {
        SippRunner.Result r = gw.uac(Scenarios.fill("invite-replaces.xml",
                Map.of("REPLACES", "nosuch-" + System.nanoTime() + "@host;to-tag=1;from-tag=2", "STATUS", "481")),
                "1004", rtp.port()).run();
        assertTrue(r.succeeded(), r::toString);
        assertTrue(incoming.isEmpty(), "nothing reached the exchange");
        assertTrue(gw.awaitIdle(5_000));
    }

    /** RFC 3261 19.1.1 escaping of a URI header value. */
    private static String escape(String v) {
        return v.replace("%", "%25").replace("@", "%40").replace(";", "%3B").replace("=", "%3D");
    }

    private static String awaitTag(Path file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        do {
            if (Files.exists(file)) {
                String t = Files.readString(file, StandardCharsets.ISO_8859_1).trim();
                if (!t.isEmpty()) {
                    return t;
                }
            }
            Thread.sleep(20);
        } while (System.nanoTime() - deadline < 0);
        return null;
    }

    /** Waits (bounded) until every digit of {@code expected} was detected on {@code at}'s channel, in order. */
    private boolean awaitDigits(ExchangeCall at, String expected) throws InterruptedException {
        String prefix = at.span() + "/" + at.channel() + ":";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        do {
            StringBuilder got = new StringBuilder();
            for (String d : digits) {
                if (d.startsWith(prefix)) {
                    got.append(d.substring(prefix.length()));
                }
            }
            if (got.indexOf(expected) >= 0) {
                return true;
            }
            Thread.sleep(20);
        } while (System.nanoTime() - deadline < 0);
        return false;
    }

    private List<String[]> awaitCdrs(int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<String[]> all;
        do {
            all = gw.cdrs();
            if (all.size() >= count) {
                return all;
            }
            Thread.sleep(50);
        } while (System.nanoTime() - deadline < 0);
        return all;
    }
}
