package org.tandem.config;

/** Where a route sends a call: {@code group:NAME}, {@code trunk:NAME} or a fixed {@code sip:} URI. */
public record RouteTarget(Kind kind, String name) {

    public enum Kind { GROUP, TRUNK, URI }

    @Override
    public String toString() {
        return switch (kind) {
            case GROUP -> "group:" + name;
            case TRUNK -> "trunk:" + name;
            case URI -> name;
        };
    }
}
