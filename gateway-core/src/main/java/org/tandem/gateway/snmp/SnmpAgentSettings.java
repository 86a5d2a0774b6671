package org.tandem.gateway.snmp;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything the SNMP agent needs, validated here once (the {@code [snmp]} INI section maps onto
 * it one to one).
 *
 * @param listenHost address to bind ({@code [snmp] listen}), e.g. "0.0.0.0" or "127.0.0.1"
 * @param listenPort UDP port, 161 by default; 0 picks a free port (tests)
 * @param community v2c read-only community, or null for no v2c access at all
 * @param users SNMPv3 USM users, all authPriv and read-only
 * @param traps notification receivers
 * @param sysName sysName (usually the gateway name)
 * @param sysContact sysContact
 * @param sysLocation sysLocation
 * @param engineBootsFile file that keeps snmpEngineBoots across restarts (RFC 3414 section
 *        2.2.2 wants it to increase on every start), or null to start at 1 each time
 */
public record SnmpAgentSettings(String listenHost, int listenPort, String community,
        List<User> users, List<TrapTarget> traps, String sysName, String sysContact,
        String sysLocation, Path engineBootsFile) {

    /** SNMPv3 authentication protocols offered (RFC 3414 HMAC-SHA-96, RFC 7860 HMAC-SHA-256). */
    public enum Auth { SHA, SHA256 }

    /**
     * An SNMPv3 user with authPriv: authentication as given, privacy AES-128 (RFC 3826).
     * Passphrases must be at least 8 characters (RFC 3414 section 11.2).
     */
    public record User(String name, Auth auth, String authPassphrase, String privPassphrase) {
        public User {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(auth, "auth");
            if (authPassphrase == null || authPassphrase.length() < 8) {
                throw new IllegalArgumentException("SNMPv3 user " + name
                        + ": authentication passphrase must have at least 8 characters");
            }
            if (privPassphrase == null || privPassphrase.length() < 8) {
                throw new IllegalArgumentException("SNMPv3 user " + name
                        + ": privacy passphrase must have at least 8 characters");
            }
        }

        @Override
        public String toString() {
            return "User[" + name + ", " + auth + "/AES128]";
        }
    }

    /**
     * A notification receiver: v2c traps with {@code community}, or v3 informs sent as
     * {@code user} (one of {@link SnmpAgentSettings#users()}) with authPriv.
     */
    public record TrapTarget(String host, int port, String community, String user) {
        public TrapTarget {
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("trap target " + host + ": port " + port
                        + " is not 1..65535");
            }
            if ((community == null) == (user == null)) {
                throw new IllegalArgumentException("trap target " + host + ":" + port
                        + ": give either a v2c community or a v3 user, not both or neither");
            }
        }

        public boolean v3() {
            return user != null;
        }

        @Override
        public String toString() {
            return (v3() ? "v3 inform as " + user : "v2c trap") + " to " + host + ":" + port;
        }
    }

    public SnmpAgentSettings {
        Objects.requireNonNull(listenHost, "listenHost");
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("[snmp] listen port " + listenPort
                    + " is not 0..65535");
        }
        users = List.copyOf(users);
        traps = List.copyOf(traps);
        sysName = Objects.requireNonNullElse(sysName, "tandem");
        sysContact = Objects.requireNonNullElse(sysContact, "");
        sysLocation = Objects.requireNonNullElse(sysLocation, "");
        if (community == null && users.isEmpty()) {
            throw new IllegalArgumentException("[snmp] has neither a community nor a v3 user:"
                    + " nobody could read it");
        }
        for (TrapTarget t : traps) {
            if (t.v3() && users.stream().noneMatch(u -> u.name().equals(t.user()))) {
                throw new IllegalArgumentException("trap target " + t.host() + ":" + t.port()
                        + " names v3 user '" + t.user() + "', which is not configured");
            }
        }
    }

    @Override
    public String toString() {
        return "SnmpAgentSettings[" + listenHost + ":" + listenPort + ", v2c "
                + (community == null ? "off" : "on") + ", users " + users + ", traps " + traps
                + "]";
    }
}
