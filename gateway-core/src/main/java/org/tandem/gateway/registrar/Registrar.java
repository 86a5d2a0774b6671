package org.tandem.gateway.registrar;

import org.tandem.gateway.security.SourceLockout;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.config.RegistrarConfig;
import org.tandem.config.UserConfig;

/**
 * The registrar: judges a REGISTER by RFC 3261 section 10.3, step by step, and commits the
 * outcome to the {@link LocationService}. Plain Java: the SIP side turns the JAIN-SIP request
 * into a {@link RegisterRequest} and sends the {@link RegisterResponse} it gets back.
 *
 * <p>Threading. One thread, the registrar thread, calls {@link #handle}, {@link #tick} and
 * {@link #close}; it owns this object, its {@link RegisterAuthenticator}, the
 * {@link LocationService} and the {@link BindingFile}. Other threads read
 * {@link LocationService#snapshot()} and {@link #counters()}.
 *
 * <p>Why each status (docs/REGISTRAR.md has the reasoning at length):
 * <ul>
 *   <li>404: the Request-URI names a domain we do not serve (step 1; RFC 3261 21.4.5 names 404
 *       for that). Decided before authentication, it says nothing about users.</li>
 *   <li>401: no, wrong or stale credentials, and also an unknown user: known and unknown users
 *       look the same ({@link RegisterAuthenticator}). Never 404 for a user.</li>
 *   <li>403: authenticated, but the To AOR is not this user's (step 4): another user's, nobody's,
 *       or of another domain; one status for all three, so users learn nothing of each other.
 *       Also for a REGISTER that alone carries more Contacts than {@code max_contacts}: it can
 *       never succeed, and 403 says "do not repeat" (21.4.4).</li>
 *   <li>400: {@code *} with other Contacts or a non-zero expiry (step 6), a Contact that is not a
 *       SIP URI, a malformed q-value.</li>
 *   <li>423 with Min-Expires: an interval below {@code min_expires_s} and below one hour (step 7).</li>
 *   <li>500: an update whose CSeq is not above the binding's from the same Call-ID (step 7:
 *       "the update MUST be aborted and the request fails"; failed updates get 500 by the same
 *       step). Nothing of the request is applied.</li>
 *   <li>503 with Retry-After: the Contacts fit {@code max_contacts} but not with the bindings
 *       the user already holds; Retry-After is when the first of those lapses, so a phone that
 *       rebooted onto a new port gets in once its stale binding is gone (Kamailio and OpenSIPS
 *       answer 503 here too).</li>
 * </ul>
 */
public final class Registrar {
    private static final Logger LOG = LoggerFactory.getLogger(Registrar.class);
    /** RFC 3261 10.3 step 7: 423 is allowed only for intervals below one hour. */
    private static final long ONE_HOUR_S = 3600;
    /** RFC 3261 10.2.1.1: values above 2^32-1 may be taken as 2^32-1 ... */
    private static final long MAX_DELTA_S = 4_294_967_295L;
    /** ... and malformed ones SHOULD be taken as 3600. */
    private static final long MALFORMED_EXPIRES_S = 3600;
    /** A burst of REGISTERs (a site's phones after a power cut) is saved once per this. */
    static final long SAVE_INTERVAL_MS = 1000;

    private final RegistrarConfig config;
    private final UserDirectory users;
    private final RegisterAuthenticator authenticator;
    private final LocationService location;
    private final BindingFile file;
    private final LongSupplier clockMillis;
    private final RegistrarCounters counters = new RegistrarCounters();
    private long lastSaveMillis = Long.MIN_VALUE / 2;

    /**
     * @param file where bindings are saved, or null to keep them in memory only
     * @param clockMillis epoch milliseconds; {@code System::currentTimeMillis} in production
     */
    /** Null in tests that only judge REGISTERs. */
    private final SourceLockout lockout;


    public Registrar(RegistrarConfig config, UserDirectory users, RegisterAuthenticator authenticator,
            LocationService location, BindingFile file, LongSupplier clockMillis) {
        this(config, users, authenticator, location, file, clockMillis, null);
    }

    /** @param lockout where authentication failures are reported (and logged), or null to only log them */
    public Registrar(RegistrarConfig config, UserDirectory users, RegisterAuthenticator authenticator,
            LocationService location, BindingFile file, LongSupplier clockMillis, SourceLockout lockout) {
        this.lockout = lockout;
        this.config = Objects.requireNonNull(config, "config");
        this.users = Objects.requireNonNull(users, "users");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.location = Objects.requireNonNull(location, "location");
        this.file = file;
        this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
    }

    public RegistrarCounters counters() {
        return counters;
    }

    public LocationService location() {
        return location;
    }

    /** Judges one REGISTER and commits what it changes (RFC 3261 10.3). */
    public RegisterResponse handle(RegisterRequest req) {
        long now = clockMillis.getAsLong();
        RegisterResponse r = judge(req, now);
        counters.add(r.status() == 401 ? counters.challenged : r.status() >= 300 ? counters.refused
                : req.star() || !req.contacts().isEmpty() ? counters.accepted : counters.queries, 1);
        return r;
    }

    private RegisterResponse judge(RegisterRequest req, long now) {
        // Step 1: the Request-URI must name a domain this registrar is responsible for. We are no
        // proxy, so we do not forward it; 404 is what RFC 3261 21.4.5 gives a foreign domain.
        if (!users.servesDomain(req.requestUriHost())) {
            LOG.info("REGISTER from {} for domain {}: not served (404)", req.source(), req.requestUriHost());
            return RegisterResponse.refuse(404, "Not Found");
        }
        // Step 2 (Require): the SIP side answers 420 for every request with an extension it lacks.
        // Step 3: authenticate. Every failure is 401, the same for unknown and known users.
        RegisterAuthenticator.Result auth = authenticator.authenticate(req.authorizations(), "REGISTER", now);
        if (!auth.authenticated()) {
            if (auth.outcome() == RegisterAuthenticator.Outcome.REJECTED) {
                counters.add(counters.authFailures, 1);
                if (lockout != null) {
                    lockout.failure(req.source().address(), req.source().port(), req.source().transport(),
                            "REGISTER", auth.detail());
                } else {
                    LOG.warn("REGISTER from {}: authentication failed: {} (401)", req.source(), auth.detail());
                }
            }
            return RegisterResponse.challenge(auth.challenges());
        }
        UserConfig user = auth.user();
        // Steps 4 and 5: the To AOR must be this user's (its NAME or a number it owns) in a domain
        // we serve. An AOR of another user, of nobody or of another domain is the same 403, so an
        // authenticated phone cannot map the other users either.
        boolean own = users.servesDomain(req.toHost())
                && users.byAorUser(req.toUser()).map(u -> u.name().equals(user.name())).orElse(false);
        if (!own) {
            LOG.warn("REGISTER from {}: user {} may not register {}@{} (403)", req.source(), user.name(),
                    req.toUser(), req.toHost());
            return RegisterResponse.refuse(403, "Forbidden");
        }
        List<Binding> current = location.bindingsOf(user.name(), now);
        // Step 6: "Contact: *" removes every binding, but only alone and with Expires: 0.
        if (req.star()) {
            return removeAll(req, user, current, now);
        }
        if (req.contacts().isEmpty()) {
            return ok(user, List.of(), req); // RFC 3261 10.2.3: a query for the current bindings
        }
        if (req.contacts().size() > user.maxContacts()) {
            LOG.warn("REGISTER from {}: user {} sent {} contacts, max_contacts is {} (403)", req.source(),
                    user.name(), req.contacts().size(), user.maxContacts());
            return RegisterResponse.refuse(403, "Too Many Contacts");
        }
        // Step 7: each Contact updates the bindings tentatively; all of them commit, or none.
        List<Binding> working = new ArrayList<>(current);
        List<ContactUri> seenInRequest = new ArrayList<>();
        long headerExpires = req.expires() == null ? config.defaultExpiresS() : deltaSeconds(req.expires());
        for (RequestContact c : req.contacts()) {
            ContactUri uri;
            try {
                uri = ContactUri.parse(c.uri());
            } catch (IllegalArgumentException e) {
                return RegisterResponse.refuse(400, "Bad Contact: " + e.getMessage());
            }
            int q = -1;
            if (c.q() != null) {
                q = QValue.parseMillis(c.q());
                if (q < 0) {
                    return RegisterResponse.refuse(400, "Bad q-value '" + c.q() + "' (RFC 3261 20.10: 0 to 1)");
                }
            }
            long expires = c.expires() == null ? headerExpires : deltaSeconds(c.expires());
            if (expires > 0 && expires < config.minExpiresS() && expires < ONE_HOUR_S) {
                return RegisterResponse.intervalTooBrief(config.minExpiresS());
            }
            expires = Math.min(expires, config.maxExpiresS()); // "The registrar MAY shorten" it
            // A URI given twice in one request: the later one wins, without a CSeq check against
            // the tentative binding the earlier one made.
            boolean repeated = seenInRequest.stream().anyMatch(uri::sameAs);
            seenInRequest.add(uri);
            int at = indexOf(working, uri);
            if (at >= 0 && !repeated) {
                Binding b = working.get(at);
                // Same Call-ID: only a higher CSeq may change it; an older or equal one is a
                // reordered or replayed REGISTER, and the whole request fails.
                if (b.callId().equals(req.callId()) && req.cseq() <= b.cseq()) {
                    LOG.warn("REGISTER from {}: user {} contact {}: CSeq {} is not above {} of Call-ID {} (500)",
                            req.source(), user.name(), c.uri(), req.cseq(), b.cseq(), req.callId());
                    return RegisterResponse.refuse(500, "Out Of Order CSeq");
                }
            }
            if (at >= 0) {
                working.remove(at); // updated below, or removed: expires 0
            }
            if (expires > 0) {
                working.add(new Binding(user.name(), c.uri(), q, now + expires * 1000, now, req.callId(),
                        req.cseq(), req.source(), req.path(), req.userAgent()));
            }
        }
        if (working.size() > user.maxContacts()) {
            long retry = current.stream().mapToLong(b -> b.remainingSeconds(now)).min().orElse(1);
            LOG.warn("REGISTER from {}: user {} would hold {} contacts, max_contacts is {} (503, retry in {} s)",
                    req.source(), user.name(), working.size(), user.maxContacts(), retry);
            return RegisterResponse.unavailable("Too Many Registered Contacts", Math.max(1, retry));
        }
        location.replace(user.name(), working);
        counters.add(counters.bindingsAdded, working.stream().filter(b -> indexOf(current, b.uri()) < 0).count());
        counters.add(counters.bindingsRemoved, current.stream().filter(b -> indexOf(working, b.uri()) < 0).count());
        LOG.info("REGISTER from {}: user {} now has {} contact(s)", req.source(), user.name(), working.size());
        // Step 8: 200 with every current binding and its remaining time.
        return ok(user, req.path(), req);
    }

    private RegisterResponse removeAll(RegisterRequest req, UserConfig user, List<Binding> current, long now) {
        if (!req.contacts().isEmpty() || req.expires() == null || deltaSeconds(req.expires()) != 0) {
            return RegisterResponse.refuse(400, "Contact * needs Expires: 0 and no other Contact");
        }
        for (Binding b : current) {
            if (b.callId().equals(req.callId()) && req.cseq() <= b.cseq()) {
                return RegisterResponse.refuse(500, "Out Of Order CSeq");
            }
        }
        location.replace(user.name(), List.of());
        counters.add(counters.bindingsRemoved, current.size());
        LOG.info("REGISTER from {}: user {} removed all {} contact(s)", req.source(), user.name(), current.size());
        return ok(user, List.of(), req);
    }

    private RegisterResponse ok(UserConfig user, List<String> path, RegisterRequest req) {
        long now = clockMillis.getAsLong();
        List<RegisterResponse.GrantedContact> contacts = location.bindingsOf(user.name(), now).stream()
                .map(b -> new RegisterResponse.GrantedContact(b.contactUri(), b.remainingSeconds(now), b.qMillis()))
                .toList();
        // RFC 3327 5.3: the Path goes back in the 200 only to a UA that said it supports path.
        return RegisterResponse.ok(contacts, req.supportsPath() ? path : List.of());
    }

    /**
     * Periodic work of the registrar thread (call it about once a second): drops lapsed bindings
     * and saves the bindings file when something changed and the last save is
     * {@link #SAVE_INTERVAL_MS} old. Returns the amount of work done (0: idle), agent style.
     */
    public int tick() {
        long now = clockMillis.getAsLong();
        int expired = location.expire(now);
        counters.add(counters.bindingsExpired, expired);
        int work = expired;
        if (file != null && location.dirty() && now - lastSaveMillis >= SAVE_INTERVAL_MS) {
            work += save(now) ? 1 : 0;
        }
        return work;
    }

    /** Saves now if anything changed (at shutdown). */
    public void close() {
        if (file != null && location.dirty()) {
            save(clockMillis.getAsLong());
        }
    }

    /**
     * Start-up: puts back the bindings of the last run. A file that cannot be read as bindings is
     * moved aside (so the next save does not destroy it) and the registrar starts empty: phones
     * register again within their interval, which is better than a gateway that will not start.
     */
    public BindingFile.Loaded restore() {
        if (file == null) {
            return new BindingFile.Loaded(List.of(), List.of(), 0);
        }
        BindingFile.Loaded loaded;
        try {
            loaded = file.load(clockMillis.getAsLong(), users);
        } catch (BindingFileException e) {
            LOG.error("{}; starting without registrations", e.getMessage());
            try {
                LOG.error("the unreadable bindings file is kept as {}", file.quarantine());
            } catch (java.io.IOException moveFailed) {
                LOG.error("could not move {} aside: {}", file.path(), moveFailed.toString());
            }
            return new BindingFile.Loaded(List.of(), List.of(e.getMessage()), 0);
        }
        loaded.skipped().forEach(s -> LOG.warn("bindings file {}: {}", file.path(), s));
        location.restore(loaded.bindings());
        LOG.info("restored {} binding(s) from {} ({} expired while down, {} skipped)", loaded.bindings().size(),
                file.path(), loaded.expired(), loaded.skipped().size());
        return loaded;
    }

    private boolean save(long now) {
        lastSaveMillis = now;
        try {
            file.save(location.all());
            location.markSaved();
            return true;
        } catch (java.io.IOException e) {
            counters.add(counters.saveFailures, 1);
            LOG.error("could not save bindings to {}: {} (retrying in {} ms)", file.path(), e.toString(),
                    SAVE_INTERVAL_MS);
            return false;
        }
    }

    private static int indexOf(List<Binding> bindings, ContactUri uri) {
        for (int i = 0; i < bindings.size(); i++) {
            if (bindings.get(i).sameContactAs(uri)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * An {@code expires} parameter or Expires header as RFC 3261 10.2.1.1 reads it: delta-seconds,
     * values above 2^32-1 as 2^32-1, anything malformed as 3600.
     */
    static long deltaSeconds(String text) {
        String t = text.strip();
        if (t.isEmpty() || !t.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return MALFORMED_EXPIRES_S;
        }
        String digits = t.replaceFirst("^0+(?=.)", "");
        return digits.length() > 10 ? MAX_DELTA_S : Math.min(Long.parseLong(digits), MAX_DELTA_S);
    }
}
