package org.tandem.gateway.call;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CallStateTest {

    @Test
    void shouldAllowEveryLiveStateToStartReleasing() {
        for (CallState s : CallState.values()) {
            if (s.isLive()) {
                assertTrue(s.canMoveTo(CallState.RELEASING), s.name());
            }
        }
    }

    @Test
    void shouldNeverLeaveReleasedOrGoBackFromConnected() {
        for (CallState s : CallState.values()) {
            assertFalse(CallState.RELEASED.canMoveTo(s), s.name());
        }
        assertFalse(CallState.CONNECTED.canMoveTo(CallState.ALERTING));
        assertFalse(CallState.CONNECTED.canMoveTo(CallState.ROUTING));
    }

    @Test
    void shouldAllowFailoverOnlyBeforeAnswerOrRinging() {
        assertTrue(CallState.SEIZING.canMoveTo(CallState.ROUTING));
        assertTrue(CallState.PROCEEDING.canMoveTo(CallState.ROUTING));
        assertFalse(CallState.ALERTING.canMoveTo(CallState.ROUTING));
    }
}
