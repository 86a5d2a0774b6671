package org.tandem.gateway.registrar;

import java.util.function.LongSupplier;

/** Epoch milliseconds that move only when the test says so. */
final class TestClock implements LongSupplier {
    private long nowMillis;

    TestClock(long startMillis) {
        this.nowMillis = startMillis;
    }

    @Override
    public long getAsLong() {
        return nowMillis;
    }

    void advanceSeconds(long s) {
        nowMillis += s * 1000;
    }

    void advanceMillis(long ms) {
        nowMillis += ms;
    }
}
