package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.pri.ChannelId;
import org.tandem.pri.PriCall;
import org.tandem.pri.PriEvent;

/**
 * End to end on the shipped default configuration (two simulated E1 spans, the simulated exchange)
 * with sipp as the real SIP peer and a Java socket as the media end sipp advertises in its SDP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SipToPstnEndToEndTest extends AbstractEndToEndTest {
    private final LinkedBlockingQueue<PriEvent> exchangeEvents = new LinkedBlockingQueue<>();

    SipToPstnEndToEndTest() {
        // Route PSTN -> SIP with rewrites, so the test sees numbers changed as routed.
        // The RTP end of these tests only listens, and the load test's calls last 30 s: an RTP
        // timeout of 60 s keeps the default one (30 s, tested in CallTimersEndToEndTest) out of it.
        super(Gateway.Options.defaults().withCallTimers(
                        org.tandem.gateway.call.CallControl.Settings.DEFAULT_NO_ANSWER_MS, 60_000), "route.from-pstn.prefix_called=4930",
                "route.from-pstn.called_ton=international", "route.from-pstn.prefix_calling=0");
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
    void shouldAnswerTheMilliwattLineWith1004HzAt0dBm0OnRtp() throws Exception {
        SippRunner.Result r = gw.uac(Scenarios.file("call.xml"), "1004", rtp.port()).option("-d", "3000").run();
        assertTrue(r.succeeded(), r::toString);

        assertEquals(1, rtp.streams().size(), "one RTP stream from the gateway");
        byte[] audio = rtp.streams().values().iterator().next().bytes();
        assertTrue(audio.length >= 2 * 8000, "at least 2 s of audio, got " + audio.length + " bytes");
        double hz = RtpPeer.frequencyHz(audio, 8000, 8000);
        double dbfs = RtpPeer.levelDbfs(audio, 8000, 8000);
        assertEquals(1004, hz, 8, "milliwatt frequency");
        // 0 dBm0: a sine 3.14 dB below the A-law overload point (G.711), so its RMS is
        // 3.14 + 3.01 dB below a full-scale amplitude.
        assertEquals(-6.15, dbfs, 0.5, "milliwatt RMS level in dBFS (0 dBm0)");

        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("1004"), 5_000);
        assertNotNull(cdr, "CDR of the call");
        assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
        assertEquals("16", cdr[E2eGateway.Q850]);
        assertEquals("200", cdr[E2eGateway.SIP_STATUS]);
        assertEquals("sip", cdr[E2eGateway.RELEASED_BY]);
        assertTrue(Long.parseLong(cdr[E2eGateway.RTP_SENT]) > 100, "RTP packets sent in the CDR");
        assertTrue(gw.awaitIdle(5_000), "every channel idle and RTP port returned");
    }

    @Test
    void shouldReturnTheCallersAudioBitExactFromTheLoopAroundLine() throws Exception {
        SippRunner.Sipp sipp = gw.uac(Scenarios.file("call.xml"), "1000", rtp.port()).option("-d", "5000").start();
        int gatewayPort = awaitStream(5_000);
        byte[] sent = new byte[160 * 150];
        new Random(1000).nextBytes(sent);
        rtp.play(gatewayPort, sent); // 3 s, paced
        SippRunner.Result r = sipp.await();
        assertTrue(r.succeeded(), r::toString);

        byte[] back = rtp.streams().get(gatewayPort).bytes();
        int frames = 0;
        int found = 0;
        for (int off = 0; off + 160 <= back.length; off += 160) {
            frames++;
            if (indexOf(sent, back, off, 160) >= 0) {
                found++;
            }
        }
        // A-law on both sides is passed through untouched: most 20 ms blocks we sent come back
        // byte for byte (the rest is silence before and after, and the jitter buffer's settling).
        assertTrue(found >= 100, "blocks returned bit-exact: " + found + " of " + frames + " received");
        assertTrue(gw.awaitIdle(5_000));
    }

    @ParameterizedTest(name = "{0} -> SIP {1} with Reason Q.850 cause {2}")
    @CsvSource({"1486, 486, 17, BUSY", "1404, 404, 1, UNROUTABLE", "1503, 503, 34, CONGESTION"})
    void shouldRefuseWithTheMappedStatusAndAReasonHeader(String number, int status, int cause, String disposition)
            throws Exception {
        var scenario = Scenarios.fill("rejected.xml", Map.of("STATUS", Integer.toString(status),
                "CAUSE", Integer.toString(cause)));
        SippRunner.Result r = gw.uac(scenario, number, rtp.port()).run();
        assertTrue(r.succeeded(), r::toString);
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals(number), 5_000);
        assertNotNull(cdr);
        assertEquals(Integer.toString(cause), cdr[E2eGateway.Q850]);
        assertEquals(Integer.toString(status), cdr[E2eGateway.SIP_STATUS]);
        assertEquals(disposition, cdr[E2eGateway.DISPOSITION]);
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldCancelARingingCallWith487AndClearThePriCall() throws Exception {
        SippRunner.Result r = gw.uac(Scenarios.file("cancel.xml"), "1480", rtp.port()).option("-d", "1500").run();
        assertTrue(r.succeeded(), r::toString);
        assertNotNull(awaitExchange(PriEvent.CallReleased.class, 5_000), "the exchange saw the PRI call cleared");
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("1480"), 5_000);
        assertNotNull(cdr);
        assertEquals("CANCELLED", cdr[E2eGateway.DISPOSITION]);
        assertEquals("487", cdr[E2eGateway.SIP_STATUS]);
        assertEquals("sip", cdr[E2eGateway.RELEASED_BY]);
        assertTrue(rtp.streams().size() == 1, "early media (ringback) reached the caller before the CANCEL");
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldSendByeWithTheCauseWhenThePstnSideHangsUp() throws Exception {
        var scenario = Scenarios.fill("released-by-gateway.xml", Map.of("CAUSE", "16", "TIMEOUT_MS", "10000"));
        SippRunner.Sipp sipp = gw.uac(scenario, "1000", rtp.port()).start();
        PriEvent.IncomingCall call = awaitExchange(PriEvent.IncomingCall.class, 5_000);
        assertNotNull(call, "the exchange got the SETUP");
        awaitStream(5_000);
        gw.gateway.exchange(1).hangup(call.call(), 16);
        SippRunner.Result r = sipp.await();
        assertTrue(r.succeeded(), r::toString);
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("1000")
                && c[E2eGateway.RELEASED_BY].equals("pstn"), 5_000);
        assertNotNull(cdr);
        assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
        assertEquals("16", cdr[E2eGateway.Q850]);
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldRouteAnExchangeCallToTheSipTrunkWithNumbersRewritten() throws Exception {
        var scenario = Scenarios.fill("uas.xml", Map.of("CALLED", "\\+4930200", "CALLING", "05550100",
                "CALLED_USER", "+4930200"));
        SippRunner.Sipp uas = gw.trunkUas(scenario, rtp.port()).option("-d", "2000").start();
        Thread.sleep(300); // sipp binds its port
        PriCall call = gw.gateway.exchange(1).originate("5550100", "200", ChannelId.ANY);
        assertNotNull(call);
        SippRunner.Result r = uas.await();
        assertTrue(r.succeeded(), r::toString);
        assertNotNull(awaitExchange(PriEvent.Answered.class, 1_000), "the exchange saw CONNECT");
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("200"), 5_000);
        assertNotNull(cdr);
        assertEquals("pstn->sip", cdr[1]);
        assertEquals("5550100", cdr[E2eGateway.CALLING_IN]);
        assertEquals("05550100", cdr[E2eGateway.CALLING_OUT]);
        assertEquals("4930200", cdr[E2eGateway.CALLED_OUT]);
        assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
        assertEquals("sip", cdr[E2eGateway.RELEASED_BY]);
        assertEquals(1, rtp.streams().size(), "the gateway sent the span's audio to the SIP trunk");
        assertTrue(rtp.streams().values().iterator().next().packets > 50);
        assertNotNull(awaitExchange(PriEvent.CallReleased.class, 5_000), "the exchange saw the call cleared");
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldAnswerAMalformedInviteWith400WhileAnotherCallCarriesOn() throws Exception {
        SippRunner.Sipp call = gw.uac(Scenarios.file("call.xml"), "1004", rtp.port()).option("-d", "4000").start();
        awaitStream(5_000);
        SippRunner.Result bad = SippRunner.scenario(SippRunner.resource("/sip/malformed-invite.xml"))
                .to(SippRunner.LOOPBACK, gw.sipPort).run();
        assertTrue(bad.succeeded(), bad::toString);
        SippRunner.Result good = call.await();
        assertTrue(good.succeeded(), good::toString);
        int packets = rtp.streams().values().iterator().next().packets;
        assertTrue(packets > 150, "the good call's audio kept flowing: " + packets + " packets");
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldCarryFiftyConcurrentCallsForThirtySecondsWithAudioOnEveryOne() throws Exception {
        long before = gw.cdrs().stream().filter(c -> c[E2eGateway.DISPOSITION].equals("ANSWERED")).count();
        SippRunner.Sipp sipp = gw.uac(Scenarios.file("call.xml"), "1004", rtp.port()).calls(50)
                .option("-l", "50", "-r", "25", "-rp", "1000", "-d", "30000").timeoutSeconds(60).start();
        // Mid-load, what SNMP and the console read: 50 answered calls on 50 busy channels.
        Thread.sleep(12_000);
        long shown = gw.gateway.model().snapshot().spans().stream().flatMap(s -> s.channels().stream())
                .filter(ch -> ch.call() != null && ch.call().answered() && !ch.call().sipCallId().isEmpty())
                .count();
        assertEquals(50, shown, "answered calls shown in the ops model");
        SippRunner.Result r = sipp.await();
        assertTrue(r.succeeded(), r::toString);
        assertEquals(50, r.successfulCalls(), r::toString);

        assertEquals(50, rtp.streams().size(), "one RTP stream per call");
        List<String> bad = new ArrayList<>();
        for (var e : rtp.streams().entrySet()) {
            byte[] audio = e.getValue().bytes();
            if (audio.length < 28 * 8000) {
                bad.add(e.getKey() + ": only " + audio.length / 8 + " ms of audio");
                continue;
            }
            double hz = RtpPeer.frequencyHz(audio, 10 * 8000, 8000);
            if (Math.abs(hz - 1004) > 8) {
                bad.add(e.getKey() + ": " + hz + " Hz");
            }
        }
        assertTrue(bad.isEmpty(), "calls without clean 1004 Hz audio: " + bad);
        assertTrue(gw.awaitIdle(10_000), "every channel idle and every RTP port returned after the load");
        long after = gw.cdrs().stream().filter(c -> c[E2eGateway.DISPOSITION].equals("ANSWERED")).count();
        assertEquals(50, after - before, "one ANSWERED CDR per call");
    }

    private int awaitStream(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (rtp.streams().isEmpty() || rtp.streams().values().iterator().next().packets < 5) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no RTP from the gateway within " + timeoutMs + " ms");
            }
            Thread.sleep(20);
        }
        return rtp.streams().keySet().iterator().next();
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

    private static int indexOf(byte[] haystack, byte[] needle, int off, int len) {
        outer:
        for (int i = 0; i + len <= haystack.length; i++) {
            for (int j = 0; j < len; j++) {
                if (haystack[i + j] != needle[off + j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
