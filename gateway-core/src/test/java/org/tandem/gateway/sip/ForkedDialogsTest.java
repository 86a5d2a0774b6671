package org.tandem.gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ForkedDialogsTest {
    private final ForkedDialogs forks = new ForkedDialogs();

    @Test
    void shouldTrackOneEarlyDialogPerToTag() {
        assertFalse(forks.onProvisional("a", false));
        assertFalse(forks.onProvisional("b", false));
        forks.onProvisional("a", false);
        assertEquals(Set.of("a", "b"), forks.earlyTags());
        assertNull(forks.answeredTag());
    }

    @Test
    void shouldReportEarlyMediaOfTheFirstForkThatBringsSdpOnly() {
        assertTrue(forks.onProvisional("a", true));
        assertFalse(forks.onProvisional("b", true), "a second early-media stream is not rendered");
        assertTrue(forks.onProvisional("a", true), "the same fork may update its early media");
    }

    @Test
    void shouldMakeTheFirstAnswerTheCallAndEndTheEarlyDialogs() {
        forks.onProvisional("a", false);
        forks.onProvisional("b", false);
        assertEquals(ForkedDialogs.Answer.FIRST, forks.onAnswer("b", 0));
        assertEquals("b", forks.answeredTag());
        assertEquals(0, forks.earlyCount());
        assertEquals(ForkedDialogs.Answer.RETRANSMISSION, forks.onAnswer("b", 1));
    }

    @Test
    void shouldAckAndByeAnotherForkOnceAndOnlyWithinTheWindow() {
        forks.onAnswer("a", 0);
        assertEquals(ForkedDialogs.Answer.OTHER_FORK, forks.onAnswer("b", ForkedDialogs.ANSWER_WINDOW_NS));
        assertEquals(ForkedDialogs.Answer.OTHER_FORK_AGAIN, forks.onAnswer("b", ForkedDialogs.ANSWER_WINDOW_NS + 5));
        assertEquals(ForkedDialogs.Answer.LATE, forks.onAnswer("c", ForkedDialogs.ANSWER_WINDOW_NS + 1));
    }

    @Test
    void shouldLetTheOtherForkBeTheCallWhenTheStackTookIt() {
        assertEquals(ForkedDialogs.Answer.FIRST, forks.onAnswer("a", 0));
        forks.notTheCall("a");
        assertEquals(ForkedDialogs.Answer.FIRST, forks.onAnswer("b", 1));
        assertEquals(ForkedDialogs.Answer.OTHER_FORK_AGAIN, forks.onAnswer("a", 2));
    }

    @Test
    void shouldEndEveryEarlyDialogOnAFailure() {
        forks.onProvisional("a", false);
        forks.onFailure();
        forks.onProvisional("late", false);
        assertEquals(0, forks.earlyCount());
    }

    @Test
    void shouldBoundTheEarlyDialogsAPeerCanCreate() {
        for (int i = 0; i < 1000; i++) {
            forks.onProvisional("t" + i, false);
        }
        assertEquals(ForkedDialogs.MAX_EARLY, forks.earlyCount());
    }
}
