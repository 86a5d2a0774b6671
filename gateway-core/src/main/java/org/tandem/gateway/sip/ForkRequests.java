package org.tandem.gateway.sip;

import static org.tandem.gateway.sip.stack.SipMessages.newTag;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import javax.sip.InvalidArgumentException;
import javax.sip.address.URI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.tandem.gateway.sip.stack.SipResponder;

/**
 * Builds a request of ours inside the dialog that one response to our INVITE created, whichever
 * fork sent it: the stack keeps one dialog per client transaction and re-tags it with the last
 * response, so requests for a given fork (the ACK and BYE of a second fork's 2xx, a PRACK for one
 * fork's reliable 18x) are built from that fork's response itself: Request-URI its Contact, route
 * set its Record-Route reversed (RFC 3261 12.1.2), To with its tag, From and Call-ID of our INVITE,
 * the CSeq given.
 *
 * <p>Threading: stateless apart from the RI's (shareable) factories; called under the leg monitor.
 */
final class ForkRequests {
    private final SipSettings settings;
    private final MessageFactory messages;
    private final HeaderFactory headers;

    ForkRequests(SipSettings settings, SipResponder responder) {
        this.settings = settings;
        this.messages = responder.messages();
        this.headers = responder.headers();
    }

    /** {@code method} with CSeq {@code seq} in the dialog of {@code answer} (a 1xx with a To tag or a 2xx). */
    Request build(SipLeg leg, Response answer, String method, long seq)
            throws ParseException, InvalidArgumentException {
        Request invite = leg.invite;
        ContactHeader contact = (ContactHeader) answer.getHeader(ContactHeader.NAME);
        URI target = contact != null ? (URI) contact.getAddress().getURI().clone()
                : (URI) invite.getRequestURI().clone();
        String transport = leg.spec.transport();
        ViaHeader via = headers.createViaHeader(settings.hostFor(transport), settings.portFor(transport), transport,
                "z9hG4bK" + newTag());
        List<ViaHeader> vias = new ArrayList<>(List.of(via));
        Request r = messages.createRequest(target, method, (CallIdHeader) invite.getHeader(CallIdHeader.NAME).clone(),
                headers.createCSeqHeader(seq, method), (FromHeader) invite.getHeader(FromHeader.NAME).clone(),
                (ToHeader) answer.getHeader(ToHeader.NAME).clone(), vias, headers.createMaxForwardsHeader(70));
        // The UAC's route set is the response's Record-Route in reverse order (RFC 3261 12.1.2).
        List<RecordRouteHeader> rr = new ArrayList<>();
        answer.getHeaders(RecordRouteHeader.NAME).forEachRemaining(h -> rr.add((RecordRouteHeader) h));
        for (ListIterator<RecordRouteHeader> it = rr.listIterator(rr.size()); it.hasPrevious(); ) {
            r.addHeader(headers.createRouteHeader(it.previous().getAddress()));
        }
        return r;
    }
}
