package org.tandem.gateway.presence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tandem.config.UserConfig;
import org.tandem.gateway.ops.ActiveCall;
import org.tandem.gateway.ops.CallDirection;
import org.tandem.gateway.ops.ChannelView;
import org.tandem.gateway.ops.GatewaySnapshot;
import org.tandem.gateway.registrar.LocationSnapshot;
import org.tandem.gateway.registrar.UserDirectory;

/**
 * Who is in a call and who is registered, from the two snapshots other threads publish: the ops
 * model's {@link GatewaySnapshot} (call control writes it; every call on a B-channel with its SIP
 * and PSTN parties) and the registrar's {@link LocationSnapshot}. Immutable; built on the presence
 * thread each time either snapshot changes, so call control never waits for presence.
 *
 * <p>A call belongs to its SIP party ({@link ActiveCall#sipParty()}: the From user of an inbound
 * INVITE, the Request-URI user of ours) and to its PSTN party (the number called on the span, or
 * the calling number of an incoming SETUP). A user's calls are those whose party is its NAME or
 * one of its numbers.
 */
public final class LineIndex {
    private final Map<String, List<LineDialog>> byParty;
    private final LocationSnapshot location;
    private final UserDirectory users;
    private final long nowMillis;

    private LineIndex(Map<String, List<LineDialog>> byParty, LocationSnapshot location, UserDirectory users,
            long nowMillis) {
        this.byParty = byParty;
        this.location = location;
        this.users = users;
        this.nowMillis = nowMillis;
    }

    public static LineIndex of(GatewaySnapshot calls, LocationSnapshot location, UserDirectory users, long nowMillis) {
        Map<String, List<LineDialog>> byParty = new HashMap<>();
        for (ChannelView ch : calls.activeCalls()) {
            ActiveCall a = ch.call();
            LineDialog.State state = a.answered() ? LineDialog.State.CONFIRMED : LineDialog.State.EARLY;
            boolean sipPlaced = a.direction() == CallDirection.SIP_TO_PSTN;
            add(byParty, a.sipParty(), new LineDialog(a.callId(), a.sipCallId(), state, sipPlaced));
            add(byParty, a.pstnParty(), new LineDialog(a.callId(), a.sipCallId(), state, !sipPlaced));
        }
        return new LineIndex(byParty, location, users, nowMillis);
    }

    /** The same calls, with registrations judged at {@code nowMillis} (bindings lapse between snapshots). */
    public LineIndex at(long nowMillis) {
        return nowMillis == this.nowMillis ? this : new LineIndex(byParty, location, users, nowMillis);
    }

    private static void add(Map<String, List<LineDialog>> byParty, String party, LineDialog d) {
        if (!party.isEmpty()) {
            byParty.computeIfAbsent(party, p -> new ArrayList<>()).add(d);
        }
    }

    /** The resource now: registration (users) and calls, in call id order, each call once. */
    public LineState stateOf(Resource r) {
        Map<String, LineDialog> dialogs = new LinkedHashMap<>();
        boolean registered = false;
        if (r.kind() == Resource.Kind.USER) {
            UserConfig u = users.byName(r.key()).orElse(null);
            if (u == null) {
                return LineState.NOBODY;
            }
            registered = !location.contactsOf(u.name(), nowMillis).isEmpty();
            collect(dialogs, u.name());
            u.numbers().forEach(n -> collect(dialogs, n));
        } else {
            collect(dialogs, r.key());
        }
        List<LineDialog> list = new ArrayList<>(dialogs.values());
        list.sort(java.util.Comparator.comparing(LineDialog::id));
        return new LineState(registered, list);
    }

    private void collect(Map<String, LineDialog> into, String party) {
        for (LineDialog d : byParty.getOrDefault(party, List.of())) {
            into.putIfAbsent(d.id(), d);
        }
    }
}
