package org.tandem.gateway.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.ops.ActiveCall;
import org.tandem.gateway.ops.CallDirection;
import org.tandem.gateway.ops.GatewayModel;
import org.tandem.gateway.ops.LineCoding;
import org.tandem.gateway.ops.LineType;
import org.tandem.gateway.ops.SpanDefinition;
import org.tandem.gateway.registrar.LocationService;
import org.tandem.gateway.registrar.UserDirectory;

/** Who is in which call, from the ops model's snapshot: both directions, users by NAME and number. */
class LineIndexTest {
    final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    final UserDirectory users = new UserDirectory(List.of(SubscriptionManagerTest.ALICE, SubscriptionManagerTest.BOB),
            List.of("pbx.example.net"));
    final GatewayModel model = new GatewayModel("gw", clock::get);
    final LocationService location = new LocationService(users);

    LineIndexTest() {
        model.addSpan(new SpanDefinition(1, "TE/1", LineType.E1_CRC, LineCoding.HDB3, "pri_cpe", List.of(1, 2)));
    }

    LineIndex index() {
        return LineIndex.of(model.snapshot(), location.snapshot(), users, clock.get());
    }

    static Resource user(String name) {
        return new Resource(Resource.Kind.USER, name, "sip:" + name + "@pbx.example.net");
    }

    static Resource number(String n) {
        return new Resource(Resource.Kind.NUMBER, n, "sip:" + n + "@pbx.example.net");
    }

    @Test
    void shouldGiveAPstnToSipCallToTheCalledUserAsRecipientAndToTheCallingNumberAsInitiator() {
        model.callStarted(1, 2, ActiveCall.started("c5", CallDirection.PSTN_TO_SIP, "0301234567", "1002", "", clock.get())
                .withParties("1002", "0301234567"));
        LineState bob = index().stateOf(user("bob"));
        assertEquals(List.of(new LineDialog("c5", "", LineDialog.State.EARLY, false)), bob.dialogs());
        assertFalse(bob.busy(), "ringing towards bob is not busy yet");
        assertFalse(bob.registered());
        LineState caller = index().stateOf(number("0301234567"));
        assertEquals(List.of(new LineDialog("c5", "", LineDialog.State.EARLY, true)), caller.dialogs());
        assertTrue(caller.busy(), "the caller is placing a call");
        assertEquals(List.of(), index().stateOf(user("alice")).dialogs());
    }

    @Test
    void shouldFindAUsersCallsByItsNameAndByEachNumberOnce() {
        model.callStarted(1, 1, ActiveCall.started("c1", CallDirection.SIP_TO_PSTN, "alice", "1004", "x", clock.get())
                .withParties("alice", "1004").withAnswer(clock.get()));
        model.callStarted(1, 2, ActiveCall.started("c2", CallDirection.SIP_TO_PSTN, "1001", "1004", "y", clock.get())
                .withParties("1001", "1004"));
        LineState alice = index().stateOf(user("alice"));
        assertEquals(List.of("c1", "c2"), alice.dialogs().stream().map(LineDialog::id).toList());
        assertTrue(alice.busy());
        assertEquals(LineDialog.State.CONFIRMED, alice.dialogs().get(0).state());
        assertEquals(2, index().stateOf(number("1004")).dialogs().size(), "both calls are to 1004");
    }

    @Test
    void shouldIgnoreCallsWithoutParties() {
        model.callStarted(1, 1, ActiveCall.started("c1", CallDirection.SIP_TO_PSTN, "1001", "1004", "x", clock.get()));
        assertEquals(List.of(), index().stateOf(user("alice")).dialogs(), "no party: an old reporter, nothing matched");
    }
}
