package org.tandem.gateway.sip;

import static org.tandem.gateway.sip.stack.SipMessages.newTag;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.interwork.Reason;
import org.tandem.gateway.sip.stack.SipResponder;

/**
 * Ends a dialog that a fork's 2xx created but that is not the call (RFC 3261 13.2.2.4: "the UAC
 * core MUST generate an ACK ... and then a BYE"). The stack keeps one dialog per client
 * transaction (the call's), so the ACK and the BYE of the other fork are built here from the
 * 2xx itself: Request-URI its Contact, route set its Record-Route reversed (12.1.2), To with its
 * tag, From, Call-ID and CSeq of our INVITE. The ACK goes statelessly (it is its own transaction,
 * 17.1.1.3); the BYE in a client transaction whose response nobody waits for.
 *
 * <p>Threading: called with the leg monitor held; uses only the (thread-safe) provider.
 */
final class ForkCloser {
    // Same logger as the rest of the SIP side, so log lines and logback settings read as they did.
    private static final Logger LOG = LoggerFactory.getLogger(SipUserAgent.class);
    /** Why the fork's dialog ends (RFC 3326): it answered, but the call is already up elsewhere. */
    static final Reason COMPLETED_ELSEWHERE = new Reason(Reason.SIP, 200, "Call completed elsewhere");

    private final SipProvider provider;
    private final SipSettings settings;
    private final MessageFactory messages;
    private final HeaderFactory headers;

    ForkCloser(SipProvider provider, SipSettings settings, SipResponder responder) {
        this.provider = provider;
        this.settings = settings;
        this.messages = responder.messages();
        this.headers = responder.headers();
    }

    /** ACK the other fork's 2xx and, unless {@code ackOnly} (a retransmission), send it BYE. */
    void ackAndBye(SipLeg leg, Response answer, boolean ackOnly) {
        try {
            long seq = ((CSeqHeader) answer.getHeader(CSeqHeader.NAME)).getSeqNumber();
            provider.sendRequest(request(leg, answer, Request.ACK, seq));
            if (ackOnly) {
                return;
            }
            Request bye = request(leg, answer, Request.BYE, seq + 1);
            bye.addHeader(headers.createHeader(Reason.HEADER, COMPLETED_ELSEWHERE.toHeaderValue()));
            provider.getNewClientTransaction(bye).sendRequest();
            LOG.info("{}: a second fork answered (To tag {}): ACK and BYE sent, the call stays with the first",
                    leg.handle, ((ToHeader) answer.getHeader(ToHeader.NAME)).getTag());
        } catch (SipException | ParseException | InvalidArgumentException | RuntimeException e) {
            LOG.warn("{}: could not end the dialog of a second fork's 2xx: {}", leg.handle, e.toString());
        }
    }

    private Request request(SipLeg leg, Response answer, String method, long seq)
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
        // The UAC's route set is the Record-Route of the 2xx in reverse order (RFC 3261 12.1.2).
        List<RecordRouteHeader> rr = new ArrayList<>();
        answer.getHeaders(RecordRouteHeader.NAME).forEachRemaining(h -> rr.add((RecordRouteHeader) h));
        for (ListIterator<RecordRouteHeader> it = rr.listIterator(rr.size()); it.hasPrevious(); ) {
            r.addHeader(headers.createRouteHeader(it.previous().getAddress()));
        }
        return r;
    }
}
