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
 * @param replaces the Refer-To's {@code Replaces} (unescaped) when it names no dialog of ours, to
 *                 be passed on in the INVITE to the target (RFC 3891 7.1), or null
 */
public record ReferTarget(String user, String host, int port, String transport, String replaces) {
    public ReferTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(transport, "transport");
    }

    /** A target without Replaces. */
    public ReferTarget(String user, String host, int port, String transport) {
        this(user, host, port, transport, null);
    }
}
