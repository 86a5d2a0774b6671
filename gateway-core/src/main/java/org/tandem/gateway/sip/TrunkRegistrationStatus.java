package org.tandem.gateway.sip;

/**
 * What an operator sees of one trunk's outbound registration at one instant (immutable).
 *
 * @param trunk the {@code [trunk NAME]}
 * @param aor our address of record there, {@code sip:USERNAME@host}
 * @param registrar where the REGISTERs go, {@code host:port/transport}
 * @param state UNREGISTERED, REGISTERING, REGISTERED or FAILED
 * @param lastStatus status of the last final response; 408 for none (timeout); 0 before any
 * @param expiresAtMillis epoch ms the binding in force expires, 0 when none
 * @param nextAttemptMillis epoch ms of the next REGISTER (refresh or retry), 0 when none is planned
 * @param failures failed attempts in a row since the last 200
 */
public record TrunkRegistrationStatus(String trunk, String aor, String registrar, RegistrationMachine.State state,
        int lastStatus, long expiresAtMillis, long nextAttemptMillis, int failures) {
}
