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
 * username is, whom an address-of-record or a number names. Immutable, so any thread may read it.
 *
 * <p>An address-of-record {@code sip:X@DOMAIN} names user X by its NAME, or the user that owns
 * number X; hw-config has already refused a number owned twice and a NAME that is another user's
 * number, so every X names at most one user.
 */
public final class UserDirectory {
    private final Map<String, UserConfig> byName;
    private final Map<String, UserConfig> byNumber = new HashMap<>();
    private final Set<String> domains;

    /** @param domains hosts the registrar serves, compared ignoring case */
    public UserDirectory(Collection<UserConfig> users, Collection<String> domains) {
        Map<String, UserConfig> names = new LinkedHashMap<>();
        for (UserConfig u : users) {
            if (names.putIfAbsent(u.name(), u) != null) {
                throw new IllegalArgumentException("user " + u.name() + " is given twice");
            }
            for (String n : u.numbers()) {
                UserConfig other = byNumber.putIfAbsent(n, u);
                if (other != null && other != u) {
                    throw new IllegalArgumentException("number " + n + " is owned by users " + other.name()
                            + " and " + u.name());
                }
            }
        }
        this.byName = java.util.Collections.unmodifiableMap(names);
        this.domains = domains.stream().map(UserDirectory::bare).collect(Collectors.toUnmodifiableSet());
    }

    public static UserDirectory from(GatewayConfig config) {
        RegistrarConfig r = config.registrar();
        return new UserDirectory(config.users().values(), r.domains());
    }

    /** The user whose digest username (its NAME) is {@code name}. */
    public Optional<UserConfig> byName(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    /** The user an AOR's user part names: by NAME, else by a number it owns (case-sensitive, 19.1.4). */
    public Optional<UserConfig> byAorUser(String aorUser) {
        if (aorUser == null) {
            return Optional.empty();
        }
        UserConfig u = byName.get(aorUser);
        return Optional.ofNullable(u != null ? u : byNumber.get(aorUser));
    }

    /** The user owning {@code number}, for routing a PSTN->SIP call. */
    public Optional<UserConfig> byNumber(String number) {
        return Optional.ofNullable(byNumber.get(number));
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
        return List.copyOf(byName.values());
    }
}
