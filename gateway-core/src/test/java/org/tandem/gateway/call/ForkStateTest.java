package org.tandem.gateway.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.interwork.Reason;

/** The branch logic of a call forked to a user's contacts, without a SIP stack or timers. */
class ForkStateTest {
    private static final ForkState.Wait WAIT = new ForkState.Wait();

    @Test
    void shouldStartEveryBranchAtOnceWhenParallel() {
        ForkState f = new ForkState(ForkState.Mode.PARALLEL, 3);
        assertEquals(List.of(0, 1, 2), f.start().branches());
        assertEquals(List.of(0, 1, 2), f.live());
    }

    @Test
    void shouldStartOnlyTheMostPreferredBranchWhenSequential() {
        ForkState f = new ForkState(ForkState.Mode.SEQUENTIAL, 3);
        assertEquals(List.of(0), f.start().branches());
        assertEquals(ForkState.Branch.WAITING, f.branch(1));
    }

    @Test
    void shouldLetTheFirstAnswerWinAndCancelEveryOtherLiveBranch() {
        ForkState f = new ForkState(ForkState.Mode.PARALLEL, 3);
        f.start();
        f.onProvisional(0);
        f.onProvisional(2);
        assertEquals(WAIT, f.onFailed(2, 486, null));
        ForkState.Won won = assertInstanceOf(ForkState.Won.class, f.onAnswered(1));
        assertEquals(1, won.branch());
        assertEquals(List.of(0), won.cancel(), "the busy branch has already ended; only 0 still rings");
        assertEquals(1, f.winner());
        assertFalse(f.ringing());
        assertEquals(ForkState.Branch.CANCELLED, f.branch(0));
    }

    @Test
    void shouldIgnoreASecondAnswerAfterTheFirstWon() {
        ForkState f = new ForkState(ForkState.Mode.PARALLEL, 2);
        f.start();
        f.onAnswered(0);
        assertEquals(WAIT, f.onAnswered(1));
        assertEquals(0, f.winner());
    }

    @Test
    void shouldRingTheNextContactWhenTheCurrentOneRingsOutOrFails() {
        ForkState f = new ForkState(ForkState.Mode.SEQUENTIAL, 3);
        f.start();
        f.onProvisional(0);
        assertEquals(List.of(1), assertInstanceOf(ForkState.Start.class, f.onRingTimeout(0)).branches());
        assertEquals(ForkState.Branch.RANG_OUT, f.branch(0));
        assertEquals(List.of(2), assertInstanceOf(ForkState.Start.class, f.onFailed(1, 486, null)).branches());
        ForkState.Won won = assertInstanceOf(ForkState.Won.class, f.onAnswered(2));
        assertEquals(List.of(), won.cancel());
    }

    @Test
    void shouldBeBusyWhenEveryContactIsBusy() {
        ForkState f = new ForkState(ForkState.Mode.PARALLEL, 2);
        f.start();
        Reason busy = Reason.q850(17);
        assertEquals(WAIT, f.onFailed(0, 486, busy));
        ForkState.AllFailed all = assertInstanceOf(ForkState.AllFailed.class, f.onFailed(1, 486, null));
        assertEquals(486, all.status());
        assertEquals(busy, all.reason(), "the Reason of the chosen response comes along");
        assertFalse(all.noAnswer());
    }

    @Test
    void shouldPreferBusyAmongClientErrorsAndAnyClientErrorOverServerErrorsAndTimeouts() {
        ForkState f = new ForkState(ForkState.Mode.PARALLEL, 4);
        f.start();
        f.onFailed(0, 503, null);
        f.onFailed(1, 408, null);
        f.onFailed(2, 486, null);
        assertEquals(486, assertInstanceOf(ForkState.AllFailed.class, f.onFailed(3, 404, null)).status());

        ForkState g = new ForkState(ForkState.Mode.PARALLEL, 3);
        g.start();
        g.onFailed(0, 503, null);
        g.onFailed(1, 408, null);
        assertEquals(404, assertInstanceOf(ForkState.AllFailed.class, g.onFailed(2, 404, null)).status());

        ForkState r = new ForkState(ForkState.Mode.PARALLEL, 3);
        r.start();
        r.onFailed(0, 302, null); // a redirect the SIP side did not follow
        r.onFailed(1, 408, null);
        assertEquals(503, assertInstanceOf(ForkState.AllFailed.class, r.onFailed(2, 503, null)).status());

        ForkState h = new ForkState(ForkState.Mode.PARALLEL, 2);
        h.start();
        h.onFailed(0, 0, null); // never sent
        assertEquals(503, assertInstanceOf(ForkState.AllFailed.class, h.onFailed(1, 503, null)).status());
    }

    @Test
    void shouldEndTheForkOnA6xxAndCancelTheOthers() {
        ForkState f = new ForkState(ForkState.Mode.PARALLEL, 3);
        f.start();
        f.onFailed(0, 486, null);
        ForkState.GlobalFailure g = assertInstanceOf(ForkState.GlobalFailure.class, f.onFailed(1, 600, null));
        assertEquals(List.of(2), g.cancel());
        assertEquals(600, g.failed().status());
        assertFalse(f.ringing());
    }

    @Test
    void shouldStopASequentialForkAtA6xx() {
        ForkState f = new ForkState(ForkState.Mode.SEQUENTIAL, 3);
        f.start();
        ForkState.AllFailed all = assertInstanceOf(ForkState.AllFailed.class, f.onFailed(0, 603, null));
        assertEquals(603, all.status());
        assertEquals(ForkState.Branch.WAITING, f.branch(1), "contacts after a 6xx are not rung");
    }

    @Test
    void shouldSayNoAnswerWhenAContactRangOutEvenIfAnotherWasBusy() {
        ForkState f = new ForkState(ForkState.Mode.PARALLEL, 2);
        f.start();
        f.onProvisional(0);
        f.onFailed(1, 486, null);
        ForkState.AllFailed all = assertInstanceOf(ForkState.AllFailed.class, f.onRingTimeout(0));
        assertTrue(all.noAnswer());
        assertTrue(all.alerted());
        assertEquals(0, all.status());
    }

    @Test
    void shouldTellARingOutWithoutAnyProvisionalFromOneThatAlerted() {
        ForkState f = new ForkState(ForkState.Mode.SEQUENTIAL, 1);
        f.start();
        ForkState.AllFailed all = assertInstanceOf(ForkState.AllFailed.class, f.onRingTimeout(0));
        assertTrue(all.noAnswer());
        assertFalse(all.alerted());
    }

    @Test
    void shouldCancelEveryLiveBranchOnRelease() {
        ForkState f = new ForkState(ForkState.Mode.PARALLEL, 3);
        f.start();
        f.onFailed(1, 480, null);
        assertEquals(List.of(0, 2), f.cancelAll());
        assertEquals(List.of(), f.live());
        assertEquals(WAIT, f.onFailed(0, 487, null), "events after the cancel change nothing");
        assertEquals(WAIT, f.onAnswered(2));
        assertEquals(-1, f.winner());
    }

    @Test
    void shouldGiveNoStatusWhenNoBranchEverGotAResponse() {
        ForkState f = new ForkState(ForkState.Mode.PARALLEL, 1);
        f.start();
        ForkState.AllFailed all = assertInstanceOf(ForkState.AllFailed.class, f.onFailed(0, 0, null));
        assertEquals(0, all.status());
        assertNull(all.reason());
        assertThrows(IllegalArgumentException.class, () -> new ForkState(ForkState.Mode.PARALLEL, 0));
    }
}
