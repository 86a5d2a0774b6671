package org.tandem.config.dahdi;

/**
 * What DAHDI_SPANSTAT reported for one span.
 *
 * @param spantype the {@code spantype} field: "E1", "T1", "J1", ...
 * @param lineconfig {@code DAHDI_CONFIG_*} bits
 * @param totalchans channels the span has
 */
public record ObservedSpan(int spanno, String spantype, int lineconfig, int totalchans) {
}
