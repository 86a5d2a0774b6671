package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.sip.testing.SippRunner;

/**
 * The gateway's timers end to end with sipp: the ringing limit (cause 19 -> 480), the RTP timeout
 * of answered calls (cause 102) and its suspension while a call is on hold (inactive), early
 * media (the span's ringback heard before the final response), a re-INVITE moving the media to a
 * new address, RFC 4028 422 and the gateway as session refresher, and RFC 3261 13.3.1.4: a 200
 * never ACKed is retransmitted and the call ended after 64*T1.
 *
 * <p>Ringing limit 2.5 s, RTP timeout 6 s, Min-SE 2 s. The RTP peer here only listens unless a
 * test plays to the gateway, so every call that must outlive 6 s sends audio.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallTimersEndToEndTest extends AbstractEndToEndTest {
    private static final int NO_ANSWER_MS = 2_500;
    private static final int RTP_TIMEOUT_MS = 6_000;

    /** The second media end, for the re-INVITE that moves the media. */
    private RtpPeer rtp2;

    CallTimersEndToEndTest() {
        super(Gateway.Options.defaults().withSessionTimer(1800, 2)
                .withCallTimers(NO_ANSWER_MS, RTP_TIMEOUT_MS));
    }

    @BeforeAll
    void startTheSecondRtpPeer() throws Exception {
        rtp2 = addRtpPeer();
    }

    @Test
    void shouldPlayTheSpansRingbackAsEarlyMediaThenGiveUpWithCause19And480() throws Exception {
        Path scenario = Scenarios.fill("rejected.xml", Map.of("STATUS", "480", "CAUSE", "19"));
        SippRunner.Result r = gw.uac(scenario, "1480", rtp.port()).run();
        assertTrue(r.succeeded(), r::toString);
        // The media is attached only with the 183 and detached with the final response: what the
        // RTP end received arrived before the 480.
        assertEquals(1, rtp.streams().size(), "early media (183 with SDP) before the final response");
        byte[] audio = rtp.streams().values().iterator().next().bytes();
        assertTrue(audio.length >= 8000, "at least 1 s of early media: " + audio.length + " bytes");
        // ETSI ringback from the exchange: 425 Hz, 1 s on; measured over its first 0.5 s
        assertEquals(425, RtpPeer.frequencyHz(audio, 800, 4000), 15);
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("1480")
                && c[E2eGateway.Q850].equals("19"), 5_000);
        assertNotNull(cdr, "CDR with cause 19");
        assertEquals("NO_ANSWER", cdr[E2eGateway.DISPOSITION]);
        assertEquals("480", cdr[E2eGateway.SIP_STATUS]);
        assertEquals("gateway", cdr[E2eGateway.RELEASED_BY]);
        assertTrue(gw.awaitIdle(5_000), "B-channel idle and RTP ports returned");
    }

    @Test
    void shouldReleaseAnAnsweredCallWithCause102WhenItsRtpStops() throws Exception {
        Path scenario = Scenarios.fill("released-by-gateway.xml", Map.of("CAUSE", "102", "TIMEOUT_MS", "20000"));
        SippRunner.Sipp sipp = gw.uac(scenario, "1000", rtp.port()).timeoutSeconds(30).start();
        int gatewayPort = awaitStream(rtp);
        rtp.play(gatewayPort, new byte[160 * 50]); // 1 s of audio, then nothing
        SippRunner.Result r = sipp.await();
        assertTrue(r.succeeded(), r::toString);
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("1000")
                && c[E2eGateway.Q850].equals("102"), 5_000);
        assertNotNull(cdr, "CDR with cause 102");
        assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
        assertEquals("gateway", cdr[E2eGateway.RELEASED_BY]);
        assertTrue(Long.parseLong(cdr[E2eGateway.RTP_RECEIVED]) >= 40, "the RTP that did arrive is counted");
        assertTrue(gw.awaitIdle(5_000), "B-channel idle and RTP ports returned");
    }

    @Test
    void shouldNotTimeOutTheRtpOfACallHeldInactive() throws Exception {
        // answered, held (a=inactive) 1 s later for longer than the RTP timeout, resumed, BYE 1 s later
        Path scenario = Scenarios.fill("call-hold.xml", Map.of("HOLD", "inactive", "HOLD_ANSWER", "inactive"));
        SippRunner.Result r = gw.uac(scenario, "1004", rtp.port()).option("-d", Integer.toString(RTP_TIMEOUT_MS + 1_500))
                .timeoutSeconds(30).run();
        assertTrue(r.succeeded(), "sipp hung up itself, the gateway did not: " + r);
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("1004") && c[E2eGateway.RELEASED_BY].equals("sip")
                && c[E2eGateway.Q850].equals("16"), 5_000);
        assertNotNull(cdr, "normal clearing by the SIP side");
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldSendTheRtpToTheNewAddressOfAReInvite() throws Exception {
        SippRunner.Result r = gw.uac(Scenarios.file("call-move.xml"), "1004", rtp.port())
                .option("-key", "rtpport2", Integer.toString(rtp2.port())).option("-d", "1000").run();
        assertTrue(r.succeeded(), r::toString);
        assertEquals(1, rtp.streams().size(), "audio to the first address");
        assertEquals(1, rtp2.streams().size(), "audio to the address of the re-INVITE");
        assertEquals(rtp.streams().keySet(), rtp2.streams().keySet(), "answered from the same gateway port");
        byte[] moved = rtp2.streams().values().iterator().next().bytes();
        assertTrue(moved.length >= 4000, "audio after the move: " + moved.length + " bytes");
        assertEquals(1004, RtpPeer.frequencyHz(moved, moved.length - 4000, 4000), 8);
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldAnswer422WithItsMinSeAndThenRefreshTheSessionItself() throws Exception {
        // sipp asks for 1 s (422, Min-SE 2), then 3 s with refresher=uas: the gateway re-INVITEs
        // twice (about every 1.5 s); sipp answers both and hangs up.
        SippRunner.Result r = gw.uac(Scenarios.file("session-refresh.xml"), "1004", rtp.port()).run();
        assertTrue(r.succeeded(), r::toString);
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("1004") && c[E2eGateway.RELEASED_BY].equals("sip")
                && c[E2eGateway.Q850].equals("16"), 5_000);
        assertNotNull(cdr, "the refreshed call ended normally by the caller's BYE");
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldRefreshWithUpdateWhenTheCallerAllowsIt() throws Exception {
        // As above, but sipp's INVITE lists UPDATE in Allow: the gateway refreshes twice with an
        // UPDATE without SDP (RFC 4028 7.4) and never with a re-INVITE (sipp would fail on one).
        SippRunner.Result r = gw.uac(Scenarios.file("session-refresh-update.xml"), "1004", rtp.port()).run();
        assertTrue(r.succeeded(), r::toString);
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("1004") && c[E2eGateway.RELEASED_BY].equals("sip")
                && c[E2eGateway.Q850].equals("16"), 5_000);
        assertNotNull(cdr, "the refreshed call ended normally by the caller's BYE");
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldRetryAnOutboundInviteRefusedWith422WithTheMinSeAskedFor() throws Exception {
        SippRunner.Sipp uas = gw.trunkUas(Scenarios.file("uas-422.xml"), rtp.port()).option("-d", "1000").start();
        Thread.sleep(300); // sipp binds its port
        gw.gateway.exchange(1).originate("5550100", "200", org.tandem.pri.ChannelId.ANY);
        SippRunner.Result r = uas.await();
        assertTrue(r.succeeded(), r::toString);
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("200"), 5_000);
        assertNotNull(cdr);
        assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
        assertEquals("sip", cdr[E2eGateway.RELEASED_BY]);
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldRetransmitA200NeverAckedAndEndTheCallWithCause102() throws Exception {
        Path trace = Files.createTempFile("tandem-e2e-noack", ".log");
        try {
            SippRunner.Sipp sipp = gw.uac(Scenarios.file("no-ack.xml"), "1000", rtp.port())
                    .option("-trace_msg", "-message_file", trace.toString()).timeoutSeconds(60).start();
            int gatewayPort = awaitStream(rtp);
            // Keep the media alive past the RTP timeout, so only the missing ACK can end the call.
            // The call ends before the 36 s are played: the player is stopped (interrupted) then;
            // anything else it throws is a broken test setup and fails the test below.
            AtomicReference<Throwable> playerFailure = new AtomicReference<>();
            Thread player = new Thread(() -> {
                try {
                    rtp.play(gatewayPort, new byte[160 * 50 * 36]);
                } catch (InterruptedException e) {
                    // stopped at the end of the test
                } catch (Throwable t) {
                    playerFailure.set(t);
                }
            }, "no-ack-player");
            player.setDaemon(true);
            player.start();
            try {
                SippRunner.Result r = sipp.await();
                assertNull(playerFailure.get(), () -> "the RTP player to gateway port " + gatewayPort
                        + " failed: " + playerFailure.get());
                assertTrue(r.succeeded(), r::toString);
                String messages = Files.readString(trace, StandardCharsets.ISO_8859_1);
                Matcher m = Pattern.compile("message received \\[\\d+\\] bytes :\\s+SIP/2\\.0 200 OK").matcher(messages);
                int okCount = 0;
                while (m.find()) {
                    okCount++;
                }
                // T1 0.5 s doubling to T2 4 s over 32 s: 0.5, 1, 2, 4, 4, ... about 10 retransmissions
                assertTrue(okCount >= 6, "the 200 was retransmitted until Timer H: " + okCount + " copies");
                String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("1000")
                        && c[E2eGateway.Q850].equals("102") && c[E2eGateway.RELEASED_BY].equals("sip"), 5_000);
                assertNotNull(cdr, "CDR with cause 102, released by the SIP side (no ACK)");
                // the player's RTP reached the call (not a port of an earlier one) until Timer H
                assertTrue(Long.parseLong(cdr[E2eGateway.RTP_RECEIVED]) >= 1_000,
                        "RTP received from the player: " + cdr[E2eGateway.RTP_RECEIVED] + " packets");
                assertTrue(gw.awaitIdle(5_000), "B-channel idle and RTP ports returned");
            } finally {
                player.interrupt();
                player.join(2_000);
            }
        } finally {
            Files.deleteIfExists(trace);
        }
    }

    /**
     * Waits (bounded) for the gateway's RTP of the one call; returns the gateway's RTP port. The
     * peer was cleared behind the previous calls' RTP ({@link RtpPeer#clear}), so exactly one
     * stream is expected: a second one would be a leftover and the port a guess.
     */
    private static int awaitStream(RtpPeer peer) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (peer.streams().isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no RTP from the gateway within 5 s of the call");
            }
            Thread.sleep(10);
        }
        assertEquals(1, peer.streams().size(), () -> "RTP from more than one gateway port: " + peer.streams().keySet());
        return peer.streams().keySet().iterator().next();
    }
}
