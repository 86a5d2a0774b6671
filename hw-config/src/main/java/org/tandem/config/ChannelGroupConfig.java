package org.tandem.config;

import java.util.List;

/**
 * {@code [group NAME]}: B-channels that routes target as one, and how a free one is chosen.
 *
 * @param spans span numbers whose B-channels belong to this group (each span names its group)
 * @param minDigits with overlap receiving, digits needed before routing; 0 waits for sending complete
 *     or the inter-digit timeout
 * @param causes name of a {@code [causes NAME]} section, or null for the RFC 3398 defaults
 * @param faultLimit calls in a row failing on a B-channel through the gateway's own side (the
 *     channel cannot be set up, its media cannot attach, it is lost under the call) before the
 *     channel is taken out of service; 0 never takes one out
 * @param faultRetryS seconds an out-of-service channel waits before it is offered to one call
 *     again (doubled after each trial call that fails too, up to an hour)
 */
public record ChannelGroupConfig(String name, Hunting hunting, int minDigits,
        int interdigitTimeoutMs, String causes, int faultLimit, int faultRetryS, List<Integer> spans) {

    public enum Hunting implements Token {
        ASCENDING, DESCENDING, ROUNDROBIN, LRU;
    }
}
