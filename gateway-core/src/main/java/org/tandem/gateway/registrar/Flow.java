package org.tandem.gateway.registrar;

import java.net.InetAddress;
import java.net.UnknownHostException;
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

    /**
     * The source address; the host is always an IP literal (a packet's source, or a bindings
     * file written from one), so this never asks DNS.
     */
    public InetAddress address() {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException notALiteral) {
            throw new IllegalStateException("flow host is not an IP address: " + host, notALiteral);
        }
    }

    @Override
    public String toString() {
        return transport + ":" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
