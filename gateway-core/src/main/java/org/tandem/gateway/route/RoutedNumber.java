package org.tandem.gateway.route;

/**
 * A number as a route sends it on: digits after the route's rewrite, and the Q.931 type of number
 * and numbering plan the route sets.
 *
 * @param digits the rewritten number (may start with '+' on the SIP side)
 * @param ton Q.931 type of number to send, or -1 to keep what the call carried
 * @param npi Q.931 numbering plan to send, or -1 to keep what the call carried
 */
public record RoutedNumber(String digits, int ton, int npi) {
    public RoutedNumber {
        digits = digits == null ? "" : digits;
    }

    /** The type of number to send: the route's, else {@code carried}. */
    public int tonOr(int carried) {
        return ton >= 0 ? ton : carried;
    }

    /** The numbering plan to send: the route's, else {@code carried}. */
    public int npiOr(int carried) {
        return npi >= 0 ? npi : carried;
    }
}
