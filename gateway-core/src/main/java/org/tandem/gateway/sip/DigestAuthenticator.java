package org.tandem.gateway.sip;

import static org.tandem.gateway.sip.stack.SipMessages.callId;
import static org.tandem.gateway.sip.stack.SipMessages.headerValue;

import java.net.InetSocketAddress;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
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
import org.tandem.gateway.registrar.RegisterAuthenticator;
import org.tandem.gateway.security.SourceLockout;
import org.tandem.gateway.sip.stack.SipResponder;

/**
 * UAS digest authentication of INVITEs from sources that are not trusted trunks (RFC 3261 22.2):
 * checks Authorization against the configured users, or challenges with 401.
 *
 * <p>With {@code [user NAME]} phones (a registrar runs) the phones' INVITEs are judged as their
 * REGISTERs are: a {@link RegisterAuthenticator} of their own (qop=auth, the registrar's realm and
 * algorithms, self-verifying nonces, nc replay check), and every failure, known user or not, gets
 * the same 401 with fresh challenges, so an INVITE cannot tell which users exist (docs/SIP.md).
 * That authenticator is single-threaded; the stack's workers take its monitor for the
 * microseconds of one digest check. Without phones, the older users map of {@link SipSettings}
 * applies (below). Owns the store of
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
    /** The phones' authenticator (null without [user NAME]); guarded by its own monitor. */
    private final RegisterAuthenticator phones;

    /** Where phones' failures are reported; null without phones. */
    private final SourceLockout lockout;

    DigestAuthenticator(SipSettings settings, SipResponder responder, RegisterAuthenticator phones,
            SourceLockout lockout) {
        this.settings = settings;
        this.responder = responder;
        this.phones = phones;
        this.lockout = lockout;
    }

    /** Whether anyone could authenticate: without users an untrusted INVITE is refused with 403. */
    boolean hasUsers() {
        return phones != null || !settings.users().isEmpty();
    }

    /** UAS digest authentication (RFC 3261 22.2). Returns the user, or null after answering 401/403. */
    String authenticate(ServerTransaction st, Request req, InetSocketAddress source, String transport)
            throws SipException, ParseException, InvalidArgumentException {
        if (phones != null) {
            return authenticatePhone(st, req, source, transport);
        }
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

    private String authenticatePhone(ServerTransaction st, Request req, InetSocketAddress source, String transport)
            throws SipException, ParseException, InvalidArgumentException {
        List<String> authorizations = new ArrayList<>();
        for (ListIterator<?> it = req.getHeaders("Authorization"); it.hasNext();) {
            authorizations.add(headerValue((Header) it.next()));
        }
        RegisterAuthenticator.Result result;
        // Judged and counted under one monitor: INVITEs of a guesser that were already on the
        // workers when its fifth failure locked it out are dropped here, not judged (one of them
        // may hold the right password).
        synchronized (phones) {
            if (lockout != null && lockout.isLockedOut(source.getAddress())) {
                return null; // no answer, as at the gate
            }
            result = phones.authenticate(authorizations, Request.INVITE, System.currentTimeMillis());
            if (result.outcome() == RegisterAuthenticator.Outcome.REJECTED && lockout != null) {
                // One line per failure with the source first: what an operator (or fail2ban) reads.
                lockout.failure(source.getAddress(), source.getPort(), transport, "INVITE",
                        result.detail() + " (Call-ID " + callId(req) + ", " + req.getRequestURI() + ")");
            }
        }
        if (result.authenticated()) {
            return result.user().name();
        }
        if (result.outcome() == RegisterAuthenticator.Outcome.REJECTED && lockout == null) {
            LOG.warn("401 to INVITE from {}:{}/{} for {} (Call-ID {}): authentication failed: {}",
                    source.getAddress().getHostAddress(), source.getPort(), transport, req.getRequestURI(),
                    callId(req), result.detail());
        } else if (result.outcome() != RegisterAuthenticator.Outcome.REJECTED) {
            LOG.debug("401 to INVITE from {}:{}/{} (Call-ID {}): {}", source.getAddress().getHostAddress(),
                    source.getPort(), transport, callId(req), result.detail());
        }
        Response r = responder.messages().createResponse(Response.UNAUTHORIZED, req);
        for (String c : result.challenges()) {
            r.addHeader(responder.headers().createHeader("WWW-Authenticate", c));
        }
        responder.addToTag(r, null);
        st.sendResponse(r);
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
