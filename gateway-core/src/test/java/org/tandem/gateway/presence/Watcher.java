package org.tandem.gateway.presence;

import java.util.ArrayList;
import java.util.List;
import org.tandem.gateway.interwork.DigestAuth;
import org.tandem.gateway.registrar.Flow;

/**
 * A watcher for presence tests: builds SUBSCRIBEs as a UA would (one Call-ID, CSeq counting up,
 * the notifier's tag once it has one) and answers digest challenges with its own password.
 */
final class Watcher {
    final String user;
    String password;
    String callId;
    String fromTag;
    String toTag;
    String domain = "pbx.example.net";
    String resource;
    String event;
    String eventId;
    List<String> accept = List.of();
    String contact;
    Flow source = new Flow("udp", "198.51.100.9", 5062);
    long cseq;
    private DigestAuth.Challenge challenge;
    private int nc;

    Watcher(String user, String password, String resource, String event) {
        this.user = user;
        this.password = password;
        this.resource = resource;
        this.event = event;
        this.callId = "sub-" + user + "-" + resource + "-" + event + "@198.51.100.9";
        this.fromTag = "w" + user;
        this.contact = "sip:" + user + "@198.51.100.9:5062";
    }

    SubscribeRequest subscribe(String expires) {
        cseq++;
        List<String> auth = new ArrayList<>();
        if (challenge != null) {
            nc++;
            auth.add(DigestAuth.authorize(challenge, "SUBSCRIBE", "sip:" + resource + "@" + domain, user, password, nc));
        }
        return new SubscribeRequest(resource, domain, event, eventId, accept, expires, auth, callId, cseq, fromTag,
                toTag, "<sip:" + user + "@" + domain + ">", "<sip:" + resource + "@" + domain + ">", contact,
                List.of("<sip:proxy.example.net;lr>"), source);
    }

    /** Sends a SUBSCRIBE; on 401 takes the MD5 challenge and sends it again with credentials. */
    SubscriptionManager.Handled send(SubscriptionManager m, String expires, long now, LineIndex index) {
        SubscriptionManager.Handled h = m.handle(subscribe(expires), now, index);
        if (h.response().status() == 401) {
            take(h.response());
            h = m.handle(subscribe(expires), now, index);
        }
        if (h.response().status() == 200 && toTag == null && h.response().localTag() != null) {
            toTag = h.response().localTag();
        }
        return h;
    }

    void take(SubscribeResponse r) {
        challenge = r.challenges().stream().map(DigestAuth::parseChallenge)
                .filter(c -> c.algorithm().equalsIgnoreCase("MD5")).findFirst().orElseThrow();
        nc = 0;
    }
}
