package org.tandem.gateway.sdp;

import org.tandem.gateway.srtp.SrtpProfile;

/**
 * What one call does about SRTP (docs/SIP.md "SRTP").
 *
 * @param mode OFF: we offer RTP/AVP without keys (an RTP/SAVP offer is still answered when
 *             signalling is secure); OFFER: RTP/AVP with a=crypto ("best effort", SRTP when the
 *             peer answers a key); REQUIRE: RTP/SAVP, and no SRTP means 488
 * @param secureSignalling the SDP travels over TLS: without it, keys are never sent nor accepted
 *                         (RFC 4568 8.3) and an RTP/SAVP offer gets 488
 * @param key80 our master key||salt for AES_CM_128_HMAC_SHA1_80 (and for whatever suite we
 *              answer), fresh per call from SecureRandom; null when keys are not sent
 * @param key32 our master key||salt for AES_CM_128_HMAC_SHA1_32 in our offers
 */
public record SrtpPolicy(Mode mode, boolean secureSignalling, byte[] key80, byte[] key32) {
    /** No SRTP, signalling in the clear. */
    public static final SrtpPolicy NONE = new SrtpPolicy(Mode.OFF, false, null, null);

    public enum Mode {
        OFF, OFFER, REQUIRE
    }

    public SrtpPolicy {
        if (secureSignalling && (key80 == null || key32 == null)) {
            throw new IllegalArgumentException("secure signalling needs our SRTP keys");
        }
    }

    /** Our key for a suite. */
    byte[] keyFor(SrtpProfile p) {
        return p == SrtpProfile.AES_CM_128_HMAC_SHA1_32 ? key32 : key80;
    }

    /** True when our offers carry a=crypto. */
    boolean offersKeys() {
        return secureSignalling && mode != Mode.OFF;
    }

    @Override
    public String toString() {
        return "SrtpPolicy[" + mode + (secureSignalling ? ", tls" : ", clear") + "]"; // never the keys
    }
}
