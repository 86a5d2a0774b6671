/**
 * JAIN-SIP RI plumbing that knows nothing of calls: the stack and why each of its properties
 * ({@link org.tandem.gateway.sip.stack.SipStackFactory}), DSCP-marked sockets
 * ({@link org.tandem.gateway.sip.stack.DscpNetworkLayer}), the RI's logging through SLF4J
 * ({@link org.tandem.gateway.sip.stack.Slf4jStackLogger},
 * {@link org.tandem.gateway.sip.stack.Slf4jServerLogger}), and building, sending and reading
 * messages ({@link org.tandem.gateway.sip.stack.SipResponder},
 * {@link org.tandem.gateway.sip.stack.SipMessages}). Public only because the user agent in the
 * parent package and the RI (which instantiates the network layer and loggers by name) use it.
 */
package org.tandem.gateway.sip.stack;
