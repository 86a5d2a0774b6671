package org.tandem.gateway.presence;

import java.util.List;

/**
 * The answer to a SUBSCRIBE, as plain values the SIP side writes into the response.
 *
 * @param localTag our To tag (the subscription's, for a 200), or null for a fresh one
 * @param expiresS the Expires header of a 200 (the granted duration), or -1 for none
 * @param challenges WWW-Authenticate values of a 401
 * @param minExpiresS Min-Expires of a 423, retryAfterS Retry-After of a 503 (0: none)
 * @param allowEvents the Allow-Events value of a 489, or null
 */
public record SubscribeResponse(int status, String reason, String localTag, long expiresS, List<String> challenges,
        long minExpiresS, long retryAfterS, String allowEvents) {

    public SubscribeResponse {
        challenges = List.copyOf(challenges);
    }

    static SubscribeResponse refuse(int status, String reason) {
        return new SubscribeResponse(status, reason, null, -1, List.of(), 0, 0, null);
    }

    static SubscribeResponse ok(String localTag, long expiresS) {
        return new SubscribeResponse(200, "OK", localTag, expiresS, List.of(), 0, 0, null);
    }
}
