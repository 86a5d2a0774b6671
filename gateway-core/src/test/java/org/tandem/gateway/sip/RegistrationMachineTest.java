package org.tandem.gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tandem.gateway.sip.RegistrationMachine.Action;
import org.tandem.gateway.sip.RegistrationMachine.State;
import org.tandem.gateway.sip.RegistrationMachine.Step;

class RegistrationMachineTest {
    private static final long T0 = 1_000_000;

    private static RegistrationMachine machine(int expires) {
        return new RegistrationMachine(expires, () -> 0.5);
    }

    @Test
    void shouldAnswerAChallengeThenBeRegisteredForTheGrantedIntervalAndRefreshAtHalf() {
        RegistrationMachine m = machine(3600);
        Step s = m.start(T0);
        assertEquals(new Step(Action.SEND, 3600, false, T0), s);
        assertEquals(State.REGISTERING, m.state());
        s = m.onResponse(401, -1, -1, true, T0 + 10);
        assertEquals(new Step(Action.SEND, 3600, true, T0 + 10), s);
        s = m.onResponse(200, 600, -1, false, T0 + 20);
        assertEquals(State.REGISTERED, m.state());
        assertEquals(T0 + 20 + 600_000, m.expiresAtMillis());
        assertEquals(new Step(Action.WAIT, 3600, false, T0 + 20 + 300_000), s);
        assertTrue(m.holdsBinding(T0 + 599_000));
        assertFalse(m.holdsBinding(T0 + 20 + 600_000));
        assertEquals(200, m.lastStatus());
        // the refresh keeps the state REGISTERED while it is out
        s = m.onTimer(T0 + 20 + 300_000);
        assertEquals(Action.SEND, s.action());
        assertEquals(State.REGISTERED, m.state());
    }

    @Test
    void shouldTakeWhatWasAskedWhenThe200GivesNoInterval() {
        RegistrationMachine m = machine(120);
        m.start(T0);
        m.onResponse(200, -1, -1, false, T0);
        assertEquals(T0 + 120_000, m.expiresAtMillis());
    }

    @Test
    void shouldRefreshAtHalfButNoLaterThan32SecondsBeforeExpiryAndNoSoonerThanAQuarter() {
        assertEquals(1_800_000, RegistrationMachine.refreshDelayMillis(3600));
        assertEquals(32_000, RegistrationMachine.refreshDelayMillis(64));
        assertEquals(28_000, RegistrationMachine.refreshDelayMillis(60));
        assertEquals(2_500, RegistrationMachine.refreshDelayMillis(10));
        assertEquals(1_000, RegistrationMachine.refreshDelayMillis(2));
    }

    @Test
    void shouldRetryA423WithTheMinExpiresAsked() {
        RegistrationMachine m = machine(60);
        m.start(T0);
        Step s = m.onResponse(423, -1, 300, false, T0);
        assertEquals(new Step(Action.SEND, 300, false, T0), s);
        m.onResponse(200, 300, -1, false, T0);
        assertEquals(State.REGISTERED, m.state());
        assertEquals(300, m.askingS());
    }

    @Test
    void shouldFailA423WithoutAUsableMinExpires() {
        RegistrationMachine m = machine(600);
        m.start(T0);
        Step s = m.onResponse(423, -1, 300, false, T0); // not above what we asked: no progress possible
        assertEquals(Action.WAIT, s.action());
        assertEquals(State.FAILED, m.state());
    }

    @Test
    void shouldGiveUpAfterTwoChallengesInARowAndBackOff() {
        RegistrationMachine m = machine(3600);
        m.start(T0);
        assertTrue(m.onResponse(401, -1, -1, true, T0).withCredentials());
        assertTrue(m.onResponse(401, -1, -1, true, T0).withCredentials()); // stale nonce: once more
        Step s = m.onResponse(401, -1, -1, true, T0);
        assertEquals(Action.WAIT, s.action());
        assertEquals(State.FAILED, m.state());
        assertEquals(401, m.lastStatus());
        assertEquals(T0 + RegistrationMachine.backoffMillis(1, 0.5), s.atMillis());
    }

    @Test
    void shouldBackOffFrom30SecondsDoublingTo30MinutesAndResetOnSuccess() {
        RegistrationMachine m = new RegistrationMachine(3600, () -> 0.0);
        m.start(T0);
        long now = T0;
        long[] expected = {24_000, 48_000, 96_000, 192_000, 384_000, 768_000, 1_440_000, 1_440_000};
        for (long e : expected) {
            Step s = m.onResponse(403, -1, -1, false, now);
            assertEquals(now + e, s.atMillis());
            assertEquals(State.FAILED, m.state());
            now = s.atMillis();
            assertEquals(Action.SEND, m.onTimer(now).action());
            assertEquals(State.REGISTERING, m.state());
        }
        assertEquals(8, m.failures());
        m.onResponse(200, 3600, -1, false, now);
        assertEquals(0, m.failures());
        Step again = m.onTimeout(now + 1);
        assertEquals(408, m.lastStatus());
        assertEquals(now + 1 + 24_000, again.atMillis());
    }

    @Test
    void shouldDrawTheBackOffBetween80And100PercentOfTheBase() {
        assertEquals(24_000, RegistrationMachine.backoffMillis(1, 0.0));
        assertEquals(29_999, RegistrationMachine.backoffMillis(1, 0.99999));
        assertEquals(1_800_000, RegistrationMachine.backoffMillis(40, 1.0));
    }

    @Test
    void shouldTreatA200WithExpiresZeroAsAFailure() {
        RegistrationMachine m = machine(3600);
        m.start(T0);
        m.onResponse(200, 0, -1, false, T0);
        assertEquals(State.FAILED, m.state());
    }

    @Test
    void shouldDoNothingOnceStopped() {
        RegistrationMachine m = machine(3600);
        m.start(T0);
        m.onResponse(200, 3600, -1, false, T0);
        m.stop();
        assertEquals(State.UNREGISTERED, m.state());
        assertEquals(Action.NONE, m.onTimer(T0 + 1).action());
        assertEquals(Action.NONE, m.onResponse(200, 3600, -1, false, T0).action());
        assertFalse(m.holdsBinding(T0 + 1));
    }
}
