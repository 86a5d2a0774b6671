package org.tandem.gateway.ops;

/**
 * Something an operator should be told about without asking: the SNMP agent turns each into a
 * notification. Published by {@link GatewayModel} after the snapshot that shows the change.
 */
public sealed interface OpsEvent {

    /** The snapshot that already reflects this event. */
    GatewaySnapshot snapshot();

    /** A span's DAHDI alarm bits changed (linkDown/linkUp and dsx1LineStatusChange). */
    record SpanAlarmChanged(GatewaySnapshot snapshot, int span, int oldAlarms, int newAlarms)
            implements OpsEvent {
        /** The span went from in service to out of service or back. */
        public boolean serviceChanged() {
            return org.tandem.tdm.SpanAlarms.inService(oldAlarms)
                    != org.tandem.tdm.SpanAlarms.inService(newAlarms);
        }
    }

    /** A span's D-channel went up or down. */
    record DChannelChanged(GatewaySnapshot snapshot, int span, boolean up) implements OpsEvent {
    }

    /**
     * The gateway took a B-channel out of service after calls in a row failed on it, or put it back
     * (a trial call worked, or the operator unblocked it).
     *
     * @param fault the last failure when it went out of service, null when it came back
     */
    record ChannelServiceChanged(GatewaySnapshot snapshot, int span, int chanpos, String fault)
            implements OpsEvent {
        public boolean inService() {
            return fault == null;
        }
    }

    /** The gateway changed life-cycle state (started = RUNNING, stopping = STOPPING). */
    record GatewayStateChanged(GatewaySnapshot snapshot, GatewayState state) implements OpsEvent {
    }

    /** Call admission started or stopped refusing calls for lack of capacity. */
    record OverloadChanged(GatewaySnapshot snapshot, boolean overloaded, String reason)
            implements OpsEvent {
    }
}
