package org.tandem.gateway.presence;

import java.util.List;
import java.util.Objects;
import org.tandem.gateway.registrar.Flow;

/**
 * A SUBSCRIBE as plain values (the SIP side reads them from the JAIN-SIP request).
 *
 * @param requestUriUser the Request-URI's user part, unescaped: the resource (a user's NAME or
 *     number, or a PSTN number); null when it has none
 * @param requestUriHost the Request-URI's host: must be a domain we serve
 * @param event the Event header's package token, or null without an Event header
 * @param eventId the Event header's {@code id} parameter, or null
 * @param accept the Accept header's media types ({@code type/subtype}, lower case); empty when absent
 * @param expires the Expires header as written, or null
 * @param authorizations every Authorization header value
 * @param fromTag the subscriber's tag (From), toTag ours (To; null on an initial SUBSCRIBE)
 * @param subscriberUri the From address ({@code <sip:...>}, as written) and resourceUri the To
 *     address: NOTIFY turns them round
 * @param contact the Contact URI (the subscriber's remote target), or null
 * @param recordRoute the Record-Route values in order: the route set of our NOTIFYs (RFC 3261 12.1.1)
 * @param flow where the request came from
 */
public record SubscribeRequest(String requestUriUser, String requestUriHost, String event, String eventId,
        List<String> accept, String expires, List<String> authorizations, String callId, long cseq,
        String fromTag, String toTag, String subscriberUri, String resourceUri, String contact,
        List<String> recordRoute, Flow flow) {

    public SubscribeRequest {
        accept = List.copyOf(accept);
        authorizations = List.copyOf(authorizations);
        recordRoute = List.copyOf(recordRoute);
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(flow, "flow");
    }

    public boolean initial() {
        return toTag == null;
    }
}
