package org.tandem.gateway.security;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.config.RegistrarConfig;

/**
 * Built-in lockout of password guessers, as fail2ban would do it but without a firewall: a source
 * address that fails digest authentication {@code failures} times within the window is ignored
 * for the ban time; its requests get no answer at all (a dropped packet costs the attacker a
 * timeout and us nothing, and tells a scanner nothing). svcrack with a 10,000-word list then gets
 * five guesses per ban period.
 *
 * <p>Every failure is logged here, once, in one fixed form that the filter shipped in
 * {@code conf/fail2ban/filter.d/tandem.conf} matches, so an operator who prefers the firewall can
 * let fail2ban act on the same events:
 * <pre>
 * authentication failure from 192.0.2.7 port 5060 udp: REGISTER: wrong password or digest of user alice
 * source 192.0.2.7 locked out for 600 s after 5 authentication failures within 600 s
 * </pre>
 *
 * <p>Thread-safe: the SIP stack's workers (INVITE) and the registrar thread (REGISTER) report
 * failures, every worker asks {@link #isLockedOut} before a request is dispatched. State per source
 * is a small ring of failure times under the entry's monitor; sources are bounded
 * ({@link #MAX_SOURCES} by default): when full, entries with nothing recent are dropped first, and a source
 * that finds no room is still logged (fail2ban sees it) but not counted.
 */
public final class SourceLockout {
    /** The logger fail2ban's filter is written against (the file appender's logger column). */
    private static final Logger LOG = LoggerFactory.getLogger(SourceLockout.class);
    static final int MAX_SOURCES = 65_536;

    private final RegistrarConfig.Lockout policy;
    private final LongSupplier clockMillis;
    private final Map<InetAddress, Entry> sources = new ConcurrentHashMap<>();

    private static final class Entry {
        final long[] failures;
        int next;
        long lockedUntil;

        Entry(int n) {
            failures = new long[n];
            java.util.Arrays.fill(failures, Long.MIN_VALUE);
        }
    }

    private final int maxSources;

    public SourceLockout(RegistrarConfig.Lockout policy, LongSupplier clockMillis) {
        this(policy, clockMillis, MAX_SOURCES);
    }

    SourceLockout(RegistrarConfig.Lockout policy, LongSupplier clockMillis, int maxSources) {
        this.policy = policy;
        this.clockMillis = clockMillis;
        this.maxSources = maxSources;
    }

    /** Whether requests from {@code source} are to be dropped now. */
    public boolean isLockedOut(InetAddress source) {
        if (!policy.enabled()) {
            return false;
        }
        Entry e = sources.get(source);
        if (e == null) {
            return false;
        }
        synchronized (e) {
            return clockMillis.getAsLong() < e.lockedUntil;
        }
    }

    /**
     * One failed authentication: logs it (the fail2ban line) and counts it; returns true when this
     * failure locked the source out.
     *
     * @param method the request's method (REGISTER, INVITE, SUBSCRIBE)
     * @param detail why (for the operator: an unknown user, a wrong password), never sent on the wire
     */
    public boolean failure(InetAddress source, int port, String transport, String method, String detail) {
        String host = source.getHostAddress();
        LOG.warn("authentication failure from {} port {} {}: {}: {}", host, port, transport, method, detail);
        if (!policy.enabled()) {
            return false;
        }
        long now = clockMillis.getAsLong();
        Entry e = sources.get(source);
        if (e == null) {
            if (sources.size() >= maxSources) {
                purge(now);
                if (sources.size() >= maxSources) {
                    return false;
                }
            }
            e = sources.computeIfAbsent(source, a -> new Entry(policy.failures()));
        }
        synchronized (e) {
            if (now < e.lockedUntil) {
                return false;
            }
            e.failures[e.next] = now;
            e.next = (e.next + 1) % e.failures.length;
            // the oldest of the last N failures is where the ring continues
            long oldest = e.failures[e.next];
            if (oldest != Long.MIN_VALUE && now - oldest < policy.windowS() * 1000L) {
                e.lockedUntil = now + policy.banS() * 1000L;
                java.util.Arrays.fill(e.failures, Long.MIN_VALUE);
                LOG.warn("source {} locked out for {} s after {} authentication failures within {} s", host,
                        policy.banS(), policy.failures(), policy.windowS());
                return true;
            }
            return false;
        }
    }

    /** Sources counted now (tests, the console). */
    public int trackedSources() {
        return sources.size();
    }

    private void purge(long now) {
        long window = policy.windowS() * 1000L;
        for (Iterator<Entry> it = sources.values().iterator(); it.hasNext();) {
            Entry e = it.next();
            synchronized (e) {
                boolean recent = now < e.lockedUntil;
                for (long t : e.failures) {
                    recent |= t != Long.MIN_VALUE && now - t < window;
                }
                if (!recent) {
                    it.remove();
                }
            }
        }
    }
}
