package org.tandem.gateway.presence;

import java.util.Objects;

/**
 * One call of a resource as the dialog package shows it (RFC 4235 section 4.1).
 *
 * @param id the gateway's call id: stable for the call's life, unique while the process runs
 * @param sipCallId the SIP Call-ID of the call's SIP leg, or "" before it exists
 * @param state early (set up, not answered), confirmed (answered) or terminated (just ended)
 * @param initiator true when the resource placed the call, false when it is the called party
 */
public record LineDialog(String id, String sipCallId, State state, boolean initiator) {

    /** RFC 4235 3.7.1 states we use (trying and proceeding are folded into early). */
    public enum State {
        EARLY("early"), CONFIRMED("confirmed"), TERMINATED("terminated");

        private final String xml;

        State(String xml) {
            this.xml = xml;
        }

        public String xml() {
            return xml;
        }
    }

    public LineDialog {
        Objects.requireNonNull(id, "id");
        sipCallId = Objects.requireNonNullElse(sipCallId, "");
        Objects.requireNonNull(state, "state");
    }

    LineDialog terminated() {
        return new LineDialog(id, sipCallId, State.TERMINATED, initiator);
    }
}
