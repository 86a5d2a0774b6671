package org.tandem.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.tandem.config.RegistrarConfig;

class SourceLockoutTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final SourceLockout lockout = new SourceLockout(new RegistrarConfig.Lockout(5, 600, 600), now::get);
    private final InetAddress guesser = address("192.0.2.7");
    private final InetAddress phone = address("192.0.2.8");

    @Test
    void shouldLockASourceOutOnItsFifthFailureWithinTheWindowAndNobodyElse() {
        for (int i = 1; i <= 4; i++) {
            assertFalse(lockout.failure(guesser, 5060, "udp", "REGISTER", "wrong password"), "failure " + i);
            assertFalse(lockout.isLockedOut(guesser));
            now.addAndGet(60_000);
        }
        assertTrue(lockout.failure(guesser, 5060, "udp", "INVITE", "unknown user"), "the fifth locks out");
        assertTrue(lockout.isLockedOut(guesser));
        assertFalse(lockout.isLockedOut(phone), "another source is not affected");
    }

    @Test
    void shouldNotCountFailuresThatAreFurtherApartThanTheWindow() {
        for (int i = 0; i < 20; i++) {
            assertFalse(lockout.failure(guesser, 5060, "udp", "REGISTER", "wrong password"));
            now.addAndGet(151_000); // 5 failures span 604 s > 600 s
        }
        assertFalse(lockout.isLockedOut(guesser));
    }

    @Test
    void shouldLiftTheLockoutAfterTheBanTimeAndStartCountingAfresh() {
        for (int i = 0; i < 5; i++) {
            lockout.failure(guesser, 5060, "udp", "REGISTER", "wrong password");
        }
        assertTrue(lockout.isLockedOut(guesser));
        now.addAndGet(599_999);
        assertTrue(lockout.isLockedOut(guesser));
        assertFalse(lockout.failure(guesser, 5060, "udp", "REGISTER", "x"), "failures while locked out do not extend it");
        now.addAndGet(1);
        assertFalse(lockout.isLockedOut(guesser), "600 s later it may try again");
        for (int i = 1; i <= 4; i++) {
            assertFalse(lockout.failure(guesser, 5060, "udp", "REGISTER", "wrong password"), "new failure " + i);
        }
        assertTrue(lockout.failure(guesser, 5060, "udp", "REGISTER", "wrong password"));
    }

    @Test
    void shouldNeverLockOutWhenTurnedOff() {
        SourceLockout off = new SourceLockout(new RegistrarConfig.Lockout(0, 600, 600), now::get);
        for (int i = 0; i < 100; i++) {
            assertFalse(off.failure(guesser, 5060, "udp", "REGISTER", "wrong password"));
        }
        assertFalse(off.isLockedOut(guesser));
        assertEquals(0, off.trackedSources());
    }

    @Test
    void shouldBoundTheSourcesItTracksAndDropTheStaleOnesFirst() {
        SourceLockout small = new SourceLockout(new RegistrarConfig.Lockout(5, 600, 600), now::get, 100);
        for (int i = 0; i < 100; i++) {
            small.failure(address("10.0.0." + i), 5060, "udp", "REGISTER", "x");
        }
        assertEquals(100, small.trackedSources());
        small.failure(guesser, 5060, "udp", "REGISTER", "x");
        assertEquals(100, small.trackedSources(), "full: the newcomer is not counted");
        now.addAndGet(601_000);
        small.failure(guesser, 5060, "udp", "REGISTER", "x");
        assertEquals(1, small.trackedSources(), "the stale entries made room");
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
