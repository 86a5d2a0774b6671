package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.pri.PriCause;

/**
 * Attended transfer (REFER with Replaces, RFC 3891) end to end on the shipped configuration
 * (supplementary services off, so no ISDN transfer): the gateway must answer 202, NOTIFY 100 and
 * 200, BYE both SIP legs and connect X and Y itself: DTMF the exchange plays on X's B-channel must
 * be detected on Y's and back, through the gateway's TDM bridge. When X hangs up, Y is released
 * too and both calls leave a CDR. Also: a Replaces naming no dialog of ours in a REFER (the
 * blind-transfer rules: 403 for a host that is no trunk) and in an INVITE (481).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttendedTransferEndToEndTest extends AbstractAttendedTransferTest {

    @Test
    void shouldJoinTheTwoPstnPartiesByeBothLegsAndReleaseBothWhenOneHangsUp() throws Exception {
        int before = gw.cdrs().size();
        ExchangeCall[] xy = twoCallsReferredWithReplaces("1004", "1004");
        ExchangeCall x = xy[0];
        ExchangeCall y = xy[1];
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
    void shouldLetAnInviteWithReplacesTakeOverTheCallsSipLeg() throws Exception {
        int before = gw.cdrs().size();
        java.nio.file.Path tagFile = java.nio.file.Files.createTempFile("tandem-repl-", ".tag");
        java.nio.file.Files.delete(tagFile);
        tagFile.toFile().deleteOnExit();
        String callId = "repl-" + System.nanoTime() + "@127.0.0.1";
        String fromTag = "old" + (System.nanoTime() & 0xffff);
        // The call to be taken over: its leg must get a BYE once replaced.
        SippRunner.Sipp first = gw.uac(Scenarios.fill("xfer-consult.xml",
                Map.of("FROM_TAG", fromTag, "TAG_FILE", tagFile.toString())), "1004", rtp.port())
                .option("-cid_str", callId).start();
        String toTag = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (toTag == null && System.nanoTime() - deadline < 0) {
            if (java.nio.file.Files.exists(tagFile)) {
                String t = java.nio.file.Files.readString(tagFile).trim();
                toTag = t.isEmpty() ? null : t;
            }
            Thread.sleep(20);
        }
        assertTrue(toTag != null, "sipp wrote the gateway's To tag");
        RtpPeer newPeer = addRtpPeer();
        SippRunner.Result taken = gw.uac(Scenarios.fill("invite-replacing.xml",
                Map.of("REPLACES", callId + ";to-tag=" + toTag + ";from-tag=" + fromTag)), "1004", newPeer.port())
                .option("-d", "1500").run();
        assertTrue(taken.succeeded(), taken::toString);
        SippRunner.Result old = first.await();
        assertTrue(old.succeeded(), "the replaced leg got its BYE: " + old);
        assertTrue(!newPeer.streams().isEmpty(), "the milliwatt reached the new dialog's RTP port");
        byte[] audio = newPeer.streams().values().iterator().next().bytes();
        assertEquals(1004, RtpPeer.frequencyHz(audio, audio.length / 2, 4000), 8);
        assertTrue(gw.awaitIdle(5_000));
        List<String[]> cdrs = awaitCdrs(before + 1);
        assertEquals(before + 1, cdrs.size(), "one call, one CDR");
        assertEquals("sip", cdrs.get(before)[E2eGateway.RELEASED_BY], "ended by the new dialog's BYE");
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
}
