package org.tandem.config;

import java.util.List;

/**
 * {@code [group NAME]}: B-channels that routes target as one, and how a free one is chosen.
 *
 * @param spans span numbers whose B-channels belong to this group (each span names its group)
 * @param minDigits with overlap receiving, digits needed before routing; 0 waits for sending complete
 *     or the inter-digit timeout
 * @param causes name of a {@code [causes NAME]} section, or null for the RFC 3398 defaults
 */
public record ChannelGroupConfig(String name, Hunting hunting, int minDigits,
        int interdigitTimeoutMs, String causes, List<Integer> spans) {

    public enum Hunting implements Token {
        ASCENDING, DESCENDING, ROUNDROBIN, LRU;
    }
}
