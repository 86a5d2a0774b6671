package org.tandem.gateway.registrar;

import java.util.List;
import java.util.Map;
import org.tandem.config.UserConfig;

/**
 * The bindings of every user at one moment, immutable: what threads other than the registrar's
 * read (call control routing a PSTN->SIP call, {@code tandem ctl show registrations}, SNMP).
 *
 * <p>Lists are in {@link Binding#PREFERENCE} order. A snapshot may be older than the last
 * expiry sweep, so every read takes the reader's "now" and leaves out what has lapsed by then:
 * a binding is never used past its expiry, whatever the sweep interval.
 */
public final class LocationSnapshot {
    private final Map<String, List<Binding>> byUser;
    private final UserDirectory users;

    LocationSnapshot(Map<String, List<Binding>> byUser, UserDirectory users) {
        this.byUser = Map.copyOf(byUser);
        this.users = users;
    }

    /** The live bindings of {@code user}, most preferred first. */
    public List<Binding> contactsOf(String user, long nowMillis) {
        return byUser.getOrDefault(user, List.of()).stream().filter(b -> b.isLive(nowMillis)).toList();
    }

    /**
     * The live bindings of the user owning {@code number}, most preferred first: the targets of a
     * call to that number (in parallel, or one after another in this order). Empty when nobody
     * owns it or its owner is not registered (RFC 3398: cause 20, subscriber absent).
     */
    public List<Binding> contactsForNumber(String number, long nowMillis) {
        return users.byNumber(number).map(u -> contactsOf(u.name(), nowMillis)).orElse(List.of());
    }

    /** The user owning {@code number}, registered or not (its fork mode and ring time). */
    public java.util.Optional<UserConfig> ownerOf(String number) {
        return users.byNumber(number);
    }

    /** Every live binding, by user in NAME order, for the console. */
    public Map<String, List<Binding>> all(long nowMillis) {
        Map<String, List<Binding>> out = new java.util.TreeMap<>();
        byUser.forEach((user, list) -> {
            List<Binding> live = contactsOf(user, nowMillis);
            if (!live.isEmpty()) {
                out.put(user, live);
            }
        });
        return java.util.Collections.unmodifiableMap(out);
    }

    public int bindingCount(long nowMillis) {
        return byUser.keySet().stream().mapToInt(u -> contactsOf(u, nowMillis).size()).sum();
    }

    /** Users with at least one live binding. */
    public int registeredUsers(long nowMillis) {
        return (int) byUser.keySet().stream().filter(u -> !contactsOf(u, nowMillis).isEmpty()).count();
    }
}
