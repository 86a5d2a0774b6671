package org.tandem.gateway.registrar;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One registered contact of a user: where to reach it, until when, and the Call-ID/CSeq of the
 * REGISTER that last set it (RFC 3261 10.3 step 7 orders updates by them). Immutable.
 *
 * @param user the {@code [user NAME]} it belongs to (every AOR of that user shares its bindings)
 * @param contactUri the Contact URI as registered; requests to the user carry it as Request-URI
 * @param qMillis the q-value in thousandths (RFC 3261 20.10), or -1 when the Contact gave none
 * @param expiresAtMillis epoch milliseconds at which the binding lapses
 * @param registeredAtMillis epoch milliseconds of the REGISTER that added or last refreshed it
 * @param flow where that REGISTER came from: the phone is reached back there (NAT)
 * @param path the Path header values of that REGISTER (RFC 3327): Route headers of requests to it
 * @param userAgent its User-Agent, or null, for the console
 */
public record Binding(String user, String contactUri, int qMillis, long expiresAtMillis,
        long registeredAtMillis, String callId, long cseq, Flow flow, List<String> path, String userAgent) {

    /**
     * The order contacts are tried in (sequential forking, and the 200's Contact list): highest
     * q first, a Contact without q counting as 1.0 (RFC 3261 leaves the default to the server;
     * 1.0 keeps a phone that never sets q on par with one that asks for the top); among equals the
     * most recently registered first (the device last in use), then by URI so the order is stable.
     */
    public static final Comparator<Binding> PREFERENCE = Comparator.comparingInt(Binding::effectiveQMillis)
            .reversed().thenComparing(Comparator.comparingLong(Binding::registeredAtMillis).reversed())
            .thenComparing(Binding::contactUri);

    public Binding {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(contactUri, "contactUri");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(flow, "flow");
        path = List.copyOf(path);
        if (qMillis < -1 || qMillis > 1000) {
            throw new IllegalArgumentException("q " + qMillis + "/1000 of " + contactUri + " is outside 0-1000");
        }
    }

    /** The q-value used for ordering: the given one, or 1000 when none was given. */
    public int effectiveQMillis() {
        return qMillis < 0 ? 1000 : qMillis;
    }

    /** The q-value as the 200 writes it ({@code 0.5}), or null when the Contact gave none. */
    public String qText() {
        return qMillis < 0 ? null : QValue.format(qMillis);
    }

    public boolean isLive(long nowMillis) {
        return expiresAtMillis > nowMillis;
    }

    /** Seconds left, rounded up, as the 200's {@code expires} parameter says them; 0 when lapsed. */
    public long remainingSeconds(long nowMillis) {
        long ms = expiresAtMillis - nowMillis;
        return ms <= 0 ? 0 : (ms + 999) / 1000;
    }

    public ContactUri uri() {
        return ContactUri.parse(contactUri);
    }

    /** True when the Contact is the same URI (RFC 3261 19.1.4) as {@code other}. */
    public boolean sameContactAs(ContactUri other) {
        return uri().sameAs(other);
    }

    /**
     * True when the Contact's host and port are not where the REGISTER came from: a NAT (or a
     * proxy) stands between, so requests to this binding go to {@link #flow()}, never to the
     * Contact's address, which the gateway may not be able to reach.
     */
    public boolean natted() {
        ContactUri u = uri();
        return !u.host().equalsIgnoreCase(flow.host()) || u.portOrDefault() != flow.port();
    }
}
