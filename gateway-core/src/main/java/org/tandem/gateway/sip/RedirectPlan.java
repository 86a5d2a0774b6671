package org.tandem.gateway.sip;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The redirects one outbound call has followed and may still follow (RFC 3261 8.1.3.4): plain
 * rules without stack types, kept on the leg from its first 3xx. {@link RedirectFollower} turns
 * its decisions into INVITEs.
 *
 * <ul>
 *   <li>300/301/302 and unknown 3xx (taken as 300, 8.1.3.2): the Contacts are new targets, tried
 *       one at a time in q order (highest first, a Contact without q as 1.0, ties in header order);
 *       when one fails, the next is tried before the call fails. A 3xx of a redirected attempt puts
 *       its Contacts in front of those still pending (depth first).</li>
 *   <li>305 Use Proxy: the Contact is a proxy; the same Request-URI goes again through it.</li>
 *   <li>380 Alternative Service: its alternatives are for a human, not a gateway; the call fails.</li>
 *   <li>{@link RedirectPolicy#REFUSE}: the 3xx fails the call (cause by the RFC 3398 table).</li>
 *   <li>Trust: under {@link RedirectPolicy#FOLLOW} a Contact is only followed when
 *       {@code allowed} says its host is one of a configured trunk's; others are dropped. A 3xx
 *       with nothing left to follow fails the call with its own status.</li>
 *   <li>Bounds: at most {@code maxRedirects} 3xx are followed, one more fails the call with
 *       483 Too Many Hops; a target already tried is never tried again, and a 3xx whose every
 *       allowed Contact was tried already fails the call with 482 Loop Detected (A -> B -> A). Both
 *       map to Q.850 25 (RFC 3398). At most {@link #MAX_CONTACTS} Contacts per 3xx and
 *       {@link #MAX_TARGETS} targets per call are considered, whatever a peer sends.</li>
 * </ul>
 *
 * <p>Threading: none of its own; used under the leg monitor.
 */
final class RedirectPlan {
    static final int MAX_CONTACTS = 10;
    static final int MAX_TARGETS = 20;
    static final int LOOP_DETECTED = 482;
    static final int TOO_MANY_HOPS = 483;
    static final int ALTERNATIVE_SERVICE = 380;
    static final int USE_PROXY = 305;

    /**
     * Where an INVITE may go.
     *
     * @param uri the Contact URI as written (the new Request-URI; for 305 the proxy's URI)
     * @param user its user part, or null
     * @param q its q-value, 1.0 when absent
     * @param viaProxy a 305's proxy: the Request-URI stays, the INVITE goes through {@code host:port}
     */
    record Target(String uri, String user, String host, int port, String transport, float q, boolean viaProxy) {
        /** What makes two targets the same place, for loop detection. */
        String key() {
            return (viaProxy ? "proxy " : "") + (user == null ? "" : user) + "@" + host.toLowerCase(Locale.ROOT)
                    + ":" + port + "/" + transport;
        }
    }

    /** What a 3xx leads to. */
    sealed interface Decision permits Follow, Stop {
    }

    /** Send the INVITE to this target. */
    record Follow(Target target) implements Decision {
    }

    /** Do not follow: the call fails with this status (the 3xx's own, 482 or 483). */
    record Stop(int status, String why) implements Decision {
    }

    private final RedirectPolicy policy;
    private final int maxRedirects;
    private final Predicate<Target> allowed;
    private final Set<String> tried = new HashSet<>();
    private final Deque<Target> pending = new ArrayDeque<>();
    private int hops;

    /**
     * @param first where the call's INVITE went before any redirect
     * @param allowed whether a target's host is one the trust rules allow under {@link RedirectPolicy#FOLLOW}
     */
    RedirectPlan(RedirectPolicy policy, int maxRedirects, Predicate<Target> allowed, Target first) {
        this.policy = policy;
        this.maxRedirects = maxRedirects;
        this.allowed = allowed;
        tried.add(first.key());
    }

    /** A 3xx to the current attempt, with its Contacts as parsed (header order). */
    Decision on3xx(int status, List<Target> contacts) {
        if (status == ALTERNATIVE_SERVICE) {
            return new Stop(status, "380 Alternative Service is not followed");
        }
        if (policy == RedirectPolicy.REFUSE) {
            return new Stop(status, "redirects = refuse");
        }
        if (hops >= maxRedirects) {
            return new Stop(TOO_MANY_HOPS, "already followed " + hops + " redirects (max_redirects = " + maxRedirects + ")");
        }
        List<Target> ordered = new ArrayList<>(contacts.subList(0, Math.min(contacts.size(), MAX_CONTACTS)));
        ordered.sort(Comparator.comparingDouble((Target t) -> -t.q())); // stable: ties keep header order
        List<Target> fresh = new ArrayList<>();
        int refused = 0;
        for (Target t : ordered) {
            boolean proxy = status == USE_PROXY;
            Target c = proxy == t.viaProxy() ? t : new Target(t.uri(), t.user(), t.host(), t.port(), t.transport(), t.q(), proxy);
            if (policy != RedirectPolicy.FOLLOW_ANY && !allowed.test(c)) {
                refused++;
            } else if (!tried.contains(c.key()) && fresh.stream().noneMatch(f -> f.key().equals(c.key()))) {
                fresh.add(c);
            }
        }
        if (fresh.isEmpty()) {
            if (ordered.isEmpty() || refused == ordered.size()) {
                return new Stop(status, ordered.isEmpty() ? "no usable Contact"
                        : "no Contact on a configured trunk's host (redirects = follow)");
            }
            return new Stop(LOOP_DETECTED, "every Contact was tried already");
        }
        hops++;
        for (int i = fresh.size() - 1; i >= 0; i--) {
            pending.addFirst(fresh.get(i));
        }
        Target next = next();
        return next == null ? new Stop(LOOP_DETECTED, "too many targets") : new Follow(next);
    }

    /** The current attempt failed: the next target still pending, or null. */
    Target nextAfterFailure() {
        return next();
    }

    int hops() {
        return hops;
    }

    private Target next() {
        while (!pending.isEmpty() && tried.size() < MAX_TARGETS) {
            Target t = pending.pollFirst();
            if (tried.add(t.key())) {
                return t;
            }
        }
        return null;
    }
}
