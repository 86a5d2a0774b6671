package org.tandem.gateway.registrar;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.tandem.config.GatewayConfig;
import org.tandem.config.RegistrarConfig;
import org.tandem.config.UserConfig;

/**
 * The configured {@code [user NAME]} phones and the domains they register in: who a digest
 * username is, whom an address-of-record or a number names. Any thread may read it.
 *
 * <p>An address-of-record {@code sip:X@DOMAIN} names user X by its NAME, or the user that owns
 * number X; hw-config has already refused a number owned twice and a NAME that is another user's
 * number, so every X names at most one user.
 *
 * <p>Immutable but for {@link #replace} (a reload), which swaps the whole table at once.
 */
public final class UserDirectory {
    /** The users of one configuration: replaced whole by a reload, never changed in place. */
    private record Table(Map<String, UserConfig> byName, Map<String, UserConfig> byNumber) {
        static Table of(Collection<UserConfig> users) {
            Map<String, UserConfig> names = new LinkedHashMap<>();
            Map<String, UserConfig> numbers = new HashMap<>();
            for (UserConfig u : users) {
                if (names.putIfAbsent(u.name(), u) != null) {
                    throw new IllegalArgumentException("user " + u.name() + " is given twice");
                }
                for (String n : u.numbers()) {
                    UserConfig other = numbers.putIfAbsent(n, u);
                    if (other != null && other != u) {
                        throw new IllegalArgumentException("number " + n + " is owned by users " + other.name()
                                + " and " + u.name());
                    }
                }
            }
            return new Table(java.util.Collections.unmodifiableMap(names), java.util.Collections.unmodifiableMap(numbers));
        }
    }

    private volatile Table table;
    private final Set<String> domains;

    /** @param domains hosts the registrar serves, compared ignoring case */
    public UserDirectory(Collection<UserConfig> users, Collection<String> domains) {
        this.table = Table.of(users);
        this.domains = domains.stream().map(UserDirectory::bare).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Replaces every user at once (a reload of the configuration): names, passwords, numbers and
     * limits of the next digest check, the next REGISTER and the next routed call are these. The
     * domains stay those of the start. Any thread; a reader sees the old table or the new one whole.
     */
    public void replace(Collection<UserConfig> users) {
        this.table = Table.of(users);
    }

    public static UserDirectory from(GatewayConfig config) {
        RegistrarConfig r = config.registrar();
        return new UserDirectory(config.users().values(), r.domains());
    }

    /** The user whose digest username (its NAME) is {@code name}. */
    public Optional<UserConfig> byName(String name) {
        return Optional.ofNullable(name == null ? null : table.byName().get(name));
    }

    /** The user an AOR's user part names: by NAME, else by a number it owns (case-sensitive, 19.1.4). */
    public Optional<UserConfig> byAorUser(String aorUser) {
        if (aorUser == null) {
            return Optional.empty();
        }
        Table t = table;
        UserConfig u = t.byName().get(aorUser);
        return Optional.ofNullable(u != null ? u : t.byNumber().get(aorUser));
    }

    /** The user owning {@code number}, for routing a PSTN->SIP call. */
    public Optional<UserConfig> byNumber(String number) {
        return Optional.ofNullable(table.byNumber().get(number));
    }

    /** True when {@code host} (a Request-URI or To host) is one the registrar is responsible for. */
    public boolean servesDomain(String host) {
        if (host == null) {
            return false;
        }
        return domains.contains(bare(host));
    }

    /** {@code [::1]} and {@code ::1} are one host; host names compare ignoring case. */
    private static String bare(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return h.toLowerCase(Locale.ROOT);
    }

    public List<UserConfig> users() {
        return List.copyOf(table.byName().values());
    }
}
