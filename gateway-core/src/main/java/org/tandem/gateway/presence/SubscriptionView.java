package org.tandem.gateway.presence;

/**
 * One subscription as the console shows it; immutable.
 *
 * @param subscriber the {@code [user NAME]} that subscribed
 * @param eventPackage {@code dialog} or {@code presence}
 * @param resource the entity watched ({@code sip:1004@host})
 * @param target where its NOTIFYs go (the subscriber's Contact)
 * @param transport {@code udp} or {@code tcp}
 * @param expiresAtMillis epoch milliseconds at which it lapses unless refreshed
 * @param notifyPending a NOTIFY waits for its response
 */
public record SubscriptionView(String subscriber, String eventPackage, String resource, String target,
        String transport, long expiresAtMillis, boolean notifyPending) {

    /** Seconds left, rounded up; 0 when lapsed. */
    public long remainingSeconds(long nowMillis) {
        long ms = expiresAtMillis - nowMillis;
        return ms <= 0 ? 0 : (ms + 999) / 1000;
    }
}
