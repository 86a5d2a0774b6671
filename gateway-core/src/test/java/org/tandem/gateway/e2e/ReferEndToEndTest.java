package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.sip.testing.SippRunner;

/**
 * Blind transfer (RFC 3515 REFER) end to end: sipp calls the exchange's milliwatt line 1004 and,
 * once answered, REFERs the gateway to a second sipp listening as the shipped trunk
 * {@code trunk.local} on loopback. The gateway calls it, moves the PSTN leg's media to it, tells
 * the first sipp through NOTIFYs and hangs up on it; the exchange's call stays up until the second
 * sipp hangs up. A REFER to a host that is no trunk gets 403 and the call goes on; a REFER outside
 * a dialog gets 405 / 481.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReferEndToEndTest extends AbstractEndToEndTest {
    private static final int SIP_PEER = 14;

    ReferEndToEndTest() {
        super(Gateway.Options.defaults());
    }

    private String trunkTarget() {
        return "sip:5550100@127.0.0.1:" + gw.trunkPort;
    }

    @Test
    void shouldCallTheReferToTargetMoveTheMediaNotifyAndByeTheTransferor() throws Exception {
        RtpPeer target = addRtpPeer();
        int before = gw.cdrs().size();
        SippRunner.Sipp uas = gw.trunkUas(Scenarios.fill("uas.xml",
                Map.of("CALLED", "5550100", "CALLING", "1004", "CALLED_USER", "5550100")), target.port())
                .option("-d", "3000").start();
        SippRunner.Result transferor = gw.uac(Scenarios.fill("refer-call.xml", Map.of("REFER_TO", trunkTarget())),
                "1004", rtp.port()).run();
        assertTrue(transferor.succeeded(), transferor::toString);
        // The transferor is gone (BYE received), the exchange's call is not: one call still up.
        assertEquals(1, gw.gateway.callControl().liveCalls().get(2, TimeUnit.SECONDS), "PSTN leg still up");
        assertEquals(before, gw.cdrs().size(), "no CDR while the transferred call runs");
        SippRunner.Result answered = uas.await();
        assertTrue(answered.succeeded(), answered::toString);
        // The milliwatt now reaches the target's RTP port (same RTP port and B-channel on our side).
        assertFalse(target.streams().isEmpty(), "RTP reached the transfer target");
        byte[] audio = target.streams().values().iterator().next().bytes();
        assertTrue(audio.length > 8000, "audio to the target: " + audio.length);
        assertEquals(1004, RtpPeer.frequencyHz(audio, audio.length - 8000, 8000), 8);
        String[] cdr = newCdr(before);
        assertNotNull(cdr, "CDR of the transferred call");
        assertEquals("1004", cdr[E2eGateway.CALLED_IN]);
        assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
        assertEquals("sip", cdr[E2eGateway.RELEASED_BY], "released by the target's BYE");
        assertEquals("local 127.0.0.1:" + gw.trunkPort, cdr[SIP_PEER], "SIP peer: the target, through its trunk");
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldCarryTheTargetsAudioBothWaysThroughTheSamePstnLegAfterTheTransfer() throws Exception {
        RtpPeer target = addRtpPeer();
        SippRunner.Sipp uas = gw.trunkUas(Scenarios.fill("uas.xml",
                Map.of("CALLED", "5550100", "CALLING", "1000", "CALLED_USER", "5550100")), target.port())
                .option("-d", "5000").start();
        // 1000 is the exchange's loop-around line: what the target sends must come back to it.
        SippRunner.Result transferor = gw.uac(Scenarios.fill("refer-call.xml", Map.of("REFER_TO", trunkTarget())),
                "1000", rtp.port()).run();
        assertTrue(transferor.succeeded(), transferor::toString);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (target.streams().isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
        assertFalse(target.streams().isEmpty(), "RTP reached the transfer target");
        int gatewayPort = target.streams().keySet().iterator().next();
        byte[] sent = new byte[160 * 100];
        new java.util.Random(1000).nextBytes(sent);
        target.play(gatewayPort, sent); // 2 s, paced
        assertTrue(uas.await().succeeded());
        byte[] back = target.streams().get(gatewayPort).bytes();
        int found = 0;
        for (int off = 0; off + 160 <= back.length; off += 160) {
            if (indexOf(sent, back, off, 160) >= 0) {
                found++;
            }
        }
        assertTrue(found >= 50, "the target's blocks back bit-exact through the PSTN loop: " + found);
        assertTrue(gw.awaitIdle(5_000));
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

    @Test
    void shouldGoOnWithTheTransferWhenTheTransferorHangsUpAfterThe202() throws Exception {
        RtpPeer target = addRtpPeer();
        int before = gw.cdrs().size();
        SippRunner.Sipp uas = gw.trunkUas(Scenarios.fill("uas-slow.xml", Map.of("CALLED", "5550100", "CALLING",
                "1004", "CALLED_USER", "5550100", "RING_MS", "1500")), target.port()).option("-d", "2000").start();
        SippRunner.Result transferor = gw.uac(Scenarios.fill("refer-leave.xml", Map.of("REFER_TO", trunkTarget())),
                "1004", rtp.port()).run();
        assertTrue(transferor.succeeded(), transferor::toString);
        SippRunner.Result answered = uas.await();
        assertTrue(answered.succeeded(), answered::toString);
        assertFalse(target.streams().isEmpty(), "RTP reached the transfer target");
        String[] cdr = newCdr(before);
        assertNotNull(cdr, "CDR of the transferred call");
        assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
        assertEquals("local 127.0.0.1:" + gw.trunkPort, cdr[SIP_PEER], "SIP peer: the target");
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldRefuseAReferToAHostThatIsNoTrunkWith403AndKeepTheCall() throws Exception {
        int nobody = SippRunner.freePort();
        int before = gw.cdrs().size();
        SippRunner.Result r = gw.uac(Scenarios.fill("refer-refused.xml",
                Map.of("REFER_TO", "sip:5550100@127.0.0.1:" + nobody, "STATUS", "403")), "1004", rtp.port())
                .option("-d", "1500").run();
        assertTrue(r.succeeded(), r::toString);
        String[] cdr = newCdr(before);
        assertNotNull(cdr);
        assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
        assertEquals("sip", cdr[E2eGateway.RELEASED_BY], "the transferor's own BYE ended the call");
        assertFalse(cdr[SIP_PEER].endsWith(":" + gw.trunkPort), "still the transferor's leg: " + cdr[SIP_PEER]);
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldPassAReplacesNamingNoDialogOfOursOnToTheTrunkTarget() throws Exception {
        // The Replaces names a dialog of the target's (not ours): a blind transfer to the trunk
        // whose INVITE carries that Replaces (RFC 3891 7.1).
        RtpPeer target = addRtpPeer();
        SippRunner.Sipp uas = gw.trunkUas(Scenarios.fill("uas-replaces.xml", Map.of("CALLED", "5550100", "CALLING",
                "1004", "CALLED_USER", "5550100", "REPLACES", "abc@host;to-tag=1;from-tag=2")), target.port())
                .option("-d", "1000").start();
        SippRunner.Result r = gw.uac(Scenarios.fill("refer-call.xml",
                Map.of("REFER_TO", trunkTarget() + "?Replaces=abc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2")),
                "1004", rtp.port()).run();
        assertTrue(r.succeeded(), r::toString);
        SippRunner.Result answered = uas.await();
        assertTrue(answered.succeeded(), "the target got the Replaces: " + answered);
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldTellTheTransferorTheTargetsRefusalAndKeepTheCall() throws Exception {
        SippRunner.Sipp uas = gw.trunkUas(Scenarios.fill("phone-refuse.xml",
                Map.of("STATUS", "486", "PHRASE", "Busy Here", "RURI", "sip:5550100@127\\.0\\.0\\.1:[0-9]+")), rtp.port())
                .start();
        SippRunner.Result r = gw.uac(Scenarios.fill("refer-failed.xml",
                Map.of("REFER_TO", trunkTarget(), "FRAG", "486 Busy")), "1004", rtp.port()).option("-d", "1000").run();
        assertTrue(r.succeeded(), r::toString);
        assertTrue(uas.await().succeeded());
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    void shouldAnswer405ToAReferOutsideADialogAnd481ToOneNamingNoDialog() throws Exception {
        SippRunner.Result r = gw.uac(Scenarios.file("refer-outside.xml"), "1004", rtp.port()).run();
        assertTrue(r.succeeded(), r::toString);
    }

    /** The first CDR written after the first {@code before} ones (bounded wait), or null. */
    private String[] newCdr(int before) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        do {
            java.util.List<String[]> all = gw.cdrs();
            if (all.size() > before) {
                return all.get(before);
            }
            Thread.sleep(50);
        } while (System.nanoTime() - deadline < 0);
        return null;
    }
}
