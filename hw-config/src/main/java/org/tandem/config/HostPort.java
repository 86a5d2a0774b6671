package org.tandem.config;

/** An address and port as written ({@code 127.0.0.1:5060}, {@code [::1]:5060}, {@code host:5060}). */
public record HostPort(String host, int port) {

    /** True for 0.0.0.0 and ::, which bind every interface. */
    public boolean isWildcard() {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    /** True when both would bind the same address, counting a wildcard as every address. */
    public boolean sameHostAs(String other) {
        return host.equals(other) || isWildcard()
                || new HostPort(other, 0).isWildcard();
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
