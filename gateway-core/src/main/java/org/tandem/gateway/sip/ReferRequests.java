package org.tandem.gateway.sip;

import static org.tandem.gateway.sip.stack.SipMessages.toTag;
import static org.tandem.gateway.sip.stack.SipMessages.transport;

import gov.nist.javax.sip.message.SIPResponse;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.EventHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ReferToHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.sip.stack.SipResponder;

/**
 * REFER (RFC 3515) received in an established call's dialog: blind transfer, the peer being the
 * transferor and the gateway the transferee. The request is checked here (a dialog we know, one
 * {@code Refer-To} with a plain {@code sip:} URI) and handed to call control as
 * {@link SipEvent.TransferRequested}; call control decides whether the target may be called and
 * answers through {@link SipSide#acceptRefer} (202, NOTIFY 100 Trying), {@link SipSide#rejectRefer},
 * and {@link SipSide#notifyRefer} (the final NOTIFY with the new INVITE's status as sipfrag).
 *
 * <p>What is refused here: a REFER outside a dialog (no To tag: 405, we take REFER only in a call),
 * one whose dialog we do not know (481, RFC 3261 12.2.2), not exactly one Refer-To (400, RFC 3515
 * 2.4.1), a REFER while another is pending in the dialog (491), a Refer-To that is not a
 * {@code sip:} URI or carries embedded headers (403). A Refer-To whose {@code Replaces} names
 * another confirmed dialog of ours is an attended transfer ({@link SipEvent.AttendedTransferRequested});
 * one naming no dialog of ours is judged as a blind transfer's target (and its header refused).
 *
 * <p>Threading: {@link #onRefer} runs on a stack worker, the commands on call control's thread
 * through {@link LegRegistry#command}; both under the leg monitor.
 */
final class ReferRequests {
    private static final Logger LOG = LoggerFactory.getLogger(ReferRequests.class);
    /** Expiry of the implicit subscription while the transfer runs (RFC 3515 2.4.4 leaves it to us). */
    private static final int SUBSCRIPTION_EXPIRES_S = 60;
    /** The header of RFC 3891, as a Refer-To URI header. */
    static final String REPLACES = "Replaces";

    private final SipProvider provider;
    private final SipResponder responder;
    private final HeaderFactory headers;
    private final LegRegistry legs;
    private final EventRelay events;

    ReferRequests(SipProvider provider, SipResponder responder, LegRegistry legs, EventRelay events) {
        this.provider = provider;
        this.responder = responder;
        this.headers = responder.headers();
        this.legs = legs;
        this.events = events;
    }

    void onRefer(RequestEvent event) throws SipException, ParseException, InvalidArgumentException {
        Request req = event.getRequest();
        ServerTransaction st = responder.serverTransaction(event);
        if (st == null) {
            return; // a retransmission: its transaction answers it
        }
        if (toTag(req) == null) {
            // Out of dialog: we transfer only calls we carry. 405 with the methods allowed outside
            // a dialog, which are all of Allow but REFER (RFC 3261 8.2.1).
            Response r = responder.messages().createResponse(Response.METHOD_NOT_ALLOWED, req);
            responder.addToTag(r, null);
            responder.addAllowExcept(r, Request.REFER);
            st.sendResponse(r);
            return;
        }
        SipLeg leg = legs.dialogLeg(req);
        if (leg == null) {
            responder.reply(st, req, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
            return;
        }
        List<String> referTo = referTo(req);
        ReferTarget target = null;
        CallHandle replaced = null;
        int refusal = 0;
        if (referTo.size() != 1) {
            refusal = Response.BAD_REQUEST;
        } else {
            replaced = replacedLeg(req, leg);
            target = replaced != null ? null : target(req);
            if (target == null && replaced == null) {
                refusal = Response.FORBIDDEN;
            }
        }
        synchronized (leg) {
            if (leg.state == SipLeg.State.ENDED) {
                responder.reply(st, req, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, leg.localTag);
                return;
            }
            if (refusal == 0 && leg.state != SipLeg.State.CONFIRMED) {
                refusal = Response.FORBIDDEN; // an unanswered call is not transferred
            }
            if (refusal == 0 && (leg.referTx != null || leg.referActive)) {
                refusal = Response.REQUEST_PENDING;
            }
            if (refusal != 0) {
                LOG.info("REFER in {} refused with {}: Refer-To {}", leg.handle, refusal, referTo);
                responder.reply(st, req, refusal, null, leg.localTag);
                return;
            }
            leg.referTx = st;
            leg.referRequest = req;
        }
        if (replaced != null) {
            events.emit(new SipEvent.AttendedTransferRequested(leg.handle, replaced, referTo.get(0)));
        } else {
            events.emit(new SipEvent.TransferRequested(leg.handle, target, referTo.get(0)));
        }
    }

    /**
     * Attended transfer: the leg of another call of ours that the Refer-To's {@code ?Replaces=}
     * names (RFC 3891 7.1), confirmed, or null (no Replaces, a malformed one, or a dialog we do not
     * hold: the Refer-To is then judged as a blind transfer's target). Takes the other leg's
     * monitor briefly, never together with the REFER's.
     */
    private CallHandle replacedLeg(Request req, SipLeg referLeg) {
        ReferToHeader h = (ReferToHeader) req.getHeader(ReferToHeader.NAME);
        URI uri = h == null || h.getAddress() == null ? null : h.getAddress().getURI();
        if (!(uri instanceof SipURI sip)) {
            return null;
        }
        ReplacesValue replaces = ReplacesValue.parse(sip.getHeader(REPLACES), true);
        if (replaces == null) {
            return null;
        }
        SipLeg other = legs.byCallId(replaces.callId());
        if (other == null || other == referLeg) {
            LOG.info("REFER in {}: Replaces names no other dialog of ours ({})", referLeg.handle, replaces.callId());
            return null;
        }
        synchronized (other) {
            if (other.dialog == null || other.state != SipLeg.State.CONFIRMED
                    || !replaces.names(other.handle.callId(), other.dialog.getLocalTag(), other.dialog.getRemoteTag())) {
                LOG.info("REFER in {}: Replaces {} does not name the confirmed dialog {} holds", referLeg.handle,
                        replaces, other.handle);
                return null;
            }
            return other.handle;
        }
    }

    /** The Refer-To values of a REFER (each header as written, for logs and the count). */
    private static List<String> referTo(Request req) {
        List<String> out = new ArrayList<>(1);
        ListIterator<?> it = req.getHeaders(ReferToHeader.NAME);
        while (it != null && it.hasNext()) {
            Header h = (Header) it.next();
            String s = h.toString();
            int colon = s.indexOf(':');
            out.add((colon >= 0 ? s.substring(colon + 1) : s).trim());
        }
        return out;
    }

    /** The REFER's one Refer-To as a target, or null when it is not a plain sip: URI we would call. */
    private static ReferTarget target(Request req) {
        ReferToHeader h = (ReferToHeader) req.getHeader(ReferToHeader.NAME);
        URI uri = h == null || h.getAddress() == null ? null : h.getAddress().getURI();
        if (!(uri instanceof SipURI sip) || sip.isSecure()) {
            return null; // tel:, sips: (no TLS here), http: ...
        }
        String replaces = null;
        Iterator<?> embedded = sip.getHeaderNames();
        while (embedded != null && embedded.hasNext()) {
            String name = String.valueOf(embedded.next());
            if (!REPLACES.equalsIgnoreCase(name)) {
                return null; // other embedded headers are not followed
            }
            ReplacesValue value = ReplacesValue.parse(sip.getHeader(name), true);
            if (value == null) {
                return null; // a malformed Replaces
            }
            replaces = ReplacesValue.unescape(sip.getHeader(name)); // not ours: passed on to the target
        }
        String t = sip.getTransportParam();
        String transport = t == null ? "udp" : t.toLowerCase(Locale.ROOT);
        if (!transport.equals("udp") && !transport.equals("tcp")) {
            return null;
        }
        String host = sip.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String user = sip.getUser();
        return new ReferTarget(user == null || user.isEmpty() ? null : user, host,
                sip.getPort() > 0 ? sip.getPort() : 5060, transport, replaces);
    }

    // ---------------------------------------------------------------- commands from call control

    void acceptRefer(CallHandle call) {
        legs.command(call, "acceptRefer", leg -> {
            if (leg.referTx == null) {
                return;
            }
            Request req = leg.referRequest;
            responder.reply(leg.referTx, req, Response.ACCEPTED, null, leg.localTag);
            leg.referTx = null;
            leg.referCseq = ((CSeqHeader) req.getHeader(CSeqHeader.NAME)).getSeqNumber();
            leg.referActive = true;
            sendNotify(leg, transport(req), Response.TRYING, "Trying", false);
        });
    }

    void rejectRefer(CallHandle call, int status) {
        legs.command(call, "rejectRefer", leg -> {
            if (leg.referTx == null) {
                return;
            }
            responder.reply(leg.referTx, leg.referRequest, status, null, leg.localTag);
            leg.referTx = null;
            leg.referRequest = null;
        });
    }

    void notifyRefer(CallHandle call, int status) {
        legs.command(call, "notifyRefer", leg -> {
            if (!leg.referActive) {
                return;
            }
            leg.referActive = false;
            String transport = transport(leg.referRequest);
            leg.referRequest = null;
            if (leg.state == SipLeg.State.CONFIRMED) {
                String phrase = SIPResponse.getReasonPhrase(status);
                sendNotify(leg, transport, status, phrase == null || phrase.isEmpty() ? "Unknown" : phrase, true);
            }
        });
    }

    /**
     * A NOTIFY of the REFER's implicit subscription in the call's dialog (leg monitor held):
     * {@code Event: refer;id=<REFER CSeq>}, the Subscription-State, and the sipfrag status line
     * (RFC 3515 2.4.5). Its response needs nothing; a failure is logged.
     */
    private void sendNotify(SipLeg leg, String transport, int status, String reasonPhrase, boolean last)
            throws SipException, ParseException, InvalidArgumentException {
        if (leg.dialog == null) {
            LOG.warn("{}: no dialog for the REFER's NOTIFY {}", leg.handle, status);
            return;
        }
        Request n = leg.dialog.createRequest(Request.NOTIFY);
        EventHeader event = headers.createEventHeader("refer");
        event.setEventId(Long.toString(leg.referCseq));
        n.addHeader(event);
        SubscriptionStateHeader state;
        if (last) {
            state = headers.createSubscriptionStateHeader(SubscriptionStateHeader.TERMINATED);
            state.setReasonCode(SubscriptionStateHeader.NO_RESOURCE);
        } else {
            state = headers.createSubscriptionStateHeader(SubscriptionStateHeader.ACTIVE);
            state.setExpires(SUBSCRIPTION_EXPIRES_S);
        }
        n.addHeader(state);
        n.addHeader(responder.contact(transport));
        ContentTypeHeader type = headers.createContentTypeHeader("message", "sipfrag");
        type.setParameter("version", "2.0");
        n.setContent("SIP/2.0 " + status + " " + reasonPhrase + "\r\n", type);
        ClientTransaction ct = provider.getNewClientTransaction(n);
        leg.dialog.sendRequest(ct);
        LOG.info("{}: NOTIFY refer {} {}{}", leg.handle, status, reasonPhrase, last ? " (terminated)" : "");
    }
}
