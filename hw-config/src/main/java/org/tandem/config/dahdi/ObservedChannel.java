package org.tandem.config.dahdi;

/**
 * What the kernel reported for one channel (DAHDI_GET_PARAMS on {@code /dev/dahdi/channel} after
 * DAHDI_SPECIFY). Filled by the DAHDI layer; {@code present = false} when SPECIFY failed (ENXIO).
 */
public record ObservedChannel(int channo, boolean present, int spanno, int chanpos, int sigtype) {
}
