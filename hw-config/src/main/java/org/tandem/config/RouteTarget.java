package org.tandem.config;

/**
 * Where a route sends a call: {@code group:NAME}, {@code trunk:NAME}, a fixed {@code sip:} URI,
 * {@code user:NAME} (the registered contacts of one {@code [user NAME]}) or {@code users} (the
 * registered contacts of whichever user owns the called number, looked up at call time).
 *
 * @param name the group, trunk or user NAME, the URI, or null for {@link Kind#USERS}
 */
public record RouteTarget(Kind kind, String name) {

    public enum Kind { GROUP, TRUNK, URI, USER, USERS }

    /** The {@code users} target: the owner of the called number. */
    public static final RouteTarget USERS = new RouteTarget(Kind.USERS, null);

    /** True for the targets that ring registered users ({@code user:NAME}, {@code users}). */
    public boolean isRegisteredUser() {
        return kind == Kind.USER || kind == Kind.USERS;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case GROUP -> "group:" + name;
            case TRUNK -> "trunk:" + name;
            case URI -> name;
            case USER -> "user:" + name;
            case USERS -> "users";
        };
    }
}
