package org.tandem.gateway.presence;

/**
 * Sends NOTIFYs: the SIP side. Called on the presence thread; must not block beyond handing the
 * request to the SIP stack (a datagram send, or a TCP connection the stack holds).
 */
@FunctionalInterface
public interface Notifier {
    /** Sends it; false when it could not even be sent (the subscription then ends). */
    boolean send(NotifyRequest notify);
}
