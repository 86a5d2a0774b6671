package org.tandem.gateway.sdp;

import java.util.Arrays;
import org.tandem.gateway.srtp.SrtpProfile;

/**
 * The SRTP agreed by one offer/answer: the suite and the two master keys (RFC 4568 6.1: each
 * side encrypts what it sends with the key it put in its own SDP).
 *
 * @param sendKey our key||salt (what we protect with)
 * @param receiveKey the peer's key||salt (what we unprotect with)
 */
public record SrtpKeys(SrtpProfile profile, byte[] sendKey, byte[] receiveKey) {
    /** Same suite and keys: the media need not be re-keyed. */
    public boolean sameAs(SrtpKeys o) {
        return o != null && o.profile == profile && Arrays.equals(o.sendKey, sendKey)
                && Arrays.equals(o.receiveKey, receiveKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SrtpKeys k && sameAs(k);
    }

    @Override
    public int hashCode() {
        return profile.hashCode();
    }

    @Override
    public String toString() {
        return "SrtpKeys[" + profile + "]"; // never the keys
    }
}
