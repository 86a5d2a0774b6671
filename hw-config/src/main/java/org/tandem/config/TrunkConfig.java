package org.tandem.config;

import java.util.List;

/**
 * {@code [trunk NAME]}: a SIP peer.
 *
 * @param password digest password, or null when the trunk does not authenticate
 * @param trusted source addresses whose INVITEs may reach the PSTN without authentication; empty
 *     means the addresses {@code host} resolves to
 * @param causes name of a {@code [causes NAME]} section, or null for the RFC 3398 defaults
 */
public record TrunkConfig(String name, String host, int port, SipConfig.Transport transport,
        boolean register, int registerExpiresS, String username, Secret password, String realm,
        List<Cidr> trusted, String causes) {
}
