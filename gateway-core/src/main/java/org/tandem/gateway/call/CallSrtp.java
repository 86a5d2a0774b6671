package org.tandem.gateway.call;

import java.security.SecureRandom;
import org.tandem.config.SipConfig;
import org.tandem.config.TrunkConfig;
import org.tandem.gateway.sdp.SrtpPolicy;
import org.tandem.gateway.srtp.SrtpProfile;

/**
 * The SRTP policy of one call (docs/SIP.md "SRTP"): from the trunk's {@code srtp} key and whether
 * the SDP travels over TLS, with fresh master keys from {@link SecureRandom} for each call (one
 * per offered suite; the answer's key is the one of the suite answered). Runs on call control.
 */
final class CallSrtp {
    private static final SecureRandom RANDOM = new SecureRandom();

    private CallSrtp() {
    }

    /**
     * An INVITE received over {@code transport}: over TLS an offer with a=crypto is answered
     * (RTP/SAVP always, RTP/AVP best effort unless the trunk says {@code srtp = off}); a trunk with
     * {@code srtp = require} gets 488 without one. Over UDP/TCP no key is sent or taken.
     */
    static SrtpPolicy incoming(String transport, TrunkConfig trunk) {
        boolean tls = "tls".equalsIgnoreCase(transport);
        SrtpPolicy.Mode mode = trunk == null ? SrtpPolicy.Mode.OFFER : mode(trunk.srtp());
        return tls ? withKeys(mode) : new SrtpPolicy(mode, false, null, null);
    }

    /** Our INVITE to {@code trunk} (null: a URI or a registered user: no SRTP offered). */
    static SrtpPolicy outgoing(TrunkConfig trunk) {
        if (trunk == null || trunk.srtp() == TrunkConfig.Srtp.OFF || trunk.transport() != SipConfig.Transport.TLS) {
            return SrtpPolicy.NONE;
        }
        return withKeys(mode(trunk.srtp()));
    }

    private static SrtpPolicy withKeys(SrtpPolicy.Mode mode) {
        byte[] k80 = new byte[SrtpProfile.KEY_SALT_LENGTH];
        byte[] k32 = new byte[SrtpProfile.KEY_SALT_LENGTH];
        RANDOM.nextBytes(k80);
        RANDOM.nextBytes(k32);
        return new SrtpPolicy(mode, true, k80, k32);
    }

    private static SrtpPolicy.Mode mode(TrunkConfig.Srtp s) {
        return switch (s) {
            case OFF -> SrtpPolicy.Mode.OFF;
            case OFFER -> SrtpPolicy.Mode.OFFER;
            case REQUIRE -> SrtpPolicy.Mode.REQUIRE;
        };
    }
}
