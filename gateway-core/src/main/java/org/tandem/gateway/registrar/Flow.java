package org.tandem.gateway.registrar;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a REGISTER came from: the transport and the packet's source address and port, which is
 * what RFC 3581 {@code received}/{@code rport} report. A phone behind NAT is reached back on this
 * flow (the pinhole its REGISTER opened), not at the private address in its Contact.
 *
 * @param transport {@code udp} or {@code tcp}, lower case
 */
public record Flow(String transport, String host, int port) {

    public Flow {
        Objects.requireNonNull(host, "host");
        transport = transport.toLowerCase(Locale.ROOT);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " of flow " + transport + ":" + host
                    + " is outside 1-65535");
        }
    }

    @Override
    public String toString() {
        return transport + ":" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
