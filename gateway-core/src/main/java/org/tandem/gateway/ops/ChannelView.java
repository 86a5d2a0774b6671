package org.tandem.gateway.ops;

/**
 * One B-channel in a {@link GatewaySnapshot}.
 *
 * @param span span number
 * @param chanpos channel position within the span (timeslot), 1-based
 * @param status what the operator sees, derived as {@link ChannelStatus} describes
 * @param blocked the operator blocked it (it takes no new calls; a call on it may finish)
 * @param call the call on it, or null
 * @param fault why the gateway took it out of service (the last local failure of a call on it), or
 *     null while it is in service
 */
public record ChannelView(int span, int chanpos, ChannelStatus status, boolean blocked,
        ActiveCall call, String fault) {

    /** "span/chanpos", the console's way of naming a channel. */
    public String name() {
        return span + "/" + chanpos;
    }
}
