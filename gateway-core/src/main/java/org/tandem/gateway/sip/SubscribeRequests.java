package org.tandem.gateway.sip;

import static org.tandem.gateway.sip.stack.SipMessages.callId;
import static org.tandem.gateway.sip.stack.SipMessages.headerValue;

import gov.nist.javax.sip.stack.SIPTransaction;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.EventHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.presence.NotifyRequest;
import org.tandem.gateway.presence.Notifier;
import org.tandem.gateway.presence.PresenceService;
import org.tandem.gateway.presence.SubscribeRequest;
import org.tandem.gateway.presence.SubscribeResponse;
import org.tandem.gateway.registrar.Flow;
import org.tandem.gateway.sip.stack.FlowRouter;
import org.tandem.gateway.sip.stack.SipMessages;
import org.tandem.gateway.sip.stack.SipResponder;

/**
 * SUBSCRIBE and our NOTIFYs (RFC 6665): turns the JAIN-SIP request into a plain
 * {@link SubscribeRequest} for the presence thread ({@link PresenceService}), writes its
 * {@link SubscribeResponse} into the response, and sends each {@link NotifyRequest} as a new
 * client transaction in the subscription's dialog. The rules are all in
 * {@code org.tandem.gateway.presence}; this class only reads and writes headers.
 *
 * <p>No RI dialog is made per subscription (automatic dialog support is off, and a dialog per
 * watcher would cost the RI's per-dialog state): the dialog identifiers live in the presence
 * thread's subscription, and each NOTIFY is built from them (Call-ID, tags, CSeq, remote target,
 * route set). Its final response or timeout goes back to the presence thread by the
 * subscription id the transaction carries.
 *
 * <p>Threading: {@link #onSubscribe} runs on a stack worker and only queues; the response and the
 * NOTIFYs are sent on the presence thread ({@link #send(NotifyRequest)}). A NOTIFY goes to the
 * first Route when the subscription has a route set, else to the flow its SUBSCRIBE came from
 * ({@link #flowOf}, through the stack's {@link FlowRouter}), as calls to registered phones do.
 */
final class SubscribeRequests implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(SubscribeRequests.class);

    /** What a NOTIFY's client transaction carries back to the presence thread. */
    private record NotifyTag(long subscriptionId, long cseq) {
    }

    private final SipProvider provider;
    private final SipResponder responder;
    private final SipSettings settings;
    private final PresenceService presence;
    /** Call-ID -> flow of the NOTIFY being handed to the stack right now, for {@link #flowOf} (the router). */
    private final Map<String, FlowRouter.Flow> sending = new ConcurrentHashMap<>();

    SubscribeRequests(SipProvider provider, SipResponder responder, SipSettings settings, PresenceService presence) {
        this.provider = provider;
        this.responder = responder;
        this.settings = settings;
        this.presence = presence;
        presence.bind(this);
    }

    void onSubscribe(RequestEvent event) throws SipException, ParseException, InvalidArgumentException {
        Request req = event.getRequest();
        ServerTransaction st = responder.serverTransaction(event);
        if (st == null) {
            return; // a retransmission racing its original: the transaction answers it
        }
        if (req.getHeader("Require") != null) {
            // no extension of SUBSCRIBE is supported: the first tag asked for is the unsupported one
            String tag = headerValue(req, "Require").split(",")[0].trim();
            responder.replyBadExtension(st, req, tag);
            return;
        }
        SubscribeRequest plain;
        try {
            plain = read(req, st);
        } catch (IllegalArgumentException e) {
            LOG.info("SUBSCRIBE from {} (Call-ID {}) refused: {}", SipMessages.source(req), callId(req), e.getMessage());
            responder.replyPhrase(st, req, Response.BAD_REQUEST, e.getMessage());
            return;
        }
        final ServerTransaction tx = st;
        if (!presence.submit(plain, answer -> reply(tx, req, answer))) {
            LOG.warn("SUBSCRIBE from {}: the presence queue is full or closed (503)", plain.flow());
            responder.replyUnavailable(tx, req, 5);
        }
    }

    /** The request as plain values; IllegalArgumentException for what no notifier can judge. */
    private static SubscribeRequest read(Request req, ServerTransaction st) {
        URI ruri = req.getRequestURI();
        if (!(ruri instanceof SipURI r)) {
            throw new IllegalArgumentException("Request-URI " + ruri + " is not a SIP URI");
        }
        EventHeader ev = (EventHeader) req.getHeader(EventHeader.NAME);
        FromHeader from = (FromHeader) req.getHeader(FromHeader.NAME);
        ToHeader to = (ToHeader) req.getHeader(ToHeader.NAME);
        ContactHeader contact = (ContactHeader) req.getHeader(ContactHeader.NAME);
        if (contact != null && contact.isWildCard()) {
            throw new IllegalArgumentException("Contact: * in a SUBSCRIBE");
        }
        List<String> accept = new ArrayList<>();
        for (String value : values(req, "Accept")) {
            for (String part : value.split(",")) {
                String t = part.split(";")[0].trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    accept.add(t);
                }
            }
        }
        CSeqHeader cseq = (CSeqHeader) req.getHeader(CSeqHeader.NAME);
        InetSocketAddress src = SipMessages.source(req);
        String transport = st instanceof SIPTransaction t && t.getTransport() != null ? t.getTransport()
                : SipMessages.transport(req);
        Flow flow = new Flow(transport, src.getAddress().getHostAddress(), src.getPort());
        return new SubscribeRequest(RegisterRequests.unescape(r.getUser()), r.getHost(),
                ev == null ? null : ev.getEventType(), ev == null ? null : ev.getEventId(), accept,
                headerValue(req, "Expires"), values(req, "Authorization"), callId(req), cseq.getSeqNumber(),
                from.getTag(), to.getTag(), from.getAddress().toString(), to.getAddress().toString(),
                contact == null ? null : contact.getAddress().getURI().toString(), values(req, "Record-Route"), flow);
    }

    /** The presence thread's answer on the transaction. */
    private void reply(ServerTransaction st, Request req, SubscribeResponse answer) {
        try {
            Response r = responder.messages().createResponse(answer.status(), req);
            r.setReasonPhrase(answer.reason());
            HeaderFactory h = responder.headers();
            if (answer.expiresS() >= 0) {
                r.addHeader(h.createExpiresHeader((int) Math.min(Integer.MAX_VALUE, answer.expiresS())));
            }
            if (answer.status() / 100 == 2) {
                r.addHeader(responder.contact(SipMessages.transport(req))); // RFC 6665 4.2.1.1: 2xx carry Contact
            }
            for (String challenge : answer.challenges()) {
                r.addHeader(h.createHeader("WWW-Authenticate", challenge));
            }
            if (answer.minExpiresS() > 0) {
                r.addHeader(h.createMinExpiresHeader((int) answer.minExpiresS()));
            }
            if (answer.retryAfterS() > 0) {
                r.addHeader(h.createRetryAfterHeader((int) Math.min(Integer.MAX_VALUE, answer.retryAfterS())));
            }
            if (answer.allowEvents() != null) {
                for (String pkg : answer.allowEvents().split(",\\s*")) {
                    r.addHeader(h.createAllowEventsHeader(pkg));
                }
            }
            responder.addToTag(r, answer.localTag());
            st.sendResponse(r);
        } catch (SipException | ParseException | InvalidArgumentException | RuntimeException e) {
            LOG.warn("could not send {} to SUBSCRIBE (Call-ID {}): {}", answer.status(), callId(req), e.toString());
        }
    }

    /** Builds and sends one NOTIFY (presence thread); false when the stack would not take it. */
    @Override
    public boolean send(NotifyRequest n) {
        try {
            HeaderFactory h = responder.headers();
            URI target = responder.addresses().createURI(n.target());
            Address from = responder.addresses().createAddress(n.from());
            Address to = responder.addresses().createAddress(n.to());
            List<ViaHeader> via = new ArrayList<>();
            via.add(h.createViaHeader(settings.hostFor(n.transport()), settings.portFor(n.transport()), n.transport(),
                    null));
            Request req = responder.messages().createRequest(target, Request.NOTIFY, h.createCallIdHeader(n.callId()),
                    h.createCSeqHeader(n.cseq(), Request.NOTIFY), h.createFromHeader(from, n.localTag()),
                    h.createToHeader(to, n.remoteTag().isEmpty() ? null : n.remoteTag()), via,
                    h.createMaxForwardsHeader(70), h.createContentTypeHeader(n.eventPackage().contentType(),
                            n.eventPackage().contentSubtype()), n.body().getBytes(StandardCharsets.UTF_8));
            for (String route : n.route()) {
                req.addHeader(h.createHeader("Route", route));
            }
            req.addHeader(responder.contact(n.transport()));
            req.addHeader(h.createHeader(EventHeader.NAME, n.event()));
            req.addHeader(h.createHeader("Subscription-State", n.subscriptionState()));
            req.addHeader(h.createHeader("User-Agent", settings.userAgent()));
            // The stack's router asks flowOf while the transaction picks its channel (this thread):
            // the entry lives only that long, so nothing is left behind by subscriptions that end.
            sending.put(n.callId(), new FlowRouter.Flow(n.flow().host(), n.flow().port(), n.flow().transport()));
            try {
                ClientTransaction ct = provider.getNewClientTransaction(req);
                ct.setApplicationData(new NotifyTag(n.subscriptionId(), n.cseq()));
                ct.sendRequest();
            } finally {
                sending.remove(n.callId());
            }
            return true;
        } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
            LOG.info("NOTIFY of subscription {} to {} not sent: {}", n.subscriptionId(), n.target(), e.toString());
            return false;
        }
    }

    /**
     * Where a NOTIFY being sent goes when it has no Route ({@link FlowRouter}): the flow its
     * subscription's SUBSCRIBE came from (RFC 3581's received/rport, or the TCP connection), not
     * the Contact, which behind NAT names a private address. Null for any other Call-ID.
     */
    FlowRouter.Flow flowOf(String callId) {
        return sending.get(callId);
    }

    /** A response to one of our NOTIFYs (stack worker). */
    void onNotifyResponse(ResponseEvent event) {
        ClientTransaction ct = event.getClientTransaction();
        int status = event.getResponse().getStatusCode();
        if (ct != null && status >= 200 && ct.getApplicationData() instanceof NotifyTag t) {
            presence.notifyAnswered(t.subscriptionId(), t.cseq(), status);
        }
    }

    /** No final response to a NOTIFY within Timer F (RFC 6665 4.2.2: the subscription ends). */
    void onNotifyTimeout(ClientTransaction ct) {
        if (ct != null && ct.getApplicationData() instanceof NotifyTag t) {
            presence.notifyAnswered(t.subscriptionId(), t.cseq(), Response.REQUEST_TIMEOUT);
        }
    }

    private static List<String> values(Request req, String name) {
        List<String> out = new ArrayList<>();
        ListIterator<?> it = req.getHeaders(name);
        while (it.hasNext()) {
            out.add(headerValue((Header) it.next()));
        }
        return out;
    }
}
