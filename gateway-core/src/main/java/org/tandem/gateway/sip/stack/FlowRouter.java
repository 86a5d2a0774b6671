package org.tandem.gateway.sip.stack;

import gov.nist.javax.sip.stack.DefaultRouter;
import gov.nist.javax.sip.stack.HopImpl;
import java.util.function.Function;
import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.header.CallIdHeader;
import javax.sip.header.RouteHeader;
import javax.sip.message.Request;

/**
 * The stack's router ({@code javax.sip.ROUTER_PATH}): where a request we send goes. Requests of a
 * call to a registered contact go to the contact's <em>flow</em>, the address and port its
 * REGISTER came from (RFC 3581 received/rport), not to the host of the Request-URI: behind NAT the
 * Contact holds a private address the gateway cannot reach, while the flow is the pinhole the
 * REGISTER opened (and over TCP the phone's own connection, which the stack caches by address).
 * This holds for every request of the call (INVITE, CANCEL, ACK, BYE, re-INVITE), whose
 * Request-URI is the private Contact or the 200's private Contact.
 *
 * <p>A request with a Route header (a Path of the registration, RFC 3327, or a dialog's
 * Record-Route set) and every request of calls that are not to a registered contact take the RI's
 * {@link DefaultRouter} rules unchanged (Route first, else the Request-URI).
 *
 * <p>The RI creates this class by reflection with the (SipStack, outbound proxy) constructor;
 * {@code SipUserAgent} hands it the look-up once the legs exist ({@link #setFlows}). Called on
 * whatever thread sends; the look-up must be thread-safe.
 */
public final class FlowRouter extends DefaultRouter {
    /** A flow: where to send, over what. */
    public record Flow(String host, int port, String transport) {
    }

    private volatile Function<String, Flow> flowsByCallId = callId -> null;

    public FlowRouter(SipStack stack, String outboundProxy) {
        super(stack, outboundProxy);
    }

    /** @param lookup the flow of the call with this Call-ID, or null when it has none */
    public void setFlows(Function<String, Flow> lookup) {
        this.flowsByCallId = lookup;
    }

    @Override
    public Hop getNextHop(Request request) throws SipException {
        if (request.getHeader(RouteHeader.NAME) == null) {
            CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
            Flow f = callId == null ? null : flowsByCallId.apply(callId.getCallId());
            if (f != null) {
                return new HopImpl(f.host(), f.port(), f.transport());
            }
        }
        return super.getNextHop(request);
    }
}
