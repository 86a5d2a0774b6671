package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.ops.ChannelRef;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.tdm.TdmLaw;
import org.tandem.tdm.sim.SimulatedCard;

/**
 * SIP features end to end with sipp: an INVITE without SDP, hold and resume by re-INVITE, and
 * route failover from a blocked group to a backup group (span 1 in group pstn, span 2 in group
 * backup; the route fails over on cause 34), and a PSTN call to a trunk that challenges.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SipFeaturesEndToEndTest extends AbstractEndToEndTest {
    SipFeaturesEndToEndTest() {
        super(Gateway.Options.defaults(), "span.2.group=backup", "group.backup.hunting=descending",
                "route.to-pstn.failover=group:backup", "route.to-pstn.failover_causes=34",
                "trunk.local.username=tandem", "trunk.local.password=s3cret-pass",
                "span.1.echocanceller=oslec", "span.1.echo_tail_ms=64",
                "span.2.echocanceller=oslec", "span.2.echo_tail_ms=64");
    }

    @Test
    void shouldSetLawAudioModeAndEchoCancellerOnTheBChannelForTheCallAndSwitchTheCancellerOffAfter()
            throws Exception {
        SippRunner.Sipp sipp = gw.uac(Scenarios.file("call.xml"), "1004", rtp.port()).option("-d", "3000").start();
        long t0 = System.nanoTime();
        while (rtp.streams().isEmpty() && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5)) {
            Thread.sleep(10);
        }
        assertFalse(rtp.streams().isEmpty(), "call answered with media");
        List<SimulatedCard.ChannelSettings> inCall = channelsWithCanceller();
        assertEquals(1, inCall.size(), "exactly the call's channel has the echo canceller on");
        assertEquals(new SimulatedCard.ChannelSettings(TdmLaw.ALAW, true, 64 * 8), inCall.get(0),
                "span law, audio mode, 64 ms tail = 512 taps");
        assertTrue(sipp.await().succeeded());
        assertTrue(gw.awaitIdle(5_000));
        assertEquals(List.of(), channelsWithCanceller(), "canceller off once the call has left the channel");
    }

    private List<SimulatedCard.ChannelSettings> channelsWithCanceller() {
        List<SimulatedCard.ChannelSettings> on = new java.util.ArrayList<>();
        SimulatedCard card = gw.gateway.simCard();
        for (int span = 1; span <= 2; span++) {
            for (int ts = 1; ts <= 31; ts++) {
                if (ts == 16) {
                    continue;
                }
                SimulatedCard.ChannelSettings s = card.channelSettings(span, ts);
                if (s.echoCancellerTaps() != 0) {
                    on.add(s);
                }
            }
        }
        return on;
    }

    /**
     * Once the ACK has come our leg lets the INVITE go and the stack's lingering transaction keeps
     * only what it matches on ({@code SipLeg.trimForTransaction}): a retransmission of the INVITE
     * and a CANCEL of it after the ACK must still find that transaction. Were the matching headers
     * gone, the retransmission would be a second call and the CANCEL would get 481.
     */
    @Test
    void shouldAbsorbAnInviteRetransmittedAfterTheAckAndAnswerALateCancelWithoutTouchingTheCall() throws Exception {
        int before = gw.cdrs().size();
        SippRunner.Result r = gw.uac(Scenarios.file("late-invite-and-cancel.xml"), "1004", rtp.port())
                .option("-d", "1500").run();
        assertTrue(r.succeeded(), r::toString);
        assertTrue(gw.awaitIdle(5_000));
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.DISPOSITION].equals("ANSWERED") && c[E2eGateway.Q850].equals("16")
                && c[E2eGateway.RELEASED_BY].equals("sip"), 5_000);
        assertNotNull(cdr, "the call ended by sipp's BYE");
        Thread.sleep(200); // a second call's CDR, had there been one, would be written by now too
        assertEquals(before + 1, gw.cdrs().size(), "one call: the retransmitted INVITE was absorbed");
        assertEquals(1, rtp.streams().size());
        byte[] audio = rtp.streams().values().iterator().next().bytes();
        assertTrue(audio.length > 8000, "the call carried audio past the late CANCEL: " + audio.length);
        assertEquals(1004, RtpPeer.frequencyHz(audio, audio.length - 8000, 8000), 8);
    }

    @Test
    void shouldOfferIn200AndTakeTheAnswerFromTheAckForAnInviteWithoutSdp() throws Exception {
        SippRunner.Result r = gw.uac(Scenarios.file("call-offerless.xml"), "1004", rtp.port()).option("-d", "2000")
                .run();
        assertTrue(r.succeeded(), r::toString);
        assertEquals(1, rtp.streams().size(), "media attached on the ACK's answer");
        byte[] audio = rtp.streams().values().iterator().next().bytes();
        assertTrue(audio.length > 8000, "audio after the ACK: " + audio.length);
        assertEquals(1004, RtpPeer.frequencyHz(audio, audio.length - 8000, 8000), 8);
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldAnswerHoldWithRecvonlyStopSendingAndResume() throws Exception {
        SippRunner.Sipp sipp = gw.uac(Scenarios.fill("call-hold.xml",
                java.util.Map.of("HOLD", "sendonly", "HOLD_ANSWER", "recvonly")), "1004", rtp.port()).option("-d", "3000")
                .start();
        // answered at ~0 s, held at ~1 s, resumed at ~4 s, BYE at ~5 s
        long t0 = System.nanoTime();
        while (rtp.streams().isEmpty() && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5)) {
            Thread.sleep(10);
        }
        Thread.sleep(2_000);
        int heldAt = rtp.streams().values().iterator().next().packets;
        Thread.sleep(1_500);
        int stillHeld = rtp.streams().values().iterator().next().packets;
        SippRunner.Result r = sipp.await();
        assertTrue(r.succeeded(), r::toString);
        int end = rtp.streams().values().iterator().next().packets;
        assertTrue(stillHeld - heldAt <= 5, "no audio to a party that is holding: " + (stillHeld - heldAt)
                + " packets in 1.5 s");
        assertTrue(end - stillHeld >= 25, "audio again after resume: " + (end - stillHeld) + " packets");
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldFailOverToTheBackupGroupWhenEveryChannelOfTheFirstIsBlocked() throws Exception {
        gw.gateway.control().block(new ChannelRef(1, 0)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        try {
            SippRunner.Result r = gw.uac(Scenarios.file("call.xml"), "1004", rtp.port()).option("-d", "1000").run();
            assertTrue(r.succeeded(), r::toString);
            String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("1004")
                    && c[E2eGateway.SPAN].equals("2"), 5_000);
            assertNotNull(cdr, "the call went out on span 2 (group backup)");
            assertEquals("31", cdr[E2eGateway.CHANNEL], "backup hunts descending");
            assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
        } finally {
            gw.gateway.control().unblock(new ChannelRef(1, 0)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldAnswerTheTrunksDigestChallengeOnAPstnCall() throws Exception {
        var scenario = Scenarios.fill("uas-auth.xml", java.util.Map.of("CALLED", "200", "CALLING", "5550100",
                "CALLED_USER", "200", "USER", "tandem", "PASSWORD", "s3cret-pass"));
        SippRunner.Sipp uas = gw.trunkUas(scenario, rtp.port()).option("-d", "1000").start();
        Thread.sleep(300); // sipp binds its port
        gw.gateway.exchange(1).originate("5550100", "200", org.tandem.pri.ChannelId.ANY);
        SippRunner.Result r = uas.await();
        assertTrue(r.succeeded(), r::toString);
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("200"), 5_000);
        assertNotNull(cdr);
        assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
        assertTrue(gw.awaitIdle(5_000));
    }
}
