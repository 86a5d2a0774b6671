package org.tandem.gateway.ops;

import java.util.List;
import org.tandem.tdm.SpanAlarms;

/**
 * One span in a {@link GatewaySnapshot}.
 *
 * @param definition configured facts
 * @param alarms DAHDI alarm bits ({@link SpanAlarms})
 * @param alarmsChangedMillis epoch ms of the last change of {@code alarms} (start-up time if none)
 * @param dChannelUp the D-channel's layer 2 (Q.921) is established
 * @param dChannelChangedMillis epoch ms of the last D-channel change
 * @param errors error counters, {@link Ds1ErrorCounters#NONE} when the backend has none
 * @param channels B-channels in channel-position order
 */
public record SpanView(SpanDefinition definition, int alarms, long alarmsChangedMillis,
        boolean dChannelUp, long dChannelChangedMillis, Ds1ErrorCounters errors,
        List<ChannelView> channels) {

    public int number() {
        return definition.number();
    }

    /** No alarm that takes the span out of service ({@link SpanAlarms#inService}). */
    public boolean inService() {
        return SpanAlarms.inService(alarms);
    }

    /** In service and the D-channel is up: calls can be placed. */
    public boolean operational() {
        return inService() && dChannelUp;
    }

    /** Number of channels in the given status. */
    public int count(ChannelStatus status) {
        int n = 0;
        for (ChannelView c : channels) {
            if (c.status() == status) {
                n++;
            }
        }
        return n;
    }

    /** The channel at {@code chanpos}, or null. */
    public ChannelView channel(int chanpos) {
        for (ChannelView c : channels) {
            if (c.chanpos() == chanpos) {
                return c;
            }
        }
        return null;
    }
}
