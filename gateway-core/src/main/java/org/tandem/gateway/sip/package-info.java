/**
 * The SIP side of the gateway on the JAIN-SIP reference implementation.
 *
 * <p>Call control drives it through {@link org.tandem.gateway.sip.SipSide} (commands, callable
 * from any thread, normally the call-control thread) and receives
 * {@link org.tandem.gateway.sip.SipEvent}s on its own executor: the stack's threads never call
 * call control directly. {@link org.tandem.gateway.sip.SipStackFactory} configures the stack and
 * says why for each property; docs/SIP.md is the operator's view.
 */
package org.tandem.gateway.sip;
