/**
 * The SIP side of the gateway on the JAIN-SIP reference implementation.
 *
 * <p>Call control drives it through {@link org.tandem.gateway.sip.SipSide} (commands, callable
 * from any thread, normally the call-control thread) and receives
 * {@link org.tandem.gateway.sip.SipEvent}s on its own executor: the stack's threads never call
 * call control directly. Those two, {@link org.tandem.gateway.sip.CallHandle},
 * {@link org.tandem.gateway.sip.OutboundInvite}, {@link org.tandem.gateway.sip.SipTrunk},
 * {@link org.tandem.gateway.sip.SipSettings} and {@link org.tandem.gateway.sip.SipUserAgent} are
 * the public face; everything else here is package-private, so no other package can reach a leg.
 *
 * <p>{@link org.tandem.gateway.sip.SipUserAgent} is the dispatcher: it routes each request,
 * response, timeout and command to one behaviour, each a class named for its role
 * (InviteServer, InviteClient, InDialogRequests, OutOfDialogRequests, DigestAuthenticator,
 * SessionTimers) working on the legs of LegRegistry. The JAIN-SIP RI plumbing that knows nothing
 * of calls is in {@link org.tandem.gateway.sip.stack}. docs/SIP.md is the operator's view.
 */
package org.tandem.gateway.sip;
