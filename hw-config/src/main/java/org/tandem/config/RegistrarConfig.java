package org.tandem.config;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code [registrar]}: how the gateway answers REGISTER from its {@code [user NAME]} phones
 * (RFC 3261 section 10.3) and where it keeps their bindings.
 *
 * @param domains hosts the registrar is responsible for: a REGISTER whose Request-URI names
 *     another gets 404 (RFC 3261 10.3 step 1); defaults to the {@code [sip] listen} host
 * @param realm digest realm of the challenges (RFC 3261 22.1); defaults to the first domain
 * @param minExpiresS shortest registration accepted; shorter ones get 423 with Min-Expires
 * @param maxExpiresS longest registration granted; longer ones are shortened to it
 * @param defaultExpiresS registration time when the REGISTER asks for none
 * @param bindingsFile where bindings are kept across restarts
 * @param algorithms digest algorithms offered, most preferred first (RFC 8760 section 2.4)
 * @param lockout when a source that keeps failing digest authentication is shut out
 */
public record RegistrarConfig(List<String> domains, String realm, int minExpiresS, int maxExpiresS,
        int defaultExpiresS, Path bindingsFile, List<DigestAlgorithm> algorithms, Lockout lockout) {

    /**
     * A source address that fails digest authentication {@code failures} times within
     * {@code windowS} seconds is ignored for {@code banS} seconds (fail2ban's defaults: 5 in 10
     * minutes, 10 minutes). {@code failures = 0} turns it off.
     */
    public record Lockout(int failures, int windowS, int banS) {
        public static final Lockout DEFAULT = new Lockout(5, 600, 600);

        public boolean enabled() {
            return failures > 0;
        }
    }

    /** With the default lockout. */
    public RegistrarConfig(List<String> domains, String realm, int minExpiresS, int maxExpiresS,
            int defaultExpiresS, Path bindingsFile, List<DigestAlgorithm> algorithms) {
        this(domains, realm, minExpiresS, maxExpiresS, defaultExpiresS, bindingsFile, algorithms, Lockout.DEFAULT);
    }

    /** A digest algorithm as RFC 7616 and RFC 8760 name it. */
    public enum DigestAlgorithm implements Token {
        SHA256("sha-256", "SHA-256"), MD5("md5", "MD5");

        private final String token;
        private final String sipName;

        DigestAlgorithm(String token, String sipName) {
            this.token = token;
            this.sipName = sipName;
        }

        @Override
        public String token() {
            return token;
        }

        /** The {@code algorithm} parameter value of a challenge: {@code SHA-256}, {@code MD5}. */
        public String sipName() {
            return sipName;
        }
    }
}
