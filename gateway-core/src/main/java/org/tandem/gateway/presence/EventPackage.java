package org.tandem.gateway.presence;

import java.util.Locale;
import java.util.Optional;

/** The event packages we notify, with the body type each one's NOTIFY carries. */
public enum EventPackage {
    /**
     * RFC 4235: the dialogs (calls) of a user or a PSTN number; the busy-lamp field. At most one
     * NOTIFY a second per subscription (3.10: "SHOULD NOT generate notifications for a single user
     * at a rate of more than once per second").
     */
    DIALOG("dialog", "application", "dialog-info+xml", 1000),
    /**
     * RFC 3856: open/closed and on-the-phone of a user, in PIDF (RFC 3863). At most one NOTIFY
     * every five seconds per subscription (6.4: "SHOULD NOT generate notifications for a single
     * presentity at a rate of more than once every five seconds").
     */
    PRESENCE("presence", "application", "pidf+xml", 5000);

    private final String token;
    private final String type;
    private final String subtype;
    private final long minNotifyIntervalMs;

    EventPackage(String token, String type, String subtype, long minNotifyIntervalMs) {
        this.token = token;
        this.type = type;
        this.subtype = subtype;
        this.minNotifyIntervalMs = minNotifyIntervalMs;
    }

    /**
     * Least time between two NOTIFYs of a subscription that report a change; changes within it
     * are folded into the next one. The NOTIFYs that answer a SUBSCRIBE and the last one are not held.
     */
    public long minNotifyIntervalMs() {
        return minNotifyIntervalMs;
    }

    /** The Event header's package name. */
    public String token() {
        return token;
    }

    public String contentType() {
        return type;
    }

    public String contentSubtype() {
        return subtype;
    }

    public String mediaType() {
        return type + "/" + subtype;
    }

    /** The package an Event header names (package names compare ignoring case, RFC 6665 8.2.1). */
    public static Optional<EventPackage> of(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String t = token.trim().toLowerCase(Locale.ROOT);
        for (EventPackage p : values()) {
            if (p.token.equals(t)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The Allow-Events value of a 489: every package we notify. */
    public static String allowEvents() {
        return DIALOG.token + ", " + PRESENCE.token;
    }
}
