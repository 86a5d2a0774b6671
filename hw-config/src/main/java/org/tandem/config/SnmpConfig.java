package org.tandem.config;

import java.util.List;

/**
 * {@code [snmp]} with its {@code [snmp-user NAME]} and {@code [snmp-trap NAME]} sections.
 *
 * @param community v2c community, or null when v2c is off
 */
public record SnmpConfig(boolean enabled, HostPort listen, Secret community, String location,
        String contact, List<User> users, List<TrapTarget> traps) {

    /** An SNMPv3 USM user with authPriv (RFC 3414, AES per RFC 3826). */
    public record User(String name, Auth auth, Secret authKey, Priv priv, Secret privKey) {
    }

    /** A notification receiver: v2c traps, or v3 informs sent as {@code user}. */
    public record TrapTarget(String name, HostPort target, Version version, Secret community,
            String user) {
    }

    public enum Auth implements Token {
        SHA("sha"), SHA256("sha-256");

        private final String token;

        Auth(String token) {
            this.token = token;
        }

        @Override
        public String token() {
            return token;
        }
    }

    public enum Priv implements Token {
        AES;
    }

    public enum Version implements Token {
        V2C, V3;
    }
}
