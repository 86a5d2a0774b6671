package org.tandem.config;

/**
 * {@code [presence]}: SUBSCRIBE/NOTIFY for the {@code dialog} (RFC 4235) and {@code presence}
 * (RFC 3856) event packages, answered for the {@code [user NAME]} phones (docs/PRESENCE.md).
 *
 * @param enabled whether SUBSCRIBE is answered at all; it also needs at least one {@code [user NAME]}
 *     (subscribers authenticate as users, like REGISTER)
 * @param minExpiresS shortest subscription accepted; shorter gets 423 with Min-Expires
 * @param maxExpiresS longest subscription granted; longer ones are shortened to it
 * @param defaultExpiresS subscription time when the SUBSCRIBE asks for none
 * @param maxSubscriptions subscriptions held at once in all; beyond it 503 with Retry-After
 * @param maxSubscriptionsPerUser subscriptions one subscriber may hold at once; beyond it 403
 */
public record PresenceConfig(boolean enabled, int minExpiresS, int maxExpiresS, int defaultExpiresS,
        int maxSubscriptions, int maxSubscriptionsPerUser) {
}
