package org.tandem.gateway.registrar;

import java.util.Objects;

/**
 * One Contact of a REGISTER as the SIP side read it, values as written: the registrar parses
 * and judges them (RFC 3261 10.2.1.1 says what a malformed {@code expires} means, 20.10 the
 * {@code q} grammar), so that every REGISTER is judged by the same rules whatever parsed it.
 *
 * @param uri the URI inside {@code <...>}, without the header parameters
 * @param expires the {@code expires} header parameter, or null when absent
 * @param q the {@code q} header parameter, or null when absent
 */
public record RequestContact(String uri, String expires, String q) {
    public RequestContact {
        Objects.requireNonNull(uri, "uri");
    }

    public static RequestContact of(String uri) {
        return new RequestContact(uri, null, null);
    }
}
