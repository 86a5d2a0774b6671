package org.tandem.gateway.presence;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts of what presence did, for the console and tests. Written by the presence thread only;
 * read from any thread.
 */
public final class PresenceCounters {
    /** SUBSCRIBEs answered 200 (new, refreshed, ended, fetched). */
    public final AtomicLong accepted = new AtomicLong();
    /** 401s: first challenges and failed credentials. */
    public final AtomicLong challenged = new AtomicLong();
    /** 401s for wrong, unknown or malformed credentials (a subset of challenged). */
    public final AtomicLong authFailures = new AtomicLong();
    /** Other refusals: 400, 403, 404, 406, 423, 481, 489, 503. */
    public final AtomicLong refused = new AtomicLong();
    public final AtomicLong notifiesSent = new AtomicLong();
    /** NOTIFYs that could not be sent, timed out or got an error (their subscription ends). */
    public final AtomicLong notifyFailures = new AtomicLong();
    public final AtomicLong expired = new AtomicLong();

    void add(AtomicLong counter, long n) {
        if (n != 0) {
            counter.setRelease(counter.getPlain() + n); // single writer
        }
    }
}
