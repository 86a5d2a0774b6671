package org.tandem.gateway.ops;

/**
 * One trunk's outbound registration as operators see it (console {@code show trunks}, SNMP
 * tgTrunkTable), immutable.
 *
 * @param trunk the {@code [trunk NAME]}
 * @param aor our address of record there, {@code sip:USERNAME@host}
 * @param registrar where the REGISTERs go, {@code host:port/transport}
 * @param state where the registration stands
 * @param lastStatus SIP status of the last final response, 408 when none came, 0 before any
 * @param expiresAtMillis epoch ms the binding in force expires, 0 when none
 * @param nextAttemptMillis epoch ms of the next REGISTER (refresh or retry), 0 when none is planned
 * @param failures failed attempts in a row since the last success
 */
public record TrunkRegistrationView(String trunk, String aor, String registrar, State state, int lastStatus,
        long expiresAtMillis, long nextAttemptMillis, int failures) {

    /** The registration states; {@link #code()} is the SNMP enumeration (tgTrunkRegState). */
    public enum State {
        UNREGISTERED(1), REGISTERING(2), REGISTERED(3), FAILED(4);

        private final int code;

        State(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Whole seconds from {@code nowMillis} to {@code atMillis}, 0 when unset or past. */
    public static long secondsUntil(long atMillis, long nowMillis) {
        return atMillis == 0 ? 0 : Math.max(0, (atMillis - nowMillis + 999) / 1000);
    }
}
