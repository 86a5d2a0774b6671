package org.tandem.gateway.registrar;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts of what the registrar did, for SNMP and the console. Written by the registrar thread
 * only; read from any thread (each counter is an {@link AtomicLong}, so reads never tear).
 */
public final class RegistrarCounters {
    /** REGISTERs answered 200 that changed bindings (added, refreshed or removed). */
    public final AtomicLong accepted = new AtomicLong();
    /** REGISTERs without Contact, answered 200 with the bindings (RFC 3261 10.2.3). */
    public final AtomicLong queries = new AtomicLong();
    /** 401s: first challenges, wrong or unknown credentials, stale nonces. */
    public final AtomicLong challenged = new AtomicLong();
    /** 401s for credentials that were wrong, of an unknown user, or malformed (a subset of challenged). */
    public final AtomicLong authFailures = new AtomicLong();
    /** Other refusals: 400, 403, 404, 423, 500, 503. */
    public final AtomicLong refused = new AtomicLong();
    public final AtomicLong bindingsAdded = new AtomicLong();
    public final AtomicLong bindingsRemoved = new AtomicLong();
    public final AtomicLong bindingsExpired = new AtomicLong();
    /** Saves of the bindings file that failed (the registrar keeps running, and retries). */
    public final AtomicLong saveFailures = new AtomicLong();

    void add(AtomicLong counter, long n) {
        if (n != 0) {
            counter.setRelease(counter.getPlain() + n); // single writer: no read-modify-write race
        }
    }
}
