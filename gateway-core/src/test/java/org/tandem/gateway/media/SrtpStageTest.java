package org.tandem.gateway.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.sdp.SrtpKeys;
import org.tandem.gateway.srtp.SrtpContext;
import org.tandem.gateway.srtp.SrtpProfile;

/** The media engine's SRTP stage: pass-through without keys, re-keying per direction (RFC 4568 7.1.4). */
class SrtpStageTest {
    private static final SrtpProfile P = SrtpProfile.AES_CM_128_HMAC_SHA1_80;

    @Test
    void passesPlainRtpThrough() {
        SrtpStage s = new SrtpStage(null);
        assertFalse(s.active());
        ByteBuffer b = ByteBuffer.allocate(64).put(0, rtp(7));
        assertEquals(32, s.protectRtp(b, 32));
        assertEquals(32, s.unprotectRtp(b, 32));
        assertEquals(0, s.authenticated());
    }

    @Test
    void aReofferWithTheSameKeysKeepsTheRolloverCounterAndANewPeerKeyReplacesOnlyTheReceiveSide() {
        byte[] ours = key(1);
        byte[] theirs = key(2);
        SrtpStage s = new SrtpStage(new SrtpKeys(P, ours, theirs));
        SrtpContext peerRx = new SrtpContext(P, ours);
        for (int seq : new int[] {65534, 65535, 0}) { // our sender's ROC becomes 1
            assertTrue(peerRx.unprotectRtp(protect(s, seq), 42) > 0);
        }
        s.rekey(new SrtpKeys(P, ours.clone(), theirs.clone())); // a re-INVITE answered with the same keys
        assertEquals(32, peerRx.unprotectRtp(protect(s, 1), 42), "same context: ROC 1 goes on");

        SrtpContext peerTx = new SrtpContext(P, theirs);
        ByteBuffer in = ByteBuffer.allocate(64).put(0, rtp(10));
        assertEquals(32, s.unprotectRtp(in, peerTx.protectRtp(in, 32)));
        byte[] newTheirs = key(3);
        s.rekey(new SrtpKeys(P, ours, newTheirs));
        assertEquals(32, peerRx.unprotectRtp(protect(s, 2), 42), "our side untouched by the peer's new key");
        SrtpContext newPeerTx = new SrtpContext(P, newTheirs);
        ByteBuffer in2 = ByteBuffer.allocate(64).put(0, rtp(11));
        assertEquals(32, s.unprotectRtp(in2, newPeerTx.protectRtp(in2, 32)));
        ByteBuffer old = ByteBuffer.allocate(64).put(0, rtp(12));
        assertEquals(SrtpContext.AUTH_FAILED, s.unprotectRtp(old, peerTx.protectRtp(old, 32)), "old key refused");
        assertEquals(2, s.authenticated(), "counts of the replaced context kept");
        assertEquals(1, s.failed());
        assertEquals(1, s.failedRtp());

        s.rekey(null);
        assertFalse(s.active(), "plain RTP after a re-offer without keys");
        assertEquals(2, s.authenticated());
    }

    private static ByteBuffer protect(SrtpStage s, int seq) {
        ByteBuffer b = ByteBuffer.allocate(64).put(0, rtp(seq));
        assertEquals(42, s.protectRtp(b, 32));
        return b;
    }

    private static byte[] rtp(int seq) {
        byte[] p = new byte[32];
        p[0] = (byte) 0x80;
        p[1] = 8;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        p[11] = 1;
        return p;
    }

    private static byte[] key(int v) {
        byte[] k = new byte[SrtpProfile.KEY_SALT_LENGTH];
        java.util.Arrays.fill(k, (byte) v);
        return k;
    }
}
