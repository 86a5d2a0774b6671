package org.tandem.gateway.security;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A per-source request rate limit in the spirit of Kamailio's pike module: each source address
 * has a token bucket of {@code burst} requests refilled at {@code perSecond}; a request that finds
 * the bucket empty is dropped unanswered. Only requests that start something are counted (the
 * gate decides), and sources the operator trusts (the trunks' {@code trusted} addresses, which may
 * legitimately send hundreds of calls a second) are never limited. A flood from one address then
 * costs one map lookup per packet and cannot take the transactions, the registrar queue or call
 * control from everyone else.
 *
 * <p>Thread-safe: the stack's workers call {@link #admit}. Bounded ({@link #MAX_SOURCES}): when full,
 * buckets that have refilled completely (idle sources) are dropped first; a newcomer that still finds
 * no room is admitted, uncounted (the limit must never refuse everyone because of a spoofed flood).
 */
public final class SourceRateLimit {
    private static final Logger LOG = LoggerFactory.getLogger(SourceRateLimit.class);
    static final int MAX_SOURCES = 65_536;
    /** A limited source is logged at most this often. */
    private static final long LOG_EVERY_MS = 60_000;

    private final double perSecond;
    private final double burst;
    private final Predicate<InetAddress> exempt;
    private final LongSupplier clockNanos;
    private final int maxSources;
    private final Map<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long lastNanos;
        long lastLoggedNanos = Long.MIN_VALUE;
        long dropped;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.lastNanos = now;
        }
    }

    /**
     * @param perSecond requests per second a source may start on average; 0 turns the limit off
     * @param exempt sources never limited (trusted trunks)
     */
    public SourceRateLimit(int perSecond, Predicate<InetAddress> exempt, LongSupplier clockNanos) {
        this(perSecond, exempt, clockNanos, MAX_SOURCES);
    }

    SourceRateLimit(int perSecond, Predicate<InetAddress> exempt, LongSupplier clockNanos, int maxSources) {
        this.perSecond = perSecond;
        this.burst = 2.0 * perSecond;
        this.exempt = exempt;
        this.clockNanos = clockNanos;
        this.maxSources = maxSources;
    }

    public boolean enabled() {
        return perSecond > 0;
    }

    /** Whether a request from {@code source} that starts something may be answered now. */
    public boolean admit(InetAddress source) {
        if (perSecond <= 0 || exempt.test(source)) {
            return true;
        }
        long now = clockNanos.getAsLong();
        Bucket b = buckets.get(source);
        if (b == null) {
            if (buckets.size() >= maxSources) {
                purge(now);
                if (buckets.size() >= maxSources) {
                    return true;
                }
            }
            b = buckets.computeIfAbsent(source, a -> new Bucket(burst, now));
        }
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (now - b.lastNanos) * perSecond / 1e9);
            b.lastNanos = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return true;
            }
            b.dropped++;
            if (b.lastLoggedNanos == Long.MIN_VALUE || now - b.lastLoggedNanos >= LOG_EVERY_MS * 1_000_000L) {
                b.lastLoggedNanos = now;
                LOG.warn("source {} sends more than {} requests/s (burst {}): dropping its new requests ({} so far)",
                        source.getHostAddress(), (int) perSecond, (int) burst, b.dropped);
            }
            return false;
        }
    }

    /** Sources with a bucket now (tests). */
    int trackedSources() {
        return buckets.size();
    }

    private void purge(long now) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext();) {
            Bucket b = it.next();
            synchronized (b) {
                if (b.tokens + (now - b.lastNanos) * perSecond / 1e9 >= burst) {
                    it.remove();
                }
            }
        }
    }
}
