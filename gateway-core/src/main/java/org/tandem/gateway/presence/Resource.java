package org.tandem.gateway.presence;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a subscription watches: a {@code [user NAME]} (by its NAME or one of its numbers) or a
 * number of the PSTN side (busy-lamp field of a line that is no user's).
 *
 * @param kind user or number
 * @param key the user's NAME, or the number
 * @param entity the URI the documents name as their entity: the SUBSCRIBE's Request-URI as
 *     {@code sip:USER@HOST}
 */
public record Resource(Kind kind, String key, String entity) {
    /** What a number resource may look like: digits, with {@code *}, {@code #} and a leading {@code +}. */
    static final Pattern NUMBER = Pattern.compile("\\+?[0-9*#]{1,32}");

    public enum Kind {
        USER, NUMBER
    }

    public Resource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(entity, "entity");
    }
}
