package org.tandem.gateway.sip;

import static org.tandem.gateway.sip.stack.SipMessages.callId;
import static org.tandem.gateway.sip.stack.SipMessages.headerValue;

import java.net.InetSocketAddress;
import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.Header;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.interwork.DigestAuth;
import org.tandem.gateway.sip.stack.SipResponder;

/**
 * UAS digest authentication of INVITEs from sources that are not trusted trunks (RFC 3261 22.2):
 * checks Authorization against the configured users, or challenges with 401. Owns the store of
 * nonces it issued, bounded in size (10,000) and age (5 minutes), so a flood of
 * unanswered challenges cannot grow the heap. The digest arithmetic is
 * {@link org.tandem.gateway.interwork.DigestAuth}'s; answering a trunk's challenge to our own
 * INVITE (the UAC side) is {@link InviteClient}'s.
 *
 * <p>Threading: called by the stack's worker threads from {@link InviteServer}, before any leg
 * exists (no monitor held); the nonce store is a concurrent map.
 */
final class DigestAuthenticator {
    // Same logger as before the split, so log lines and logback settings read as they did.
    private static final Logger LOG = LoggerFactory.getLogger(SipUserAgent.class);
    private static final int MAX_NONCES = 10_000;
    private static final long NONCE_LIFETIME_MS = 5 * 60_000L;

    private final SipSettings settings;
    private final SipResponder responder;
    private final Map<String, Long> issuedNonces = new ConcurrentHashMap<>();

    DigestAuthenticator(SipSettings settings, SipResponder responder) {
        this.settings = settings;
        this.responder = responder;
    }

    /** UAS digest authentication (RFC 3261 22.2). Returns the user, or null after answering 401/403. */
    String authenticate(ServerTransaction st, Request req, InetSocketAddress source, String transport)
            throws SipException, ParseException, InvalidArgumentException {
        Header auth = req.getHeader("Authorization");
        if (auth != null) {
            DigestAuth.Credentials cr;
            try {
                cr = DigestAuth.parseCredentials(headerValue(auth));
            } catch (IllegalArgumentException e) {
                cr = null;
            }
            String name = cr == null ? null : cr.get("username");
            String password = name == null ? null : settings.users().get(name);
            Long issued = cr == null || cr.get("nonce") == null ? null : issuedNonces.get(cr.get("nonce"));
            boolean fresh = issued != null && System.currentTimeMillis() - issued < NONCE_LIFETIME_MS;
            if (password != null && fresh && settings.authRealm().equals(cr.get("realm"))
                    && DigestAuth.verify(cr, Request.INVITE, password)) {
                return name;
            }
            if (password == null || !fresh) {
                if (!fresh && password != null) {
                    challenge(st, req); // stale or unknown nonce: challenge again
                    return null;
                }
            }
            LOG.warn("403 to INVITE from {}:{}/{} for {} (Call-ID {}): digest authentication failed for user {}",
                    source.getAddress().getHostAddress(), source.getPort(), transport, req.getRequestURI(),
                    callId(req), name);
            responder.reply(st, req, Response.FORBIDDEN, null, null);
            return null;
        }
        challenge(st, req);
        return null;
    }

    private void challenge(ServerTransaction st, Request req) throws SipException, ParseException, InvalidArgumentException {
        if (issuedNonces.size() >= MAX_NONCES) {
            long now = System.currentTimeMillis();
            issuedNonces.values().removeIf(t -> now - t > NONCE_LIFETIME_MS);
            if (issuedNonces.size() >= MAX_NONCES) {
                responder.reply(st, req, Response.SERVICE_UNAVAILABLE, null, null);
                return;
            }
        }
        String nonce = DigestAuth.newNonce();
        issuedNonces.put(nonce, System.currentTimeMillis());
        Response r = responder.messages().createResponse(Response.UNAUTHORIZED, req);
        r.addHeader(responder.headers().createHeader("WWW-Authenticate",
                DigestAuth.challenge(settings.authRealm(), nonce, "MD5")));
        responder.addToTag(r, null);
        st.sendResponse(r);
    }
}
