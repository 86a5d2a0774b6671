package org.tandem.gateway.sip.stack;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import java.text.ParseException;
import java.util.Locale;
import javax.sip.SipStack;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a request by the transport it came over. Over a connection: on that connection (RFC 3261
 * 18.2.2: "the response MUST be sent using the existing connection to the source of the original
 * request"). A request over TCP or TLS whose top Via names another transport ({@code Via:
 * SIP/2.0/UDP 192.0.2.25}, as most of RFC 4475's messages would be when sent over TCP) made the
 * RI look the Via's host up in the DNS and aim its answers at that host (a name it cannot resolve
 * made every answer fail, and the handler with it: RFC 4475's esc01 over TCP went unanswered). So
 * any peer that can open a connection could have the gateway resolve names and send to an
 * address of the peer's choosing. This valve sets the top Via of a request over a connection to
 * the connection's transport, address and port before anything answers it, so that the RI answers
 * on the connection and looks nothing up. The Via keeps its branch and parameters (with the
 * received/rport the RI added): a UAC matches responses on the branch (RFC 3261 17.1.3).
 *
 * <p>Created by the RI by reflection ({@code gov.nist.javax.sip.SIP_MESSAGE_VALVE}, with
 * {@link PrackValve}); called on the stack's message-processing threads; holds nothing.
 */
public final class ViaTransportValve implements SIPMessageValve {
    private static final Logger LOG = LoggerFactory.getLogger(ViaTransportValve.class);

    @Override
    public boolean processRequest(SIPRequest request, MessageChannel channel) {
        Via via = request.getTopmostVia();
        String transport = channel == null ? null : channel.getTransport();
        if (via == null || transport == null) {
            return true;
        }
        if (!channel.isReliable()) {
            // Over UDP the answer goes to the source (received) at the Via's port (18.2.2), but by
            // the Via's transport: a Via saying TCP made the RI open a connection there (to a
            // source a datagram can forge), one saying TLS with no TLS listener an NPE in the RI
            // (RFC 4475 "bext01" went unanswered). Answered over UDP, where it came from.
            if (!transport.equalsIgnoreCase(via.getTransport())) {
                try {
                    via.setTransport(transport.toUpperCase(Locale.ROOT));
                } catch (ParseException e) {
                    return true;
                }
            }
            return true;
        }
        String peer = channel.getPeerAddress();
        int peerPort = channel.getPeerPort();
        boolean sameTransport = transport.equalsIgnoreCase(via.getTransport());
        boolean samePeer = peer != null && peer.equals(via.getHost()) && peerPort == via.getPort();
        if (sameTransport && samePeer) {
            return true;
        }
        try {
            LOG.debug("{} over {} from {}:{} with Via {}/{}:{} (Call-ID {}): answered on the connection",
                    request.getMethod(), transport, peer, peerPort, via.getTransport(), via.getHost(), via.getPort(),
                    request.getCallId() == null ? null : request.getCallId().getCallId());
            via.setTransport(transport.toUpperCase(Locale.ROOT));
            if (peer != null && peerPort > 0) {
                via.setHost(peer);
                via.setPort(peerPort);
            }
        } catch (ParseException | javax.sip.InvalidArgumentException e) {
            return true; // the channel's own transport and address: cannot be refused
        }
        return true;
    }

    @Override
    public boolean processResponse(Response response, MessageChannel channel) {
        return true;
    }

    @Override
    public void init(SipStack sipStack) {
        // stateless
    }

    @Override
    public void destroy() {
        // nothing held
    }
}
