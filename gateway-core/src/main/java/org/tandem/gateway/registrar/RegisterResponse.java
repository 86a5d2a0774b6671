package org.tandem.gateway.registrar;

import java.util.List;
import java.util.Objects;

/**
 * The registrar's answer to a REGISTER, for the SIP side to send. Only the fields of the status
 * at hand are filled: {@code contacts} (and {@code path}) for 200, {@code challenges} for 401,
 * {@code minExpiresS} for 423, {@code retryAfterS} for 503.
 *
 * @param reason the reason phrase, saying what was wrong where the status alone does not
 * @param contacts 200: every current binding of the user, with {@code expires} left (10.3 step 8)
 * @param path 200: the Path to echo (RFC 3327 section 5.3), empty unless the UA supports path
 * @param challenges 401: WWW-Authenticate values, one per algorithm, most preferred first
 * @param minExpiresS 423: the Min-Expires header value
 * @param retryAfterS 503: the Retry-After header value
 */
public record RegisterResponse(int status, String reason, List<GrantedContact> contacts, List<String> path,
        List<String> challenges, long minExpiresS, long retryAfterS) {

    /** A Contact of the 200: {@code <uri>;expires=N[;q=0.x]}. */
    public record GrantedContact(String uri, long expiresS, int qMillis) {
        /** The header value as RFC 3261 10.3 step 8 wants it. */
        public String headerValue() {
            return "<" + uri + ">;expires=" + expiresS + (qMillis < 0 ? "" : ";q=" + QValue.format(qMillis));
        }
    }

    public RegisterResponse {
        Objects.requireNonNull(reason, "reason");
        contacts = List.copyOf(contacts);
        path = List.copyOf(path);
        challenges = List.copyOf(challenges);
    }

    static RegisterResponse ok(List<GrantedContact> contacts, List<String> path) {
        return new RegisterResponse(200, "OK", contacts, path, List.of(), 0, 0);
    }

    static RegisterResponse challenge(List<String> challenges) {
        return new RegisterResponse(401, "Unauthorized", List.of(), List.of(), challenges, 0, 0);
    }

    static RegisterResponse intervalTooBrief(long minExpiresS) {
        return new RegisterResponse(423, "Interval Too Brief", List.of(), List.of(), List.of(), minExpiresS, 0);
    }

    static RegisterResponse unavailable(String reason, long retryAfterS) {
        return new RegisterResponse(503, reason, List.of(), List.of(), List.of(), 0, retryAfterS);
    }

    static RegisterResponse refuse(int status, String reason) {
        return new RegisterResponse(status, reason, List.of(), List.of(), List.of(), 0, 0);
    }
}
