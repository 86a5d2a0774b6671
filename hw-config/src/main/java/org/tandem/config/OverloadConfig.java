package org.tandem.config;

/**
 * {@code [overload]}: shedding of new INVITEs past capacity (RFC 5390, RFC 7339; docs/SECURITY.md
 * "Overload control"). A measure at or above its threshold makes the gateway refuse a growing share
 * of new INVITEs with 503 and Retry-After; the share falls again once every measure is below
 * {@code leavePercent} of its threshold (hysteresis). 0 turns one measure off.
 *
 * @param enabled whether new INVITEs are shed at all
 * @param queueLatencyMs how long a message waits in call control's queue
 * @param queueDepth messages waiting in call control's queue
 * @param cpuPercent this process's CPU use, in percent of all cores
 * @param channelsBusyPercent B-channels in use, in percent of all
 * @param leavePercent shedding eases once every measure is below this share of its threshold
 * @param retryAfterS the Retry-After of the 503
 */
public record OverloadConfig(boolean enabled, int queueLatencyMs, int queueDepth, int cpuPercent,
        int channelsBusyPercent, int leavePercent, int retryAfterS) {
    /** The defaults of {@code [overload]} (docs/CONFIG.md). */
    public static final OverloadConfig DEFAULTS = new OverloadConfig(true, 100, 2000, 90, 0, 80, 5);
}
