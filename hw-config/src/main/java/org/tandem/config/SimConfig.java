package org.tandem.config;

import java.util.List;

/**
 * {@code [sim]}: the simulated exchange at the far end of simulated spans, and its test lines.
 *
 * @param spans span numbers the exchange is wired to (with {@code backend = sim})
 * @param originateFrom calling number the exchange uses when it originates a call
 */
public record SimConfig(List<Integer> spans, String loop, String milliwatt, String busy,
        String unallocated, String congestion, String noAnswer, String originateFrom) {
}
