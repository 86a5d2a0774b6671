package org.tandem.gateway.ops;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything an operator can see of the gateway at one instant, immutable. Counters are not in it
 * (they live in {@link CallCounters} and are read directly).
 *
 * @param name gateway name (sysName)
 * @param state life-cycle state
 * @param startedMillis epoch ms the model was created (process start)
 * @param stateChangedMillis epoch ms of the last state change
 * @param overloaded call admission is currently refusing calls for lack of capacity
 * @param overloadReason why, or "" when not overloaded
 * @param spans spans in span-number order
 */
public record GatewaySnapshot(String name, GatewayState state, long startedMillis,
        long stateChangedMillis, boolean overloaded, String overloadReason, List<SpanView> spans) {

    /** The span with this number, or null. */
    public SpanView span(int number) {
        for (SpanView s : spans) {
            if (s.number() == number) {
                return s;
            }
        }
        return null;
    }

    /** Every channel with a call on it, in span/channel order. */
    public List<ChannelView> activeCalls() {
        List<ChannelView> calls = new ArrayList<>();
        for (SpanView s : spans) {
            for (ChannelView c : s.channels()) {
                if (c.call() != null) {
                    calls.add(c);
                }
            }
        }
        return calls;
    }

    /** The channel carrying the call with this gateway call id, or null. */
    public ChannelView findCall(String callId) {
        for (SpanView s : spans) {
            for (ChannelView c : s.channels()) {
                if (c.call() != null && c.call().callId().equals(callId)) {
                    return c;
                }
            }
        }
        return null;
    }
}
