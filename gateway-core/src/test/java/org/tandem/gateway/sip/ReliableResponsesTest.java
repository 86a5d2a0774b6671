package org.tandem.gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RFC 3262 section 4, the UAC side, per early dialog, without a stack. */
class ReliableResponsesTest {
    @Test
    void shouldAcceptTheFirstRseqOfADialogAndThenOnlyTheNextOne() {
        ReliableResponses r = new ReliableResponses();
        assertTrue(r.accept("a", 4711), "the first may carry any RSeq");
        assertFalse(r.accept("a", 4711), "a retransmission: no second PRACK");
        assertFalse(r.accept("a", 4713), "out of order");
        assertFalse(r.accept("a", 4710));
        assertTrue(r.accept("a", 4712));
    }

    @Test
    void shouldNumberEachForkOnItsOwn() {
        ReliableResponses r = new ReliableResponses();
        assertTrue(r.accept("a", 1));
        assertTrue(r.accept("b", 1), "another fork's dialog starts its own count");
        assertTrue(r.accept("b", 2));
        assertFalse(r.accept("a", 3));
        assertTrue(r.accept("a", 2));
        assertEquals(2, r.dialogCount());
    }

    @Test
    void shouldRememberAtMostTheEarlyDialogLimit() {
        ReliableResponses r = new ReliableResponses();
        for (int i = 0; i < ForkedDialogs.MAX_EARLY; i++) {
            assertTrue(r.accept("fork" + i, 1));
        }
        assertFalse(r.accept("one-more", 1), "a peer cannot grow the table");
        assertEquals(ForkedDialogs.MAX_EARLY, r.dialogCount());
        assertTrue(r.accept("fork0", 2), "the known dialogs go on");
    }
}
