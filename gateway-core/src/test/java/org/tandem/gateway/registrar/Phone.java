package org.tandem.gateway.registrar;

import java.util.ArrayList;
import java.util.List;
import org.tandem.gateway.interwork.DigestAuth;

/**
 * A phone for registrar tests: builds REGISTERs as a UA would (one Call-ID, CSeq counting up,
 * RFC 3261 10.2) and answers the registrar's digest challenge with its own password.
 */
final class Phone {
    final String user;
    String password;
    String domain = "pbx.example.net";
    String toUser;
    String callId;
    long cseq;
    Flow source = new Flow("udp", "198.51.100.7", 40212);
    List<String> path = List.of();
    boolean supportsPath;
    String algorithm = "SHA-256";
    /** The last challenge received, answered by the next request. */
    private DigestAuth.Challenge challenge;
    private int nc;

    Phone(String user, String password) {
        this.user = user;
        this.password = password;
        this.toUser = user;
        this.callId = "call-" + user + "@10.0.0.5";
    }

    /** A REGISTER with these Contacts and Expires header (null: none). */
    RegisterRequest register(String expires, RequestContact... contacts) {
        return request(expires, false, contacts);
    }

    RegisterRequest unregisterAll() {
        return request("0", true);
    }

    RegisterRequest request(String expires, boolean star, RequestContact... contacts) {
        cseq++;
        List<String> auth = new ArrayList<>();
        if (challenge != null) {
            nc++;
            auth.add(DigestAuth.authorize(challenge, "REGISTER", "sip:" + domain, user, password, nc));
        }
        return new RegisterRequest(domain, toUser, domain, auth, callId, cseq, expires, star, List.of(contacts),
                path, supportsPath, source, "TestPhone/1.0");
    }

    /**
     * Sends {@code request}; on 401 takes the challenge of its algorithm (as a UA picks the first
     * it supports, RFC 8760 2.4) and sends the request again with credentials, as a UA does.
     */
    RegisterResponse send(Registrar registrar, java.util.function.Supplier<RegisterRequest> request) {
        RegisterResponse r = registrar.handle(request.get());
        if (r.status() == 401) {
            take(r);
            r = registrar.handle(request.get());
        }
        return r;
    }

    /** Takes the challenge of this phone's algorithm from a 401. */
    void take(RegisterResponse r) {
        challenge = r.challenges().stream().map(DigestAuth::parseChallenge)
                .filter(c -> c.algorithm().equalsIgnoreCase(algorithm)).findFirst().orElseThrow();
        nc = 0;
    }

    static RequestContact contact(String uri, String expires, String q) {
        return new RequestContact(uri, expires, q);
    }
}
