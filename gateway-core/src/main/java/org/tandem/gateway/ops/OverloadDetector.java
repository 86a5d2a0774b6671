package org.tandem.gateway.ops;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides when the gateway is overloaded: a resource that new calls need (the B-channels of a
 * group, the RTP port range) refused {@link #THRESHOLD} consecutive calls. Overload ends when
 * every such resource has admitted a call again (a channel seized in the group, a port pair
 * allocated). The model then shows tgOverloaded/tgOverloadReason and the SNMP agent sends
 * tgOverloadBegin/tgOverloadEnd; calls refused while overloaded are counted in
 * {@link CallCounters#rejectedOverload()}.
 *
 * <p>Why consecutive refusals rather than one: a single call meeting a full group is ordinary
 * congestion (cause 34) that the next released call cures; the same refusal three times in a row
 * means the capacity is gone, which is what an NMS should be woken for.
 *
 * <p>Threading: called on call control's thread only (not synchronised).
 */
public final class OverloadDetector {
    /** Consecutive refusals of one resource that start an overload. */
    public static final int THRESHOLD = 3;

    private final GatewayModel model;
    /** Consecutive refusals per resource name, in first-refusal order; absent = 0. */
    private final Map<String, Integer> refusals = new LinkedHashMap<>();
    /** Why overload control is shedding new INVITEs, or null when it is not. */
    private String shedding;

    OverloadDetector(GatewayModel model) {
        this.model = model;
    }

    /**
     * A call was refused because {@code resource} had nothing free.
     *
     * @param resource what ran out, as the operator should read it ("B-channels of group pstn")
     */
    public void refused(String resource) {
        if (model.snapshot().overloaded()) {
            model.counters().rejectForOverload();
        }
        refusals.merge(resource, 1, Integer::sum);
        update();
    }

    /** {@code resource} gave a call what it needed: its run of refusals ends. */
    public void admitted(String resource) {
        if (refusals.remove(resource) != null) {
            update();
        }
    }

    /**
     * Overload control of new INVITEs began ({@code reason}: the measure past its threshold) or
     * ended (null); it counts its own refusals ({@link GatewayModel#inviteAdmission()}).
     */
    public void shedding(String reason) {
        shedding = reason;
        update();
    }

    private void update() {
        if (shedding != null) {
            model.setOverload(true, "shedding new INVITEs: " + shedding);
            return;
        }
        for (Map.Entry<String, Integer> e : refusals.entrySet()) {
            if (e.getValue() >= THRESHOLD) {
                // The reason names the threshold, not the running count: a changed reason would be
                // announced again as a new tgOverloadBegin.
                model.setOverload(true, e.getKey() + " exhausted (" + THRESHOLD
                        + " consecutive calls refused)");
                return;
            }
        }
        model.setOverload(false, null);
    }
}
