package org.tandem.gateway.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-128 in counter mode as RFC 3711 4.1.1 uses it: keystream block j is AES(key, IV + j), the
 * IV's low 16 bits zero, so the 16-bit block counter is written into its last two bytes. The
 * keystream is made by AES/ECB over a run of counter blocks in one {@code Cipher.update}; the
 * counter and keystream arrays are preallocated for the largest packet.
 */
final class AesCounterMode {
    /** Largest run of bytes one call can cover (larger than any datagram we read). */
    static final int MAX_BYTES = 2048;

    private final Cipher aes;
    private final byte[] counters = new byte[MAX_BYTES];
    private final byte[] keystream = new byte[MAX_BYTES];

    AesCounterMode(byte[] key) {
        try {
            aes = Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, 0, 16, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB is not available in this JDK", e);
        }
    }

    /**
     * XORs {@code len} bytes of keystream for {@code iv} (16 bytes, low 16 bits zero) into
     * {@code data[off..off+len)}; {@code len <= MAX_BYTES}.
     */
    void apply(byte[] iv, byte[] data, int off, int len) {
        int blocks = (len + 15) >>> 4;
        make(iv, blocks);
        for (int i = 0; i < len; i++) {
            data[off + i] ^= keystream[i];
        }
    }

    /** Copies {@code len} bytes of keystream for {@code iv} into {@code out} (key derivation, tests). */
    void keystream(byte[] iv, byte[] out, int len) {
        make(iv, (len + 15) >>> 4);
        System.arraycopy(keystream, 0, out, 0, len);
    }

    private void make(byte[] iv, int blocks) {
        for (int j = 0; j < blocks; j++) {
            int b = j << 4;
            System.arraycopy(iv, 0, counters, b, 14);
            counters[b + 14] = (byte) (iv[14] ^ (j >>> 8));
            counters[b + 15] = (byte) (iv[15] ^ j);
        }
        try {
            aes.update(counters, 0, blocks << 4, keystream, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB update failed", e); // a short buffer: a bug here
        }
    }
}
