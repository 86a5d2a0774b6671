package org.tandem.gateway.sip;

import java.util.Objects;

/**
 * The target of a REFER's {@code Refer-To} (RFC 3515 2.1) as call control needs it: a {@code sip:}
 * URI reduced to what an INVITE to it takes. Call control decides whether it may be called.
 *
 * @param user the user part (the number to call), or null
 * @param host the host part, as written
 * @param port the port, 5060 when the URI names none
 * @param transport {@code udp} or {@code tcp}
 */
public record ReferTarget(String user, String host, int port, String transport) {
    public ReferTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(transport, "transport");
    }
}
