package org.tandem.gateway.registrar;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The location service of RFC 3261 section 10: the bindings of each user.
 *
 * <p>Threading (single writer). One thread owns it, the registrar's: every method but
 * {@link #snapshot()} is called only there, without locks. After each change it publishes an
 * immutable {@link LocationSnapshot} through a volatile field, which any thread may read.
 *
 * <p>It keeps what {@link Registrar} commits and forgets what lapses; it does not judge
 * requests, and it does not write files ({@link BindingFile} does, from the registrar thread).
 */
public final class LocationService {
    private final UserDirectory users;
    private final Map<String, List<Binding>> byUser = new HashMap<>();
    private volatile LocationSnapshot snapshot;
    private boolean dirty;

    public LocationService(UserDirectory users) {
        this.users = Objects.requireNonNull(users, "users");
        this.snapshot = new LocationSnapshot(Map.of(), users);
    }

    /** The current bindings, safe from any thread. */
    public LocationSnapshot snapshot() {
        return snapshot;
    }

    /** The live bindings of {@code user}, most preferred first (registrar thread). */
    public List<Binding> bindingsOf(String user, long nowMillis) {
        return byUser.getOrDefault(user, List.of()).stream().filter(b -> b.isLive(nowMillis)).toList();
    }

    /**
     * Commits {@code bindings} as the whole set of {@code user} (RFC 3261 10.3 step 7: all of a
     * REGISTER's updates become visible together, or none). An empty list removes the user.
     */
    public void replace(String user, List<Binding> bindings) {
        for (Binding b : bindings) {
            if (!b.user().equals(user)) {
                throw new IllegalArgumentException("binding of " + b.user() + " committed as " + user + "'s");
            }
        }
        if (bindings.isEmpty()) {
            byUser.remove(user);
        } else {
            List<Binding> sorted = new ArrayList<>(bindings);
            sorted.sort(Binding.PREFERENCE);
            byUser.put(user, List.copyOf(sorted));
        }
        dirty = true;
        publish();
    }

    /** Drops every binding lapsed at {@code nowMillis}; returns how many. */
    public int expire(long nowMillis) {
        int removed = 0;
        for (var it = byUser.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            List<Binding> live = e.getValue().stream().filter(b -> b.isLive(nowMillis)).toList();
            removed += e.getValue().size() - live.size();
            if (live.isEmpty()) {
                it.remove();
            } else if (live.size() != e.getValue().size()) {
                e.setValue(live);
            }
        }
        if (removed > 0) {
            dirty = true;
            publish();
        }
        return removed;
    }

    /**
     * Drops the bindings of every user the directory no longer has (a reload removed it); returns
     * how many bindings went. Registrar thread.
     */
    public int forgetRemovedUsers() {
        int removed = 0;
        for (var it = byUser.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            if (users.byName(e.getKey()).isEmpty()) {
                removed += e.getValue().size();
                it.remove();
            }
        }
        // republished even when nothing went: the snapshot's numbers now name the new users
        dirty |= removed > 0;
        publish();
        return removed;
    }

    /** Puts back bindings read at start-up (before any REGISTER is handled). */
    public void restore(Collection<Binding> bindings) {
        Map<String, List<Binding>> grouped = new HashMap<>();
        for (Binding b : bindings) {
            grouped.computeIfAbsent(b.user(), u -> new ArrayList<>()).add(b);
        }
        grouped.forEach((user, list) -> {
            list.sort(Binding.PREFERENCE);
            byUser.put(user, List.copyOf(list));
        });
        publish();
    }

    /** Every binding held, lapsed or not (for saving). */
    public List<Binding> all() {
        List<Binding> out = new ArrayList<>();
        byUser.values().forEach(out::addAll);
        return out;
    }

    /** True when something changed since the last {@link #markSaved()}. */
    public boolean dirty() {
        return dirty;
    }

    public void markSaved() {
        dirty = false;
    }

    private void publish() {
        snapshot = new LocationSnapshot(byUser, users);
    }
}
