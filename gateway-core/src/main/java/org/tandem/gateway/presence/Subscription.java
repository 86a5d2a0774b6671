package org.tandem.gateway.presence;

import java.util.List;
import org.tandem.gateway.registrar.Flow;

/**
 * One subscription: its dialog (RFC 6665 4.1.2: Call-ID, our tag, the subscriber's tag, remote
 * target, route set), what it watches, until when, and what the last NOTIFY said. Owned by the
 * presence thread; mutable there and nowhere else.
 */
final class Subscription {
    final long id;
    final String subscriber;
    final EventPackage eventPackage;
    final String eventId;
    final Resource resource;
    final String callId;
    final String localTag;
    final String remoteTag;
    final String subscriberUri;
    final String resourceUri;
    final List<String> route;
    final String transport;
    String target;
    /** Where the last SUBSCRIBE of this dialog came from; NOTIFYs go there. */
    Flow flow;
    long expiresAtMillis;
    long nextCseq = 1;
    /** The dialog-info version of the next document (RFC 4235 4.1.1: 0 first, then +1 each). */
    long nextVersion;
    /** CSeq of the NOTIFY waiting for its final response, or -1. */
    long pendingCseq = -1;
    /** When the last NOTIFY was sent (the packages' rate limits count from it). */
    long lastNotifyMillis;
    /** State key of the last NOTIFY sent, or null before the first. */
    String lastKey;
    /** Calls the last dialog document showed not terminated: the next one shows them terminated once. */
    List<LineDialog> shown = List.of();

    Subscription(long id, String subscriber, EventPackage eventPackage, String eventId, Resource resource,
            String callId, String localTag, String remoteTag, String subscriberUri, String resourceUri,
            List<String> route, Flow flow, String target, long expiresAtMillis) {
        this.id = id;
        this.subscriber = subscriber;
        this.eventPackage = eventPackage;
        this.eventId = eventId;
        this.resource = resource;
        this.callId = callId;
        this.localTag = localTag;
        this.remoteTag = remoteTag;
        this.subscriberUri = subscriberUri;
        this.resourceUri = resourceUri;
        this.route = List.copyOf(route);
        this.flow = flow;
        this.transport = flow.transport();
        this.target = target;
        this.expiresAtMillis = expiresAtMillis;
    }

    /** The dialog's identity: Call-ID and our tag (the subscriber's tag is checked too). */
    static String dialogKey(String callId, String localTag) {
        return callId + "\u0000" + localTag;
    }

    String dialogKey() {
        return dialogKey(callId, localTag);
    }

    long remainingSeconds(long nowMillis) {
        long ms = expiresAtMillis - nowMillis;
        return ms <= 0 ? 0 : (ms + 999) / 1000;
    }

    @Override
    public String toString() {
        return "subscription " + id + " of " + subscriber + " to " + eventPackage.token() + " of " + resource.entity();
    }
}
