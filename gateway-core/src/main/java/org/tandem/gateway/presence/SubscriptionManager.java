package org.tandem.gateway.presence;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.config.PresenceConfig;
import org.tandem.config.UserConfig;
import org.tandem.gateway.registrar.RegisterAuthenticator;
import org.tandem.gateway.registrar.UserDirectory;
import org.tandem.gateway.security.SourceLockout;

/**
 * The notifier's rules (RFC 6665 section 4.2) for the dialog and presence packages: judges each
 * SUBSCRIBE, keeps the subscriptions, and decides every NOTIFY. Plain Java, one thread (the
 * presence thread) calls everything; the caller passes the clock and the {@link LineIndex} of the
 * moment.
 *
 * <p>Checks, in order (docs/PRESENCE.md says why each status):
 * <ol>
 *   <li>489 Bad Event (with Allow-Events) for a package we do not notify, or no Event header;</li>
 *   <li>404 for a Request-URI domain we do not serve (before authentication, like REGISTER);</li>
 *   <li>406 when Accept leaves out the package's body type;</li>
 *   <li>481 for a refresh (To tag) of a subscription we do not hold;</li>
 *   <li>401 unless digest credentials of a {@code [user NAME]} (RFC 7616 qop=auth, MD5/SHA-256, the
 *       registrar's realm; unknown users look like wrong passwords); a refresh by another user: 403;</li>
 *   <li>400 for a malformed Expires; 423 with Min-Expires below {@code min_expires_s} (0
 *       excepted); above {@code max_expires_s}: shortened;</li>
 *   <li>404 for a resource that is neither a user nor a number (presence: users only); 400 for a
 *       new SUBSCRIBE without Contact;</li>
 *   <li>503 with Retry-After beyond {@code max_subscriptions}; 403 beyond
 *       {@code max_subscriptions_per_user};</li>
 *   <li>200 with Expires, then at once a NOTIFY with the full state.</li>
 * </ol>
 * Any authenticated user may watch any user and any number: the busy-lamp field of a small site
 * shows every colleague. There is no per-user watch list.
 */
public final class SubscriptionManager {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionManager.class);
    /** RFC 3261 20.19: delta-seconds; larger values are taken as this before shortening. */
    private static final long MAX_DELTA_S = 4_294_967_295L;

    /** The answer to a SUBSCRIBE and the NOTIFYs to send after it (in this order). */
    public record Handled(SubscribeResponse response, List<NotifyRequest> notifies) {
        public Handled {
            notifies = List.copyOf(notifies);
        }

        static Handled of(SubscribeResponse response) {
            return new Handled(response, List.of());
        }
    }

    private final PresenceConfig config;
    private final UserDirectory users;
    private final RegisterAuthenticator authenticator;
    /** Where failed authentications go (the fail2ban line and the lockout); null: only logged. */
    private final SourceLockout lockout;
    private final PresenceCounters counters = new PresenceCounters();
    private final Map<Long, Subscription> byId = new LinkedHashMap<>();
    private final Map<String, Subscription> byDialog = new HashMap<>();
    private final Map<String, Integer> perUser = new HashMap<>();
    private final SecureRandom random = new SecureRandom();
    private long nextId = 1;

    public SubscriptionManager(PresenceConfig config, UserDirectory users, RegisterAuthenticator authenticator) {
        this(config, users, authenticator, null);
    }

    /** @param lockout where failed authentications are reported (thread-safe, shared), or null to only log them */
    public SubscriptionManager(PresenceConfig config, UserDirectory users, RegisterAuthenticator authenticator,
            SourceLockout lockout) {
        this.config = Objects.requireNonNull(config, "config");
        this.users = Objects.requireNonNull(users, "users");
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.lockout = lockout;
    }

    public PresenceCounters counters() {
        return counters;
    }

    /** Subscriptions held. */
    public int size() {
        return byId.size();
    }

    /** Subscriptions held by {@code user}. */
    public int sizeOf(String user) {
        return perUser.getOrDefault(user, 0);
    }

    public Handled handle(SubscribeRequest req, long nowMillis, LineIndex index) {
        Handled h = judge(req, nowMillis, index);
        int status = h.response().status();
        counters.add(status == 401 ? counters.challenged : status >= 300 ? counters.refused : counters.accepted, 1);
        counters.add(counters.notifiesSent, h.notifies().size());
        return h;
    }

    private Handled judge(SubscribeRequest req, long now, LineIndex index) {
        Optional<EventPackage> maybe = EventPackage.of(req.event());
        if (maybe.isEmpty()) {
            LOG.info("SUBSCRIBE from {} for event '{}': not a package we notify (489)", req.flow(), req.event());
            return Handled.of(new SubscribeResponse(489, "Bad Event", null, -1, List.of(), 0, 0,
                    EventPackage.allowEvents()));
        }
        EventPackage pkg = maybe.get();
        if (req.initial() && !users.servesDomain(req.requestUriHost())) {
            // a refresh goes to our Contact, whatever host that names; only a new one names a resource
            return Handled.of(SubscribeResponse.refuse(404, "Not Found"));
        }
        if (!req.accept().isEmpty() && req.accept().stream().noneMatch(a -> accepts(a, pkg))) {
            return Handled.of(SubscribeResponse.refuse(406, "Not Acceptable"));
        }
        Subscription existing = null;
        if (!req.initial()) {
            existing = byDialog.get(Subscription.dialogKey(req.callId(), req.toTag()));
            if (existing == null || !existing.remoteTag.equals(req.fromTag()) || existing.eventPackage != pkg
                    || !Objects.equals(existing.eventId, req.eventId())) {
                return Handled.of(SubscribeResponse.refuse(481, "Subscription Does Not Exist"));
            }
        }
        RegisterAuthenticator.Result auth = authenticator.authenticate(req.authorizations(), "SUBSCRIBE", now);
        if (!auth.authenticated()) {
            if (auth.outcome() == RegisterAuthenticator.Outcome.REJECTED) {
                counters.add(counters.authFailures, 1);
                InetAddress source = address(req.flow().host());
                if (lockout != null && source != null) {
                    lockout.failure(source, req.flow().port(), req.flow().transport(), "SUBSCRIBE", auth.detail());
                } else {
                    LOG.warn("SUBSCRIBE from {}: authentication failed: {} (401)", req.flow(), auth.detail());
                }
            }
            return Handled.of(new SubscribeResponse(401, "Unauthorized", null, -1, auth.challenges(), 0, 0, null));
        }
        UserConfig user = auth.user();
        long expiresS;
        try {
            expiresS = req.expires() == null ? config.defaultExpiresS() : deltaSeconds(req.expires());
        } catch (IllegalArgumentException e) {
            return Handled.of(SubscribeResponse.refuse(400, "Bad Expires"));
        }
        if (expiresS != 0 && expiresS < config.minExpiresS()) {
            return Handled.of(new SubscribeResponse(423, "Interval Too Brief", null, -1, List.of(), config.minExpiresS(),
                    0, null));
        }
        expiresS = Math.min(expiresS, config.maxExpiresS());
        if (existing != null) {
            return refresh(existing, user, req, expiresS, now, index);
        }
        Resource resource = resolve(req.requestUriUser(), req.requestUriHost(), pkg);
        if (resource == null) {
            LOG.info("SUBSCRIBE from {} by {}: no {} resource '{}' (404)", req.flow(), user.name(), pkg.token(),
                    req.requestUriUser());
            return Handled.of(SubscribeResponse.refuse(404, "Not Found"));
        }
        if (req.contact() == null) {
            return Handled.of(SubscribeResponse.refuse(400, "Missing Contact"));
        }
        if (expiresS > 0) {
            if (byId.size() >= config.maxSubscriptions()) {
                LOG.warn("SUBSCRIBE from {} by {}: {} subscriptions held, max_subscriptions (503)", req.flow(),
                        user.name(), byId.size());
                return Handled.of(new SubscribeResponse(503, "Service Unavailable", null, -1, List.of(), 0,
                        retryAfterS(now), null));
            }
            if (sizeOf(user.name()) >= config.maxSubscriptionsPerUser()) {
                LOG.warn("SUBSCRIBE from {}: user {} holds {} subscriptions, max_subscriptions_per_user (403)",
                        req.flow(), user.name(), sizeOf(user.name()));
                return Handled.of(SubscribeResponse.refuse(403, "Too Many Subscriptions"));
            }
        }
        Subscription s = new Subscription(nextId++, user.name(), pkg, req.eventId(), resource, req.callId(), newTag(),
                req.fromTag() == null ? "" : req.fromTag(), req.subscriberUri(), req.resourceUri(), req.recordRoute(),
                req.flow(), req.contact(), now + expiresS * 1000);
        SubscribeResponse ok = SubscribeResponse.ok(s.localTag, expiresS);
        if (expiresS == 0) {
            // RFC 6665 4.2.1.1/4.4.3: a fetch. One NOTIFY with the state, terminated; nothing kept.
            return new Handled(ok, List.of(notify(s, index, now, "timeout")));
        }
        byId.put(s.id, s);
        byDialog.put(s.dialogKey(), s);
        perUser.merge(s.subscriber, 1, Integer::sum);
        LOG.info("{} from {} for {} s", s, req.flow(), expiresS);
        return new Handled(ok, List.of(notify(s, index, now, null)));
    }

    /** RFC 6665 4.2.1.2 (refresh) and 4.2.1.4 (Expires: 0 ends it): 200, then a NOTIFY with the state. */
    private Handled refresh(Subscription s, UserConfig user, SubscribeRequest req, long expiresS, long now,
            LineIndex index) {
        if (!s.subscriber.equals(user.name())) {
            LOG.warn("SUBSCRIBE from {}: user {} may not refresh {} (403)", req.flow(), user.name(), s);
            return Handled.of(SubscribeResponse.refuse(403, "Forbidden"));
        }
        if (req.contact() != null) {
            s.target = req.contact(); // SUBSCRIBE is a target refresh request (RFC 6665): a new Contact counts
        }
        s.flow = req.flow(); // a phone that moved (new NAT binding, new connection) is reached where it is now
        SubscribeResponse ok = SubscribeResponse.ok(s.localTag, expiresS);
        if (expiresS == 0) {
            remove(s);
            LOG.info("{} ended by the subscriber", s);
            return new Handled(ok, List.of(notify(s, index, now, "timeout")));
        }
        s.expiresAtMillis = now + expiresS * 1000;
        if (s.pendingCseq >= 0) {
            s.lastKey = null; // the NOTIFY after the one in flight carries the state and the new expiry
            return Handled.of(ok);
        }
        return new Handled(ok, List.of(notify(s, index, now, null)));
    }

    /**
     * Once per tick: subscriptions that lapsed get their last NOTIFY ({@code terminated;reason=timeout},
     * RFC 6665 4.2.2) and are dropped; those whose state changed get a NOTIFY, unless one is still
     * waiting for its response (one NOTIFY in flight per subscription) or the package's rate limit
     * ({@link EventPackage#minNotifyIntervalMs()}) has not passed since the last: a later tick then
     * sends the state of that moment, so changes are folded, never queued.
     */
    public List<NotifyRequest> tick(long nowMillis, LineIndex index) {
        List<NotifyRequest> out = new ArrayList<>();
        Map<Resource, LineState> states = new HashMap<>(); // many watchers of one line: one look-up
        for (Subscription s : new ArrayList<>(byId.values())) {
            if (s.expiresAtMillis <= nowMillis) {
                remove(s);
                counters.add(counters.expired, 1);
                LOG.info("{} expired", s);
                out.add(notify(s, index, nowMillis, "timeout"));
            } else if (s.pendingCseq < 0
                    && nowMillis - s.lastNotifyMillis >= s.eventPackage.minNotifyIntervalMs()
                    && !keyOf(s, states.computeIfAbsent(s.resource, index::stateOf)).equals(s.lastKey)) {
                out.add(notify(s, index, nowMillis, null));
            }
        }
        counters.add(counters.notifiesSent, out.size());
        return out;
    }

    /**
     * The final response to a NOTIFY (408 for a transaction timeout, 0 for one that could not be
     * sent). A 2xx frees the subscription for the next NOTIFY. RFC 6665 4.2.2: a 481 or a timeout
     * ends the subscription; so does any other error but 500, 503 and 491, which are passing (the
     * next change is notified again).
     */
    public void notifyAnswered(long subscriptionId, long cseq, int status) {
        Subscription s = byId.get(subscriptionId);
        if (s == null || s.pendingCseq != cseq) {
            return;
        }
        s.pendingCseq = -1;
        if (status >= 200 && status < 300 || status == 500 || status == 503 || status == 491) {
            return;
        }
        counters.add(counters.notifyFailures, 1);
        remove(s);
        LOG.info("{} ended: its NOTIFY got {}", s, status == 0 ? "no transport" : status);
    }

    /** Every subscription held, oldest first, for the console. */
    public List<SubscriptionView> views() {
        List<SubscriptionView> out = new ArrayList<>(byId.size());
        for (Subscription s : byId.values()) {
            out.add(new SubscriptionView(s.subscriber, s.eventPackage.token(), s.resource.entity(), s.target,
                    s.transport, s.expiresAtMillis, s.pendingCseq >= 0));
        }
        return List.copyOf(out);
    }

    private NotifyRequest notify(Subscription s, LineIndex index, long now, String terminatedReason) {
        LineState st = index.stateOf(s.resource);
        String body;
        if (s.eventPackage == EventPackage.PRESENCE) {
            body = PidfDocument.build(s.resource.entity(), st);
        } else {
            List<LineDialog> doc = new ArrayList<>(st.dialogs());
            for (LineDialog was : s.shown) {
                if (st.dialogs().stream().noneMatch(d -> d.id().equals(was.id()))) {
                    doc.add(was.terminated());
                }
            }
            doc.sort(java.util.Comparator.comparing(LineDialog::id));
            body = DialogInfoDocument.build(s.resource.entity(), s.nextVersion++, doc);
            s.shown = st.dialogs();
        }
        s.lastKey = keyOf(s, st);
        s.lastNotifyMillis = now;
        long cseq = s.nextCseq++;
        String state = terminatedReason != null ? "terminated;reason=" + terminatedReason
                : "active;expires=" + s.remainingSeconds(now);
        s.pendingCseq = terminatedReason != null ? -1 : cseq;
        String event = s.eventPackage.token() + (s.eventId == null ? "" : ";id=" + s.eventId);
        return new NotifyRequest(s.id, s.callId, cseq, s.target, s.resourceUri, s.localTag, s.subscriberUri,
                s.remoteTag, s.route, s.flow, s.flow.transport(), event, state, s.eventPackage, body);
    }

    private static String keyOf(Subscription s, LineState st) {
        return s.eventPackage == EventPackage.PRESENCE ? PidfDocument.key(st) : DialogInfoDocument.key(st.dialogs());
    }

    /** A user (by NAME or number) for both packages; any other number for the dialog package only. */
    private Resource resolve(String user, String host, EventPackage pkg) {
        if (user == null || user.isEmpty()) {
            return null;
        }
        Optional<UserConfig> u = users.byAorUser(user);
        if (u.isPresent()) {
            return new Resource(Resource.Kind.USER, u.get().name(), "sip:" + user + "@" + host);
        }
        if (pkg == EventPackage.DIALOG && Resource.NUMBER.matcher(user).matches()) {
            return new Resource(Resource.Kind.NUMBER, user, "sip:" + user + "@" + host);
        }
        return null;
    }

    private void remove(Subscription s) {
        if (byId.remove(s.id) != null) {
            byDialog.remove(s.dialogKey());
            perUser.computeIfPresent(s.subscriber, (u, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** When the first held subscription lapses, in seconds (at least 1). */
    private long retryAfterS(long now) {
        long first = byId.values().stream().mapToLong(x -> x.expiresAtMillis).min().orElse(now + 1000);
        return Math.max(1, (first - now + 999) / 1000);
    }

    /** The flow's host is the packet's source address, always a literal: no look-up happens. */
    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    private static boolean accepts(String mediaType, EventPackage pkg) {
        String t = mediaType.trim();
        return t.equals(pkg.mediaType()) || t.equals(pkg.contentType() + "/*") || t.equals("*/*");
    }

    /** RFC 3261 20.19 delta-seconds: digits only; above 2^32-1 taken as 2^32-1. */
    static long deltaSeconds(String text) {
        String t = text.trim();
        if (t.isEmpty() || t.length() > 20 || !t.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("Expires '" + text + "' is not delta-seconds");
        }
        return t.length() > 10 ? MAX_DELTA_S : Math.min(Long.parseLong(t), MAX_DELTA_S);
    }

    private String newTag() {
        byte[] b = new byte[8];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
