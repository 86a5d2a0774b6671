package org.tandem.gateway.presence;

import java.util.List;
import org.tandem.gateway.registrar.Flow;

/**
 * A NOTIFY to send, as plain values: the SIP side builds it in the subscription's dialog
 * (RFC 6665 4.2.2) and reports its final response to {@link PresenceService#notifyAnswered}.
 *
 * @param subscriptionId ours; comes back with the response
 * @param target the Request-URI: the subscriber's Contact
 * @param from the SUBSCRIBE's To address and {@code localTag}; to its From and {@code remoteTag}
 * @param route the route set (the SUBSCRIBE's Record-Route values in order)
 * @param flow where the subscription's last SUBSCRIBE came from: without a route set the NOTIFY
 *     goes there (behind NAT the Contact may be unreachable; over TCP it is the connection)
 * @param event the Event header value ({@code dialog}, {@code presence;id=x})
 * @param subscriptionState the Subscription-State value ({@code active;expires=N},
 *     {@code terminated;reason=timeout})
 * @param eventPackage what the body is
 * @param body the document
 */
public record NotifyRequest(long subscriptionId, String callId, long cseq, String target, String from,
        String localTag, String to, String remoteTag, List<String> route, Flow flow, String transport, String event,
        String subscriptionState, EventPackage eventPackage, String body) {

    public NotifyRequest {
        route = List.copyOf(route);
    }

    public boolean terminates() {
        return subscriptionState.startsWith("terminated");
    }
}
