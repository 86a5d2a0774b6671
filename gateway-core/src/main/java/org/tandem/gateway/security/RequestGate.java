package org.tandem.gateway.security;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first thing every request meets, before any parsing of its meaning or any transaction:
 * decides whether the gateway answers at all. A request that starts something (no To tag, not
 * ACK/CANCEL) is dropped, unanswered, when its source is locked out for password guessing
 * ({@link SourceLockout}) or its User-Agent names a well-known scanner ({@code [sip]
 * drop_user_agents}: sipvicious's {@code friendly-scanner}, sipcli, ...), or its source exceeds
 * its request rate ({@link SourceRateLimit}, {@code [sip] source_rate_limit}). Scanners then find
 * nothing to report and cost one header comparison. A renamed scanner still gets the same
 * answers as anyone else (no enumeration, lockout), so the list is noise reduction, not defence.
 *
 * <p>Thread-safe and allocation-light: the SIP stack's workers call {@link #drop} for every request.
 */
public final class RequestGate {
    private static final Logger LOG = LoggerFactory.getLogger(RequestGate.class);

    private final SourceLockout lockout;
    private final SourceRateLimit rateLimit;
    private final String[] agents;
    /** Null when overload control is off. */
    private final OverloadControl overload;
    private final AtomicLong droppedScanners = new AtomicLong();
    private final AtomicLong droppedLockedOut = new AtomicLong();
    private final AtomicLong droppedRate = new AtomicLong();

    /**
     * @param lockout the lockout of password guessers, or null (no phones authenticate)
     * @param droppedUserAgents substrings of User-Agent values to drop, any case
     */
    public RequestGate(SourceLockout lockout, List<String> droppedUserAgents) {
        this(lockout, droppedUserAgents, null);
    }

    /** @param rateLimit the per-source rate limit, or null for none */
    public RequestGate(SourceLockout lockout, List<String> droppedUserAgents, SourceRateLimit rateLimit) {
        this(lockout, droppedUserAgents, rateLimit, null);
    }

    /** @param overload overload control of new INVITEs, or null for none (the user agent asks it) */
    public RequestGate(SourceLockout lockout, List<String> droppedUserAgents, SourceRateLimit rateLimit,
            OverloadControl overload) {
        this.overload = overload;
        this.lockout = lockout;
        this.rateLimit = rateLimit;
        this.agents = droppedUserAgents.stream().map(a -> a.toLowerCase(Locale.ROOT)).filter(a -> !a.isEmpty())
                .toArray(String[]::new);
    }

    /** A gate that lets everything through (tests of the SIP side alone). */
    public static RequestGate open() {
        return new RequestGate(null, List.of());
    }

    /**
     * Whether to drop a request without an answer.
     *
     * @param startsSomething not within a dialog or transaction already going (no To tag, not
     *     ACK or CANCEL): only those are dropped, so a call already up is never cut by the gate
     * @param userAgent the User-Agent header value, or null
     */
    public boolean drop(InetAddress source, String userAgent, boolean startsSomething, String method) {
        if (!startsSomething) {
            return false;
        }
        if (userAgent != null && agents.length > 0) {
            String ua = userAgent.toLowerCase(Locale.ROOT);
            for (String a : agents) {
                if (ua.contains(a)) {
                    long n = droppedScanners.incrementAndGet();
                    // a scan is thousands of requests: log its first and then every 1,000th
                    if (n == 1 || n % 1000 == 0) {
                        LOG.info("dropped {} from {} with scanner User-Agent '{}' ({} dropped so far)", method,
                                source.getHostAddress(), userAgent, n);
                    }
                    return true;
                }
            }
        }
        if (lockout != null && lockout.isLockedOut(source)) {
            droppedLockedOut.incrementAndGet();
            return true;
        }
        if (rateLimit != null && !rateLimit.admit(source)) {
            droppedRate.incrementAndGet();
            return true;
        }
        return false;
    }

    /** Overload control of new INVITEs, or null when off. */
    public OverloadControl overload() {
        return overload;
    }

    /** Requests dropped by the per-source rate limit since start. */
    public long droppedRate() {
        return droppedRate.get();
    }

    /** Requests dropped for a scanner User-Agent since start. */
    public long droppedScanners() {
        return droppedScanners.get();
    }

    /** Requests dropped from locked-out sources since start. */
    public long droppedLockedOut() {
        return droppedLockedOut.get();
    }
}
