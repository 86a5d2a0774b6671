package org.tandem.gateway.sip;

/**
 * A trunk's stance on reliable provisional responses (RFC 3262, {@code [trunk] prack}).
 *
 * <ul>
 *   <li>{@link #OFF}: 100rel is not offered on our INVITEs; an INVITE that requires it gets 420
 *       with {@code Unsupported: 100rel}; our 18x are never reliable.</li>
 *   <li>{@link #SUPPORTED} (the default): our INVITEs carry {@code Supported: 100rel} and a reliable
 *       18x is PRACKed; our 18x are sent reliably when the INVITE requires it.</li>
 *   <li>{@link #REQUIRED}: our INVITEs carry {@code Require: 100rel}; our 18x are sent reliably
 *       whenever the INVITE supports (or requires) it.</li>
 * </ul>
 */
public enum PrackPolicy {
    OFF, SUPPORTED, REQUIRED
}
