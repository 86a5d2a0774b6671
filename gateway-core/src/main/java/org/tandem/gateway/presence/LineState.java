package org.tandem.gateway.presence;

import java.util.List;

/**
 * A resource at one moment: registered or not (users only) and its calls.
 *
 * @param registered the user has at least one live binding (always false for a number)
 * @param dialogs its calls, in call id order
 */
public record LineState(boolean registered, List<LineDialog> dialogs) {
    public static final LineState NOBODY = new LineState(false, List.of());

    public LineState {
        dialogs = List.copyOf(dialogs);
    }

    /**
     * On the phone: a call of the resource is answered, or the resource is placing one (dialling,
     * hearing ringback). A call ringing towards the user does not make it busy yet.
     */
    public boolean busy() {
        return dialogs.stream().anyMatch(d -> d.state() == LineDialog.State.CONFIRMED || d.initiator());
    }
}
