package org.tandem.gateway.srtp;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (RFC 2104) over preallocated pads: {@code javax.crypto.Mac.doFinal} returns a new
 * array each time, this writes into the caller's. Checked against {@code Mac("HmacSHA1")} in the
 * tests.
 */
final class HmacSha1 {
    static final int LENGTH = 20;
    private static final int BLOCK = 64;

    private final MessageDigest sha1;
    private final byte[] ipad = new byte[BLOCK];
    private final byte[] opad = new byte[BLOCK];
    private final byte[] inner = new byte[LENGTH];

    HmacSha1(byte[] key, int keyLength) {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available in this JDK", e);
        }
        if (keyLength > BLOCK) {
            throw new IllegalArgumentException("HMAC key longer than a block");
        }
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < keyLength ? key[i] : 0;
            ipad[i] = (byte) (k ^ 0x36);
            opad[i] = (byte) (k ^ 0x5c);
        }
    }

    /** Starts a MAC: then {@link #update} the message, then {@link #finish}. */
    void start() {
        sha1.reset();
        sha1.update(ipad, 0, BLOCK);
    }

    void update(byte[] data, int off, int len) {
        sha1.update(data, off, len);
    }

    /** Writes the 20-byte MAC at {@code out[off]}. */
    void finish(byte[] out, int off) {
        try {
            sha1.digest(inner, 0, LENGTH);
            sha1.update(opad, 0, BLOCK);
            sha1.update(inner, 0, LENGTH);
            sha1.digest(out, off, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-1 digest failed", e); // a short buffer: a bug here
        }
    }
}
