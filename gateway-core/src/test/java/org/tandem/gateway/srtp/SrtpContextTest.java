package org.tandem.gateway.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * SRTP/SRTCP against the RFC 3711 Appendix B vectors (B.2 keystream, B.3 key derivation) and the
 * known-answer packets every SRTP implementation checks itself with (master key and salt of B.3,
 * SSRC 0xCAFEBABE, SEQ 0x1234), then round trips, tampering, replay and the rollover counter.
 */
class SrtpContextTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] B3_KEY = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] B3_SALT = hex("0EC675AD498AFEEBB6960B3AABE6");
    private static final byte[] KEY_SALT = hex("E1F97A0D3E018BE0D64FA32C06DE41390EC675AD498AFEEBB6960B3AABE6");

    @Test
    void aesCounterModeKeystreamIsRfc3711AppendixB2() {
        AesCounterMode cm = new AesCounterMode(hex("2B7E151628AED2A6ABF7158809CF4F3C"));
        byte[] iv = hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        byte[] ks = new byte[48];
        cm.keystream(iv, ks, 48);
        assertEquals("E03EAD0935C95E80E166B16DD92B4EB4" + "D23513162B02D0F72A43A2FE4A5F97AB"
                + "41E95B3BB0A2E8DD477901E4FCA894C0", HEX.formatHex(ks).toUpperCase());
        // the last blocks of B.2 (counter FEFF, FF00, FF01): XOR with zeros over 0xFF02 blocks
        byte[] zeros = new byte[AesCounterMode.MAX_BYTES];
        byte[] all = new byte[0xFF02 * 16];
        for (int at = 0; at < all.length; at += AesCounterMode.MAX_BYTES) {
            int n = Math.min(AesCounterMode.MAX_BYTES, all.length - at);
            byte[] blockIv = iv.clone();
            int j = at >>> 4;
            blockIv[14] = (byte) (j >>> 8);
            blockIv[15] = (byte) j;
            byte[] chunk = Arrays.copyOf(zeros, n);
            cm.apply(blockIv, chunk, 0, n);
            System.arraycopy(chunk, 0, all, at, n);
        }
        assertEquals("EC8CDF7398607CB0F2D21675EA9EA1E4" + "362B7C3C6773516318A077D7FC5073AE"
                + "6A2CC3787889374FBEB4C81B17BA6C44",
                HEX.formatHex(Arrays.copyOfRange(all, 0xFEFF * 16, 0xFF02 * 16)).toUpperCase());
    }

    @Test
    void keyDerivationIsRfc3711AppendixB3() {
        assertEquals("C61E7A93744F39EE10734AFE3FF7A087", hexOf(SrtpContext.derive(B3_KEY, B3_SALT, 0, 16)));
        assertEquals("30CBBC08863D8C85D49DB34A9AE1", hexOf(SrtpContext.derive(B3_KEY, B3_SALT, 2, 14)));
        assertEquals("CEBE321F6FF7716B6FD4AB49AF256A15" + "6D38BAA48F0A0ACF3C34E2359E6CDBCE"
                + "E049646C43D9327AD175578EF7227098" + "6371C10C9A369AC2F94A8C5FBCDDDC25"
                + "6D6E919A48B610EF17C2041E47403576" + "6B68642C59BBFC2F34DB60DBDFB2",
                hexOf(SrtpContext.derive(B3_KEY, B3_SALT, 1, 94)));
    }

    @Test
    void hmacMatchesTheJdkMac() throws Exception {
        byte[] key = hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4");
        byte[] msg = new byte[173];
        for (int i = 0; i < msg.length; i++) {
            msg[i] = (byte) (i * 7);
        }
        Mac jdk = Mac.getInstance("HmacSHA1");
        jdk.init(new SecretKeySpec(key, "HmacSHA1"));
        byte[] expected = jdk.doFinal(msg);
        HmacSha1 ours = new HmacSha1(key, key.length);
        byte[] out = new byte[20];
        for (int round = 0; round < 2; round++) { // reusable
            ours.start();
            ours.update(msg, 0, 100);
            ours.update(msg, 100, 73);
            ours.finish(out, 0);
            assertArrayEquals(expected, out);
        }
    }

    @Test
    void protectsTheKnownAnswerPacket() {
        byte[] plain = hex("800f1234decafbadcafebabe" + "ab".repeat(16));
        ByteBuffer b = ByteBuffer.allocate(64).put(0, plain);
        SrtpContext tx = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, KEY_SALT);
        int n = tx.protectRtp(b, plain.length);
        assertEquals(38, n);
        assertEquals("800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb",
                HEX.formatHex(bytes(b, n)));

        SrtpContext tx32 = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_32, KEY_SALT);
        ByteBuffer b32 = ByteBuffer.allocate(64).put(0, plain);
        assertEquals(32, tx32.protectRtp(b32, plain.length));
        assertEquals("800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc",
                HEX.formatHex(bytes(b32, 32)));

        SrtpContext rx = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, KEY_SALT);
        assertEquals(plain.length, rx.unprotectRtp(b, n));
        assertArrayEquals(plain, bytes(b, plain.length));
        assertEquals(1, rx.authenticated());
    }

    @Test
    void protectsTheKnownAnswerRtcpPacket() {
        byte[] plain = hex("81c8000bcafebabe" + "ab".repeat(16));
        ByteBuffer b = ByteBuffer.allocate(64).put(0, plain);
        SrtpContext tx = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, KEY_SALT);
        tx.protectRtcp(ByteBuffer.allocate(64).put(0, plain), plain.length); // index 0 spent: the vector has 1
        int n = tx.protectRtcp(b, plain.length);
        assertEquals(38, n);
        assertEquals("81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798",
                HEX.formatHex(bytes(b, n)));
        SrtpContext rx = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_32, KEY_SALT); // SRTCP tag 80 bits with _32 too
        assertEquals(plain.length, rx.unprotectRtcp(b, n));
        assertArrayEquals(plain, bytes(b, plain.length));
    }

    @Test
    void roundTripsAndRefusesTamperedPackets() {
        for (SrtpProfile p : SrtpProfile.values()) {
            SrtpContext tx = new SrtpContext(p, KEY_SALT);
            SrtpContext rx = new SrtpContext(p, KEY_SALT);
            byte[] rtp = rtp(4711, 160);
            ByteBuffer b = ByteBuffer.allocate(256).put(0, rtp);
            int n = tx.protectRtp(b, rtp.length);
            assertEquals(rtp.length + p.rtpTagLength(), n);
            assertNotEquals(HEX.formatHex(rtp), HEX.formatHex(bytes(b, rtp.length)), "payload encrypted");
            assertArrayEquals(Arrays.copyOf(rtp, 12), bytes(b, 12), "header in the clear");
            for (int at : new int[] {1, 12, 100, n - 1}) { // header, payload, tag
                ByteBuffer t = ByteBuffer.allocate(256).put(0, bytes(b, n));
                t.put(at, (byte) (t.get(at) ^ 0x01));
                assertEquals(SrtpContext.AUTH_FAILED, rx.unprotectRtp(t, n), p + " byte " + at);
            }
            assertEquals(SrtpContext.AUTH_FAILED, new SrtpContext(p, otherKey()).unprotectRtp(
                    ByteBuffer.allocate(256).put(0, bytes(b, n)), n), "another key");
            assertEquals(rtp.length, rx.unprotectRtp(b, n));
            assertArrayEquals(rtp, bytes(b, rtp.length));
            assertEquals(4, rx.authFailures());
            assertEquals(1, rx.authenticated());
        }
    }

    @Test
    void refusesReplaysAndPacketsOlderThanTheWindow() {
        SrtpContext tx = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, KEY_SALT);
        SrtpContext rx = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, KEY_SALT);
        byte[][] sent = new byte[200][];
        for (int s = 0; s < sent.length; s++) {
            ByteBuffer b = ByteBuffer.allocate(256).put(0, rtp(1000 + s, 20));
            int n = tx.protectRtp(b, 32);
            sent[s] = bytes(b, n);
        }
        assertEquals(32, unprotect(rx, sent[100]));
        assertEquals(SrtpContext.REPLAYED, unprotect(rx, sent[100]), "the same packet twice");
        assertEquals(32, unprotect(rx, sent[99]), "reordered, inside the window");
        assertEquals(32, unprotect(rx, sent[100 - 63]), "the window's oldest");
        assertEquals(SrtpContext.REPLAYED, unprotect(rx, sent[100 - 64]), "older than the window");
        assertEquals(SrtpContext.REPLAYED, unprotect(rx, sent[99]));
        assertEquals(32, unprotect(rx, sent[199]), "a jump ahead");
        assertEquals(SrtpContext.REPLAYED, unprotect(rx, sent[100]), "now behind the window");
        assertEquals(32, unprotect(rx, sent[150]));
        assertEquals(4, rx.replays());
    }

    @Test
    void rolloverCounterFollowsTheSequenceWrapBothWays() {
        SrtpContext tx = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, KEY_SALT);
        SrtpContext rx = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, KEY_SALT);
        byte[][] sent = new byte[10][];
        for (int s = 0; s < sent.length; s++) {
            int seq = (65531 + s) & 0xFFFF; // 65531..65535, 0..4
            ByteBuffer b = ByteBuffer.allocate(256).put(0, rtp(seq, 20));
            sent[s] = bytes(b, tx.protectRtp(b, 32));
        }
        assertEquals(1, tx.sendRoc());
        assertEquals(32, unprotect(rx, sent[0]));
        assertEquals(32, unprotect(rx, sent[6]), "seq 1 after 65531: ROC guessed 1");
        assertEquals(32, unprotect(rx, sent[3]), "seq 65534 late: ROC guessed 0 (ROC - 1)");
        assertEquals(32, unprotect(rx, sent[5]));
        assertEquals(32, unprotect(rx, sent[9]));
        assertEquals(1L << 16 | 4, rx.estimateIndex(4) + 0, "highest index is ROC 1, SEQ 4");
        // a packet of ROC 1 claimed with ROC 0 does not authenticate: the ROC is in the tag
        SrtpContext fresh = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, KEY_SALT);
        assertEquals(SrtpContext.AUTH_FAILED, unprotect(fresh, sent[9]));
    }

    @Test
    void srtcpRefusesReplaysAndTampering() {
        SrtpContext tx = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_32, KEY_SALT);
        SrtpContext rx = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_32, KEY_SALT);
        byte[] rr = hex("81c90007cafebabe" + "0102030405060708090a0b0c0d0e0f101112131415161718");
        ByteBuffer b = ByteBuffer.allocate(128).put(0, rr);
        int n = tx.protectRtcp(b, rr.length);
        assertEquals(rr.length + 14, n);
        byte[] wire = bytes(b, n);
        byte[] bad = wire.clone();
        bad[10] ^= 0x40;
        assertEquals(SrtpContext.AUTH_FAILED, rx.unprotectRtcp(ByteBuffer.wrap(bad), n));
        assertEquals(rr.length, rx.unprotectRtcp(ByteBuffer.wrap(wire.clone()), n));
        assertEquals(SrtpContext.REPLAYED, rx.unprotectRtcp(ByteBuffer.wrap(wire.clone()), n));
    }

    @Test
    void refusesWhatIsNotSrtp() {
        SrtpContext rx = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, KEY_SALT);
        assertEquals(SrtpContext.MALFORMED, rx.unprotectRtp(ByteBuffer.allocate(64), 15));
        byte[] v1 = rtp(1, 20);
        v1[0] = 0x40;
        assertEquals(SrtpContext.MALFORMED, rx.unprotectRtp(ByteBuffer.allocate(64).put(0, v1), 32));
        SrtpContext tx = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, KEY_SALT);
        assertEquals(SrtpContext.MALFORMED, tx.protectRtp(ByteBuffer.allocate(36).put(0, rtp(1, 20)), 32),
                "no room for the tag");
    }

    private static int unprotect(SrtpContext rx, byte[] wire) {
        return rx.unprotectRtp(ByteBuffer.allocate(256).put(0, wire), wire.length);
    }

    private static byte[] rtp(int seq, int payload) {
        byte[] p = new byte[12 + payload];
        p[0] = (byte) 0x80;
        p[1] = 0;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        p[7] = (byte) seq;
        p[8] = 0x11;
        p[9] = 0x22;
        p[10] = 0x33;
        p[11] = 0x44;
        for (int i = 12; i < p.length; i++) {
            p[i] = (byte) (0xFF - i);
        }
        return p;
    }

    private static byte[] otherKey() {
        byte[] k = KEY_SALT.clone();
        k[0] ^= 1;
        return k;
    }

    private static byte[] bytes(ByteBuffer b, int n) {
        byte[] out = new byte[n];
        b.get(0, out, 0, n);
        return out;
    }

    private static byte[] hex(String s) {
        return HEX.parseHex(s.toLowerCase());
    }

    private static String hexOf(byte[] b) {
        return HEX.formatHex(b).toUpperCase();
    }
}
