package org.tandem.gateway.sip;

/**
 * What a 3xx to our INVITE does, per trunk ({@code [trunk] redirects}); docs/SIP.md "Redirects".
 * A call to a plain {@code sip:} URI route target (no trunk) refuses.
 */
public enum RedirectPolicy {
    /** Follow to hosts of configured trunks only: a peer cannot send our calls where it likes. */
    FOLLOW,
    /** Follow to any host the peer names: only for a peer trusted as much as ourselves. */
    FOLLOW_ANY,
    /** A 3xx fails the call, its cause from the RFC 3398 table as any failure. */
    REFUSE
}
