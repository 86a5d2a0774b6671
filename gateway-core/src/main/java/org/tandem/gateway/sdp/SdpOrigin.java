package org.tandem.gateway.sdp;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Our o= line for one call. RFC 3264 section 8: every new SDP we send in the dialog carries a
 * version one higher than the previous one (we always bump it; an unchanged description with a
 * higher version is allowed).
 */
public record SdpOrigin(String user, long sessionId, long version, String address) {
    public static SdpOrigin create(String address) {
        long id = ThreadLocalRandom.current().nextLong(1, Integer.MAX_VALUE);
        return new SdpOrigin("tandem", id, id, address);
    }

    public SdpOrigin next() {
        return new SdpOrigin(user, sessionId, version + 1, address);
    }
}
