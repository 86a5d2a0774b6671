package org.tandem.gateway.call;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.sdp.Direction;
import org.tandem.gateway.sdp.G711;
import org.tandem.gateway.sdp.MediaPolicy;
import org.tandem.gateway.sdp.OfferAnswer;
import org.tandem.gateway.sdp.SdpOrigin;
import org.tandem.gateway.sdp.SrtpPolicy;
import org.tandem.gateway.srtp.SrtpProfile;

/**
 * The offer of a running call (PSTN hold's re-INVITE, the answer to an INVITE with Replaces, a
 * blind transfer's INVITE): its codec only, and its SRTP: an SRTP call must not re-offer plain
 * RTP/AVP while its media goes on encrypting with the keys of the set-up.
 */
class RunningPolicyTest {
    private static byte[] key(int fill) {
        byte[] k = new byte[SrtpProfile.KEY_SALT_LENGTH];
        Arrays.fill(k, (byte) fill);
        return k;
    }

    @Test
    void shouldReofferTheRunningCodecWithTheCallsOwnSrtpKeys() {
        byte[] k80 = key(0x11);
        SrtpPolicy srtp = new SrtpPolicy(SrtpPolicy.Mode.REQUIRE, true, k80, key(0x22));
        MediaPolicy atSetup = new MediaPolicy(G711.PCMA, true, true, 101, 20, "127.0.0.1", 30000, srtp);
        MediaPolicy running = CallMedia.runningPolicy(atSetup, G711.PCMA, atSetup.srtp());
        String sdp = OfferAnswer.offer(running, SdpOrigin.create("127.0.0.1"), Direction.SENDONLY).encode();
        assertTrue(sdp.contains("m=audio 30000 RTP/SAVP 8"), sdp);
        assertTrue(sdp.contains("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + Base64.getEncoder().encodeToString(k80)),
                "the key the media protects with: " + sdp);
        assertTrue(sdp.contains("a=sendonly"), sdp);
        assertFalse(sdp.contains("PCMU"), "only the running codec: " + sdp);
    }

    @Test
    void shouldOfferPlainRtpForACallWithoutSrtp() {
        MediaPolicy atSetup = new MediaPolicy(G711.PCMU, true, true, 101, 20, "127.0.0.1", 30000);
        String sdp = OfferAnswer.offer(CallMedia.runningPolicy(atSetup, G711.PCMU, atSetup.srtp()),
                SdpOrigin.create("127.0.0.1"), Direction.SENDRECV).encode();
        assertTrue(sdp.contains("m=audio 30000 RTP/AVP 0"), sdp);
        assertFalse(sdp.contains("crypto"), sdp);
    }
}
