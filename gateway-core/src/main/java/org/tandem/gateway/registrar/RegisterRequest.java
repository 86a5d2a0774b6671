package org.tandem.gateway.registrar;

import java.util.List;
import java.util.Objects;

/**
 * What the registrar needs of a REGISTER, as plain values the SIP side extracts from the JAIN-SIP
 * request (so the RFC 3261 10.3 logic is tested without a SIP stack).
 *
 * @param requestUriHost host of the Request-URI: the domain being registered with (10.3 step 1)
 * @param toUser user part of the To URI (the address-of-record), unescaped; null when it has none
 * @param toHost host of the To URI
 * @param authorizations every Authorization header value, in order (one per realm at most)
 * @param callId the Call-ID
 * @param cseq the CSeq number
 * @param expires the Expires header value as written, or null when absent
 * @param star true when the request carries {@code Contact: *} (remove every binding)
 * @param contacts the other Contacts, in order; empty with {@code star}, or for a query
 * @param path the Path header values in order (RFC 3327), outermost proxy first
 * @param supportsPath true when the request's Supported header lists {@code path}
 * @param source where the request came from (RFC 3581 received/rport)
 * @param userAgent the User-Agent header, or null
 */
public record RegisterRequest(String requestUriHost, String toUser, String toHost, List<String> authorizations,
        String callId, long cseq, String expires, boolean star, List<RequestContact> contacts,
        List<String> path, boolean supportsPath, Flow source, String userAgent) {

    public RegisterRequest {
        Objects.requireNonNull(requestUriHost, "requestUriHost");
        Objects.requireNonNull(toHost, "toHost");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(source, "source");
        authorizations = List.copyOf(authorizations);
        contacts = List.copyOf(contacts);
        path = List.copyOf(path);
    }
}
