package org.tandem.gateway.registrar;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.tandem.config.RegistrarConfig;
import org.tandem.config.UserConfig;
import org.tandem.gateway.interwork.DigestAuth;

/**
 * Step 3 of RFC 3261 10.3: who sent this REGISTER. HTTP digest with qop=auth (RFC 3261 22.4,
 * RFC 7616, RFC 8760), MD5 and SHA-256; runs on the registrar thread.
 *
 * <p>Every failure is answered alike: 401 with fresh challenges. An unknown username, a wrong
 * password and a malformed answer get the same headers, and the unknown user costs the same
 * digest computation (against a dummy password), so a scanner learns nothing about which users
 * exist (issue 13). Only a right answer with a nonce we no longer accept (expired, issued before
 * a restart, or an nc that did not grow: a replay) gets {@code stale=true}, which tells the phone
 * to answer the new nonce without asking its user, and tells an attacker nothing he did not know.
 *
 * <p>Nonces are self-verifying ({@link DigestAuth#newNonce(byte[], long)}): a challenge costs no
 * memory, so a flood of unauthenticated REGISTERs cannot grow state. The last nc of a nonce is
 * remembered only after a right answer, so only holders of a password add entries.
 */
public final class RegisterAuthenticator {
    /** How long a nonce is accepted; a phone refreshing later gets stale=true and a new one. */
    public static final long NONCE_LIFETIME_S = 300;
    /** Bound on remembered nonce counts (only users with their password add to it). */
    static final int MAX_TRACKED_NONCES = 4096;
    /** The password an unknown user is checked against, so it costs what a known one costs. */
    private static final String DUMMY_PASSWORD = "unknown-user-dummy-password";

    /** What authentication concluded. */
    public enum Outcome {
        /** The request is from {@link Result#user()}. */
        AUTHENTICATED,
        /** No Digest credentials for our realm: the first REGISTER of every phone. */
        NO_CREDENTIALS,
        /** Wrong password, unknown user, malformed answer, an algorithm we do not offer. */
        REJECTED,
        /** Right answer to a nonce we no longer accept. */
        STALE
    }

    /**
     * @param user the authenticated user (AUTHENTICATED only)
     * @param challenges WWW-Authenticate values for the 401 (all outcomes but AUTHENTICATED)
     * @param detail for the log (never for the wire): why, naming the username tried
     */
    public record Result(Outcome outcome, UserConfig user, List<String> challenges, String detail) {
        public boolean authenticated() {
            return outcome == Outcome.AUTHENTICATED;
        }
    }

    private record Seen(long issuedAtS, long nc) {
    }

    private final String realm;
    private final List<String> algorithms;
    private final UserDirectory users;
    private final byte[] nonceKey;
    /** Nonce -> last nc answered correctly, oldest first (registrar thread only). */
    private final Map<String, Seen> seen = new LinkedHashMap<>();

    /** With a fresh random nonce key: nonces of an earlier run are stale after a restart. */
    public RegisterAuthenticator(RegistrarConfig config, UserDirectory users) {
        this(config.realm(), config.algorithms(), users, randomKey());
    }

    RegisterAuthenticator(String realm, List<RegistrarConfig.DigestAlgorithm> algorithms, UserDirectory users,
            byte[] nonceKey) {
        this.realm = Objects.requireNonNull(realm, "realm");
        this.algorithms = algorithms.stream().map(RegistrarConfig.DigestAlgorithm::sipName).toList();
        if (this.algorithms.isEmpty()) {
            throw new IllegalArgumentException("no digest algorithm to offer");
        }
        this.users = users;
        this.nonceKey = nonceKey.clone();
    }

    /**
     * Judges the Authorization values of a request.
     *
     * @param authorizations every Authorization header value; the one for our realm is used
     *     (RFC 3261 22.4: a request may carry one per realm)
     */
    public Result authenticate(List<String> authorizations, String method, long nowMillis) {
        long nowS = Math.floorDiv(nowMillis, 1000);
        forgetOld(nowS);
        DigestAuth.Credentials cr = ours(authorizations);
        if (cr == null) {
            return challenge(Outcome.NO_CREDENTIALS, nowS, "no Digest credentials for realm " + realm);
        }
        String username = cr.get("username");
        Optional<UserConfig> user = users.byName(username);
        String password = user.map(u -> u.password().value()).orElse(DUMMY_PASSWORD);
        DigestAuth.Verdict verdict = DigestAuth.verifyQopAuth(cr, method, realm, password);
        String algorithm = cr.get("algorithm") == null ? "MD5" : cr.get("algorithm");
        if (user.isEmpty()) {
            return challenge(Outcome.REJECTED, nowS, "unknown user '" + username + "'");
        }
        if (verdict != DigestAuth.Verdict.VALID) {
            return challenge(Outcome.REJECTED, nowS, (verdict == DigestAuth.Verdict.MALFORMED
                    ? "malformed credentials" : "wrong password or digest") + " of user " + username);
        }
        if (algorithms.stream().noneMatch(algorithm::equalsIgnoreCase)) {
            return challenge(Outcome.REJECTED, nowS, "user " + username + " answered with " + algorithm
                    + ", which is not offered (" + String.join(", ", algorithms) + ")");
        }
        String nonce = cr.get("nonce");
        long issued = DigestAuth.nonceIssuedAt(nonceKey, nonce);
        if (issued < 0 || nowS - issued > NONCE_LIFETIME_S || issued > nowS + 60) {
            return challenge(Outcome.STALE, nowS, "user " + username + " answered a nonce that is "
                    + (issued < 0 ? "not one of this run's" : "expired"));
        }
        long nc = DigestAuth.nonceCount(cr);
        Seen last = seen.get(nonce);
        if (last != null && nc <= last.nc()) {
            return challenge(Outcome.STALE, nowS, "user " + username + " sent nc " + nc + " for a nonce last"
                    + " used with nc " + last.nc() + " (a replay, or a phone that reuses nc)");
        }
        seen.remove(nonce);
        seen.put(nonce, new Seen(issued, nc));
        while (seen.size() > MAX_TRACKED_NONCES) {
            Iterator<String> it = seen.keySet().iterator();
            it.next();
            it.remove();
        }
        return new Result(Outcome.AUTHENTICATED, user.get(), List.of(), "user " + username);
    }

    /** Fresh challenges, one per algorithm, most preferred first (RFC 8760 section 2.4). */
    public List<String> challenges(long nowMillis, boolean stale) {
        String nonce = DigestAuth.newNonce(nonceKey, Math.floorDiv(nowMillis, 1000));
        List<String> out = new ArrayList<>();
        for (String a : algorithms) {
            out.add(DigestAuth.challenge(realm, nonce, a, stale));
        }
        return List.copyOf(out);
    }

    /** How many nonces' counts are remembered (bounded by {@link #MAX_TRACKED_NONCES}). */
    int trackedNonces() {
        return seen.size();
    }

    private Result challenge(Outcome outcome, long nowS, String detail) {
        return new Result(outcome, null, challenges(nowS * 1000, outcome == Outcome.STALE), detail);
    }

    private DigestAuth.Credentials ours(List<String> authorizations) {
        for (String value : authorizations) {
            try {
                DigestAuth.Credentials cr = DigestAuth.parseCredentials(value);
                if (realm.equals(cr.get("realm"))) {
                    return cr;
                }
            } catch (IllegalArgumentException notDigest) {
                // Basic or another scheme: not an answer to our challenge (RFC 3261 22.1 forbids Basic)
            }
        }
        return null;
    }

    private void forgetOld(long nowS) {
        for (Iterator<Seen> it = seen.values().iterator(); it.hasNext();) {
            if (nowS - it.next().issuedAtS() <= NONCE_LIFETIME_S) {
                break;
            }
            it.remove();
        }
    }

    private static byte[] randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }
}
