package org.tandem.gateway.e2e;

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
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.pri.PriCall;
import org.tandem.pri.PriEvent;
import org.tandem.simexchange.SimExchange;

/**
 * What the attended-transfer tests share: sipp as a phone with two calls through the gateway to
 * the exchange (X and Y); the second call's dialog is known to the test (fixed Call-ID and From
 * tag, the gateway's To tag written out by sipp: {@code xfer-consult.xml}); the first call REFERs
 * with {@code Refer-To: <sip:..?Replaces=call2;to-tag=..;from-tag=..>} ({@code refer-call.xml}:
 * 202, NOTIFY 100, NOTIFY 200, BYE). The exchange's calls and the DTMF it detects are recorded.
 */
abstract class AbstractAttendedTransferTest extends AbstractEndToEndTest {
    /** One B-channel call at the exchange: its span, channel and the exchange's call handle. */
    record ExchangeCall(int span, int channel, PriCall call) {
    }

    final LinkedBlockingQueue<ExchangeCall> incoming = new LinkedBlockingQueue<>();
    final List<String> digits = new CopyOnWriteArrayList<>();
    final List<PriEvent> exchangeEvents = new CopyOnWriteArrayList<>();

    AbstractAttendedTransferTest(String... overrides) {
        super(Gateway.Options.defaults(), overrides);
    }

    @BeforeAll
    final void watchExchanges() {
        for (int span = 1; span <= 2; span++) {
            SimExchange ex = gw.gateway.exchange(span);
            int s = span;
            ex.addObserver((priSpan, event) -> {
                exchangeEvents.add(event);
                if (event instanceof PriEvent.IncomingCall ic) {
                    incoming.add(new ExchangeCall(s, ic.channel(), ic.call()));
                }
            });
            ex.addDigitListener((ch, d) -> digits.add(s + "/" + ch + ":" + d));
        }
    }

    @BeforeEach
    final void clearExchangeRecords() {
        incoming.clear();
        digits.clear();
        exchangeEvents.clear();
    }

    /**
     * Places call 2 (to Y) and call 1 (to X), which REFERs with Replaces naming call 2; waits until
     * both sipp scenarios succeeded (call 1: NOTIFY 100 and 200 then BYE; call 2: BYE).
     *
     * @return {X, Y} as the exchange saw them
     */
    ExchangeCall[] twoCallsReferredWithReplaces(String calledX, String calledY) throws Exception {
        Path tagFile = Files.createTempFile("tandem-xfer-", ".tag");
        Files.delete(tagFile);
        tagFile.toFile().deleteOnExit();
        String callId = "xfer2-" + System.nanoTime() + "@127.0.0.1";
        String fromTag = "consult" + (System.nanoTime() & 0xffff);
        SippRunner.Sipp consult = gw.uac(Scenarios.fill("xfer-consult.xml",
                Map.of("FROM_TAG", fromTag, "TAG_FILE", tagFile.toString())), calledY, rtp.port())
                .option("-cid_str", callId).start();
        ExchangeCall y = incoming.poll(10, TimeUnit.SECONDS);
        assertNotNull(y, "call 2 reached the exchange");
        String toTag = awaitTag(tagFile);
        assertNotNull(toTag, "sipp wrote the gateway's To tag of call 2");
        String replaces = escape(callId + ";to-tag=" + toTag + ";from-tag=" + fromTag);
        SippRunner.Sipp transferor = gw.uac(Scenarios.fill("refer-call.xml",
                Map.of("REFER_TO", "sip:" + calledY + "@127.0.0.1:" + gw.sipPort + "?Replaces=" + replaces)), calledX,
                rtp.port()).start();
        ExchangeCall x = incoming.poll(10, TimeUnit.SECONDS);
        assertNotNull(x, "call 1 reached the exchange");
        SippRunner.Result r1 = transferor.await();
        assertTrue(r1.succeeded(), r1::toString);
        SippRunner.Result r2 = consult.await();
        assertTrue(r2.succeeded(), "the replaced call got its BYE: " + r2);
        return new ExchangeCall[] {x, y};
    }

    /** RFC 3261 19.1.1 escaping of a URI header value. */
    static String escape(String v) {
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
    boolean awaitDigits(ExchangeCall at, String expected) throws InterruptedException {
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

    List<String[]> awaitCdrs(int count) throws Exception {
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
