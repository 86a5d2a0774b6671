/**
 * The registrar and location service of RFC 3261 section 10, as plain Java, independent of the
 * SIP stack: {@link org.tandem.gateway.registrar.Registrar} judges a
 * {@link org.tandem.gateway.registrar.RegisterRequest} step by step (10.3) and commits the
 * outcome to the {@link org.tandem.gateway.registrar.LocationService};
 * {@link org.tandem.gateway.registrar.RegisterAuthenticator} does the digest (RFC 7616/8760,
 * qop=auth, MD5 and SHA-256); {@link org.tandem.gateway.registrar.BindingFile} keeps the bindings
 * across restarts.
 *
 * <p>Threading: one thread, the registrar thread, owns all of it and calls it without locks;
 * every other thread (call control routing a call to a user, the console, SNMP) reads the
 * immutable {@link org.tandem.gateway.registrar.LocationSnapshot} and the counters.
 *
 * <p>docs/REGISTRAR.md has the design, the choice of each response status, and what wiring it
 * into the SIP side still needs.
 */
package org.tandem.gateway.registrar;
