package org.tandem.gateway.sip.stack;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import java.text.ParseException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RFC 3261 8.2 checks every request meets before its method's handler, for what the RI parses
 * but does not judge (RFC 4475 has a message for each):
 * <ul>
 *   <li>a SIP version other than 2.0: 505 (8.2, 21.5.7; RFC 4475 "badvers");</li>
 *   <li>a Request-URI scheme other than sip/sips: 416 (8.2.2.1; "unkscm", "novelsc");</li>
 *   <li>no Max-Forwards (an RFC 2543 peer): one is added with 70, the value RFC 3261 8.1.1.6 has
 *       a UAC start with, since the RI refuses to make a transaction without it ("inv2543");</li>
 *   <li>an INVITE without Contact: 400 (8.1.1.8), sent without a transaction, which the RI will
 *       not make for it; before, the handler's exception left it unanswered ("dblreq" over TCP);</li>
 *   <li>an INVITE whose Accept does not take application/sdp: 406 (8.2.3; "sdp01");</li>
 *   <li>an empty Call-ID or an empty From tag: 400 (8.1.1.4, 8.1.1.3), sent without a transaction:
 *       the RI parses both, then cannot make a transaction (Call-ID) or send any answer on the
 *       dialog (it copies the empty tag back and fails); found by FuzzEndToEndTest.</li>
 * </ul>
 * ACKs are never answered (RFC 3261 17.2.1). Answers are stateless: a retransmission gets the
 * same answer again. Runs on the SIP workers; thread-safe.
 */
public final class RequestScreen {
    private static final Logger LOG = LoggerFactory.getLogger(RequestScreen.class);

    private final SipProvider provider;
    private final SipResponder responder;
    private final AtomicLong refused = new AtomicLong();

    public RequestScreen(SipProvider provider, SipResponder responder) {
        this.provider = provider;
        this.responder = responder;
    }

    /** Requests this screen answered itself (not counting those it repaired and let through). */
    public long refused() {
        return refused.get();
    }

    /**
     * Judges {@code event}'s request; true when it has been answered (or, an ACK, dropped) here
     * and must not reach its handler.
     */
    public boolean refuse(RequestEvent event) throws SipException, ParseException, InvalidArgumentException {
        Request req = event.getRequest();
        boolean ack = Request.ACK.equals(req.getMethod());
        // The RI reads every request line as SIP/2.0; the sender's own Via, written into the same
        // message, still says which version it speaks ("Via: SIP/7.0/UDP").
        String version = sentVersion(req);
        if (version != null && !version.equals("2.0")) {
            return answer(event, ack, Response.VERSION_NOT_SUPPORTED, null, "SIP version " + version);
        }
        String scheme = req.getRequestURI() == null ? "" : req.getRequestURI().getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("sip") && !scheme.equals("sips")) {
            return answer(event, ack, Response.UNSUPPORTED_URI_SCHEME, null, "Request-URI scheme " + scheme);
        }
        // 8.1.1.4: a Call-ID is a non-empty word; the RI parses "Call-ID:" with nothing after it and
        // then can make no transaction for it (the handler failed with an exception, no answer).
        CallIdHeader callId = (CallIdHeader) req.getHeader(CallIdHeader.NAME);
        if (callId == null || callId.getCallId() == null || callId.getCallId().isBlank()) {
            return answer(event, ack, Response.BAD_REQUEST, "Missing Call-ID", "no Call-ID value");
        }
        // 8.1.1.3: a From tag, when there is one, is a token; "tag=" with nothing parses, but every
        // answer the RI sends on the dialog copies it back and fails ("null or empty token").
        FromHeader from = (FromHeader) req.getHeader(FromHeader.NAME);
        if (from != null && from.getTag() != null && from.getTag().isBlank()) {
            return answer(event, ack, Response.BAD_REQUEST, "Empty From tag", "From with an empty tag");
        }
        if (req.getHeader(MaxForwardsHeader.NAME) == null) {
            req.setHeader(responder.headers().createMaxForwardsHeader(70));
        }
        if (Request.INVITE.equals(req.getMethod()) && req.getHeader("Contact") == null) {
            return answer(event, false, Response.BAD_REQUEST, "Missing Contact", "INVITE without Contact");
        }
        if (Request.INVITE.equals(req.getMethod()) && !acceptsSdp(req)) {
            // 8.2.3: our answer carries SDP, which the Accept refuses (RFC 4475 "sdp01")
            return answer(event, false, Response.NOT_ACCEPTABLE, null, "Accept without application/sdp");
        }
        return false;
    }

    private static String sentVersion(Request req) {
        if (req instanceof SIPRequest s && s.getTopmostVia() != null && s.getTopmostVia().getSentProtocol() != null) {
            String v = s.getTopmostVia().getSentProtocol().getProtocolVersion();
            return v == null ? null : v.strip();
        }
        return null;
    }

    /** No Accept means application/sdp (RFC 3261 20.1); otherwise one of them must take it. */
    private static boolean acceptsSdp(Request req) {
        java.util.ListIterator<?> it = req.getHeaders(javax.sip.header.AcceptHeader.NAME);
        if (!it.hasNext()) {
            return true;
        }
        while (it.hasNext()) {
            javax.sip.header.AcceptHeader a = (javax.sip.header.AcceptHeader) it.next();
            String type = a.getContentType() == null ? "*" : a.getContentType().toLowerCase(Locale.ROOT);
            String sub = a.getContentSubType() == null ? "*" : a.getContentSubType().toLowerCase(Locale.ROOT);
            if ((type.equals("*") || type.equals("application")) && (sub.equals("*") || sub.equals("sdp"))) {
                return true;
            }
        }
        return false;
    }

    private boolean answer(RequestEvent event, boolean ack, int status, String phrase, String why)
            throws SipException, ParseException {
        refused.incrementAndGet();
        Request req = event.getRequest();
        LOG.info("{} to {} from {} (Call-ID {}): {}", ack ? "no answer" : status, req.getMethod(),
                SipMessages.source(req), SipMessages.headerValue(req, "Call-ID"), why);
        if (ack) {
            return true;
        }
        Response r = responder.messages().createResponse(status, req);
        if (phrase != null) {
            r.setReasonPhrase(phrase);
        }
        responder.addToTag(r, null);
        if (event.getServerTransaction() != null) {
            try {
                event.getServerTransaction().sendResponse(r);
            } catch (InvalidArgumentException e) {
                throw new SipException("cannot answer " + status, e);
            }
        } else if (req instanceof SIPRequest s && s.getMessageChannel() instanceof MessageChannel channel
                && r instanceof SIPResponse response) {
            // on the channel it came on: over TCP the provider would look for a connection to the
            // Via's host instead of using this one
            try {
                channel.sendMessage(response);
            } catch (java.io.IOException e) {
                throw new SipException("cannot answer " + status + " on " + channel.getTransport(), e);
            }
        } else {
            provider.sendResponse(r);
        }
        return true;
    }
}
