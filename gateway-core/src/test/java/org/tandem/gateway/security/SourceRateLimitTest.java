package org.tandem.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SourceRateLimitTest {
    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final InetAddress flooder = address("192.0.2.7");
    private final InetAddress trunk = address("192.0.2.1");
    private final SourceRateLimit limit = new SourceRateLimit(10, trunk::equals, now::get);

    @Test
    void shouldAdmitABurstOfTwiceTheRateThenDropUntilTokensRefill() {
        int admitted = 0;
        for (int i = 0; i < 100; i++) {
            admitted += limit.admit(flooder) ? 1 : 0;
        }
        assertEquals(20, admitted, "burst = 2 x 10/s");
        now.addAndGet(100_000_000L); // 100 ms: one token at 10/s
        assertTrue(limit.admit(flooder));
        assertFalse(limit.admit(flooder));
        now.addAndGet(10_000_000_000L); // long quiet: the bucket is full again, no more
        admitted = 0;
        for (int i = 0; i < 100; i++) {
            admitted += limit.admit(flooder) ? 1 : 0;
        }
        assertEquals(20, admitted);
    }

    @Test
    void shouldSustainTheRateAndNeverLimitTrustedSourcesOrWhenOff() {
        int admitted = 0;
        for (int i = 0; i < 1000; i++) { // 10 s at 100 requests/s
            admitted += limit.admit(flooder) ? 1 : 0;
            now.addAndGet(10_000_000L);
        }
        assertTrue(admitted >= 115 && admitted <= 121, "about 10/s over 10 s plus the burst: " + admitted);
        for (int i = 0; i < 10_000; i++) {
            assertTrue(limit.admit(trunk));
        }
        SourceRateLimit off = new SourceRateLimit(0, a -> false, now::get);
        for (int i = 0; i < 10_000; i++) {
            assertTrue(off.admit(flooder));
        }
    }

    @Test
    void shouldBoundItsSourcesAndAdmitANewcomerWhenFullOfBusyOnes() {
        SourceRateLimit small = new SourceRateLimit(10, a -> false, now::get, 50);
        for (int i = 0; i < 50; i++) {
            assertTrue(small.admit(address("10.0.0." + i)));
        }
        assertEquals(50, small.trackedSources());
        assertTrue(small.admit(flooder), "no room: admitted uncounted");
        assertEquals(50, small.trackedSources());
        now.addAndGet(1_000_000_000L); // the buckets refill: idle sources make room
        assertTrue(small.admit(flooder));
        assertEquals(1, small.trackedSources());
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
