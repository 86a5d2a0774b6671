package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.pri.ChannelId;
import org.tandem.pri.PriCall;
import org.tandem.pri.PriEvent;

/**
 * 100rel / PRACK (RFC 3262) and UPDATE before the answer (RFC 3311) end to end, through the
 * running gateway on the shipped configuration (trunk {@code local} with the default
 * {@code prack = supported}), sipp as the SIP peer and the simulated exchange as the PSTN:
 * a caller requiring 100rel gets a reliable 180, PRACKs it and only then gets the 200; a caller
 * that never PRACKs gets the reliable 183 retransmitted and then 500 (cause 102); an UPDATE before
 * the PRACK gets 500 + Retry-After and after it 200 with our SDP; and a trunk answering our
 * INVITE with a reliable 183 gets our PRACK in that dialog, once.
 *
 * <p>RTP timeout 60 s: the peers here only listen, and the no-PRACK call rings for 32 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrackEndToEndTest extends AbstractEndToEndTest {
    private final LinkedBlockingQueue<PriEvent> exchangeEvents = new LinkedBlockingQueue<>();

    PrackEndToEndTest() {
        super(Gateway.Options.defaults().withCallTimers(
                org.tandem.gateway.call.CallControl.Settings.DEFAULT_NO_ANSWER_MS, 60_000));
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
    void shouldSendAReliable180AndHoldThe200UntilThePrackThenCarryTheMilliwatt() throws Exception {
        SippRunner.Result r = gw.uac(Scenarios.file("prack-call.xml"), "1004", rtp.port()).option("-d", "2000").run();
        assertTrue(r.succeeded(), r::toString);
        assertEquals(1, rtp.streams().size(), "one RTP stream from the gateway");
        byte[] audio = rtp.streams().values().iterator().next().bytes();
        assertTrue(audio.length >= 8000, "at least 1 s of audio, got " + audio.length + " bytes");
        assertEquals(1004, RtpPeer.frequencyHz(audio, 4000, 8000), 8, "milliwatt frequency");
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("1004"), 5_000);
        assertNotNull(cdr);
        assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
        assertTrue(gw.awaitIdle(5_000), "every channel idle and RTP port returned");
    }

    @Test
    void shouldRetransmitTheReliable183AndRejectWith500WhenNoPrackComes() throws Exception {
        Path trace = Files.createTempFile("tandem-prack-never", ".log");
        try {
            SippRunner.Result r = gw.uac(Scenarios.file("prack-never.xml"), "1480", rtp.port())
                    .option("-trace_msg", "-message_file", trace.toString()).timeoutSeconds(60).run();
            assertTrue(r.succeeded(), r::toString);
            String messages = Files.readString(trace, StandardCharsets.ISO_8859_1);
            Matcher m = Pattern.compile("message received \\[\\d+\\] bytes :\\s+SIP/2\\.0 183 ").matcher(messages);
            int copies = 0;
            while (m.find()) {
                copies++;
            }
            // T1 doubling without a cap for 64*T1: 0.5, 1, 2, 4, 8, 16 s: about 6 copies
            assertTrue(copies >= 4, "the reliable 183 was retransmitted until 64*T1: " + copies + " copies");
            assertNotNull(awaitExchange(PriEvent.CallReleased.class, 5_000), "the exchange saw the call cleared");
            String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("1480")
                    && c[E2eGateway.Q850].equals("102"), 5_000);
            assertNotNull(cdr, "CDR with cause 102 (no PRACK)");
            assertEquals("sip", cdr[E2eGateway.RELEASED_BY]);
            assertTrue(gw.awaitIdle(5_000), "B-channel idle and RTP ports returned");
        } finally {
            Files.deleteIfExists(trace);
        }
    }

    @Test
    void shouldRefuseAnUpdateBeforeThePrackAndAnswerItAfter() throws Exception {
        SippRunner.Result r = gw.uac(Scenarios.file("prack-update.xml"), "1480", rtp.port()).run();
        assertTrue(r.succeeded(), r::toString);
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("1480")
                && c[E2eGateway.DISPOSITION].equals("CANCELLED"), 5_000);
        assertNotNull(cdr, "the caller's CANCEL ended the call");
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldPrackATrunksReliable183OnceAndConnectTheCall() throws Exception {
        SippRunner.Sipp uas = gw.trunkUas(Scenarios.file("uas-prack.xml"), rtp.port()).option("-d", "2000").start();
        Thread.sleep(300); // sipp binds its port
        PriCall call = gw.gateway.exchange(1).originate("5550100", "200", ChannelId.ANY);
        assertNotNull(call);
        SippRunner.Result r = uas.await();
        assertTrue(r.succeeded(), r::toString);
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("200"), 5_000);
        assertNotNull(cdr);
        assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
        assertEquals(1, rtp.streams().size(), "the span's audio reached the trunk (early media, then the call)");
        assertNotNull(awaitExchange(PriEvent.CallReleased.class, 5_000), "the exchange saw the call cleared");
        assertTrue(gw.awaitIdle(5_000));
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
}
