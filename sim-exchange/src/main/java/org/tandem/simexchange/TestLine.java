package org.tandem.simexchange;

/**
 * What a number of the simulated exchange does when called. The default plan's numbers end in
 * the SIP status a caller should see (1486 busy, 1404 not found, 1503 unavailable, 1480 no answer, 1408 no response).
 */
public enum TestLine {
    /** Answers and sends 1004 Hz at 0 dBm0 in the span's law. */
    MILLIWATT,
    /** Answers and returns what it receives, block for block. */
    LOOPBACK,
    /** CALL PROCEEDING, then DISCONNECT cause 17 (user busy) with busy tone. */
    BUSY,
    /** RELEASE COMPLETE cause 1 (unallocated number). */
    UNALLOCATED,
    /** RELEASE COMPLETE cause 34 (no circuit/channel available). */
    CONGESTION,
    /** CALL PROCEEDING, ALERTING with in-band ringback, never answers. */
    NO_ANSWER,
    /**
     * Never responds, as if the SETUP were lost: the exchange forgets it at once (nothing sent, no
     * call kept), so the caller's T303 expires twice and it releases with cause 18.
     */
    NO_RESPONSE
}
