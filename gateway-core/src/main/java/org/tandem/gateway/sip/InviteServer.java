package org.tandem.gateway.sip;

import static org.tandem.gateway.sip.stack.SipMessages.body;
import static org.tandem.gateway.sip.stack.SipMessages.callId;
import static org.tandem.gateway.sip.stack.SipMessages.cseqNumber;
import static org.tandem.gateway.sip.stack.SipMessages.fromTag;
import static org.tandem.gateway.sip.stack.SipMessages.hasSdp;
import static org.tandem.gateway.sip.stack.SipMessages.headerValue;
import static org.tandem.gateway.sip.stack.SipMessages.identity;
import static org.tandem.gateway.sip.stack.SipMessages.redirection;
import static org.tandem.gateway.sip.stack.SipMessages.newTag;
import static org.tandem.gateway.sip.stack.SipMessages.optionTagPresent;
import static org.tandem.gateway.sip.stack.SipMessages.reasonOf;
import static org.tandem.gateway.sip.stack.SipMessages.source;
import static org.tandem.gateway.sip.stack.SipMessages.transport;
import static org.tandem.gateway.sip.stack.SipMessages.unsupportedRequire;
import static org.tandem.gateway.sip.stack.SipMessages.userOf;

import gov.nist.javax.sip.DialogTimeoutEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.text.ParseException;
import java.util.function.BooleanSupplier;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.header.CSeqHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.RAckHeader;
import javax.sip.header.RSeqHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.interwork.Reason;
import org.tandem.gateway.interwork.SipIdentity;
import org.tandem.gateway.sdp.SdpParseException;
import org.tandem.gateway.sdp.SessionDescription;
import org.tandem.gateway.sip.stack.SipResponder;

/**
 * The INVITE server side (UAS) of inbound calls: the initial INVITE through its gates (100 at
 * once, 503 while stopping, 420, trunk trust or digest authentication, 422, SDP, Contact) to a new
 * {@link SipLeg} and {@link SipEvent.IncomingCall}; its CANCEL, the ACK of our 2xx and the missing
 * ACK (dialog timeout); and call control's answers to it: {@link SipSide#progress},
 * {@link SipSide#answer}, {@link SipSide#reject}. With 100rel (RFC 3262) its 18x go reliably and
 * the 200 waits for their PRACKs, which are answered here too, as is the missing PRACK (500); the
 * rules are {@link ReliableProvisionals}'. A re-INVITE is {@link InDialogRequests}'s.
 *
 * <p>Threading: the {@code on*} methods run on the stack's worker threads, the commands on the
 * caller's (call control's) thread through {@link LegRegistry#command}; both hold the leg monitor
 * while they touch a leg, and hand events to call control through {@link EventRelay} after
 * leaving it.
 */
final class InviteServer {
    // Same logger as before the split, so log lines and logback settings read as they did.
    private static final Logger LOG = LoggerFactory.getLogger(SipUserAgent.class);

    private final SipSettings settings;
    private final SipProvider provider;
    private final SipResponder responder;
    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final LegRegistry legs;
    private final EventRelay events;
    private final DigestAuthenticator authenticator;
    private final SessionTimers sessionTimers;
    private final BooleanSupplier stopping;
    private final RegisteredTrunks registeredTrunks;
    private final LiveTrunks trunks;

    InviteServer(SipSettings settings, SipProvider provider, SipResponder responder, LegRegistry legs,
            EventRelay events, DigestAuthenticator authenticator, SessionTimers sessionTimers,
            BooleanSupplier stopping, RegisteredTrunks registeredTrunks, LiveTrunks trunks) {
        this.settings = settings;
        this.provider = provider;
        this.responder = responder;
        this.messages = responder.messages();
        this.headers = responder.headers();
        this.legs = legs;
        this.events = events;
        this.authenticator = authenticator;
        this.sessionTimers = sessionTimers;
        this.stopping = stopping;
        this.registeredTrunks = registeredTrunks;
        this.trunks = trunks;
    }

    /**
     * An INVITE with Replaces (RFC 3891), after the toll-fraud check: the confirmed dialog of ours
     * it names, for call control to decide ({@link SipEvent.ReplacingCall}); null when it names
     * none (or is malformed), answered 481 here (RFC 3891 3).
     */
    private CallHandle replacedDialog(ServerTransaction st, Request req)
            throws SipException, ParseException, InvalidArgumentException {
        String value = headerValue(req, ReferRequests.REPLACES);
        ReplacesValue replaces = ReplacesValue.parse(value, false);
        SipLeg leg = replaces == null ? null : legs.byCallId(replaces.callId());
        boolean matches = false;
        if (leg != null) {
            synchronized (leg) {
                matches = leg.dialog != null && leg.state != SipLeg.State.ENDED
                        && replaces.names(leg.handle.callId(), leg.dialog.getLocalTag(), leg.dialog.getRemoteTag());
            }
        }
        if (matches) {
            LOG.info("INVITE {} with Replaces: {} names {}", callId(req), value, leg.handle);
            return leg.handle;
        }
        LOG.info("INVITE {} with Replaces: {} names no dialog of ours: 481", callId(req), value);
        responder.reply(st, req, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
        return null;
    }

    /** An initial INVITE (no To tag). */
    void onInvite(RequestEvent event) throws SipException, ParseException, InvalidArgumentException {
        Request req = event.getRequest();
        if (callIdInUse(event, req)) {
            return;
        }
        ServerTransaction st = responder.serverTransaction(event);
        if (st == null) {
            return; // a retransmission racing its original: the transaction answers it
        }
        try {
            st.sendResponse(messages.createResponse(Response.TRYING, req)); // RFC 3261 8.2.6.1: at once
        } catch (SipException e) {
            // The RI throws when it cannot resolve the Via's sent-by (a TCP request whose Via says
            // UDP host5.example.net, RFC 4475 "esc01"), having sent the 100 on the connection all
            // the same. A 100 is a courtesy: the INVITE is still judged and answered.
            LOG.debug("100 Trying to INVITE (Call-ID {}) not sent: {}", callId(req), e.toString());
        }
        if (stopping.getAsBoolean()) {
            responder.reply(st, req, Response.SERVICE_UNAVAILABLE, null, null);
            return;
        }
        InetSocketAddress source = source(req);
        String transport = transport(req);
        // Toll-fraud protection (below): only a trunk's addresses, a trunk's registered Contact (from
        // the registrar we registered with) or an authenticated user reach the PSTN. The trunk also
        // decides 100rel, which the Require check needs first.
        RegisteredTrunks.Entry registration = registeredTrunks.match(source.getAddress(),
                userOf(req.getRequestURI()), System.currentTimeMillis());
        String trunk = registration != null ? registration.trunk() : trustedTrunk(source.getAddress());
        ReliableProvisionals.Use reliable = ReliableProvisionals.decide(prackPolicy(trunk),
                optionTagPresent(req, "Require", "100rel"), optionTagPresent(req, "Supported", "100rel"));
        String unsupported = unsupportedRequire(req, reliable != ReliableProvisionals.Use.REFUSE);
        if (unsupported != null) {
            responder.replyBadExtension(st, req, unsupported);
            return;
        }
        String user = null;
        if (trunk == null && !(settings.trustLoopback() && source.getAddress().isLoopbackAddress())) {
            if (!authenticator.hasUsers()) {
                LOG.warn("403 to INVITE from untrusted source {}:{}/{} for {} (Call-ID {}): not a trusted trunk "
                        + "address and no digest users configured", source.getAddress().getHostAddress(),
                        source.getPort(), transport, req.getRequestURI(), callId(req));
                responder.reply(st, req, Response.FORBIDDEN, null, null);
                return;
            }
            user = authenticator.authenticate(st, req, source, transport);
            if (user == null) {
                return;
            }
        }
        CallHandle replaced = null;
        if (req.getHeader(ReferRequests.REPLACES) != null) {
            replaced = replacedDialog(st, req);
            if (replaced == null) {
                return;
            }
        }
        // RFC 4028 section 9: refuse intervals below our minimum with 422 and our Min-SE.
        SessionTimerHeaders asked = SessionTimerHeaders.parse(headerValue(req, SessionTimerHeaders.SESSION_EXPIRES));
        if (settings.sessionExpiresS() > 0 && asked != null && asked.intervalS() < settings.minSeS()) {
            Response r = messages.createResponse(422, req);
            r.addHeader(headers.createHeader(SessionTimerHeaders.MIN_SE, Integer.toString(settings.minSeS())));
            responder.addToTag(r, null);
            st.sendResponse(r);
            return;
        }
        SessionDescription offer = null;
        if (hasSdp(req)) {
            try {
                offer = SessionDescription.parse(body(req));
            } catch (SdpParseException e) {
                LOG.info("400 to INVITE from {}:{} (Call-ID {}): {}", source.getAddress().getHostAddress(),
                        source.getPort(), callId(req), e.getMessage());
                Response r = messages.createResponse(Response.BAD_REQUEST, req);
                r.setReasonPhrase("Bad SDP");
                r.addHeader(headers.createWarningHeader(settings.listenHost(), 399, e.getMessage()));
                responder.addToTag(r, null);
                st.sendResponse(r);
                return;
            }
        } else if (req.getContentLength() != null && req.getContentLength().getContentLength() > 0) {
            responder.reply(st, req, Response.UNSUPPORTED_MEDIA_TYPE, null, null);
            return;
        }
        if (req.getHeader("Contact") == null) {
            Response r = messages.createResponse(Response.BAD_REQUEST, req);
            r.setReasonPhrase("Missing Contact");
            responder.addToTag(r, null);
            st.sendResponse(r);
            return;
        }
        SipLeg leg = new SipLeg(new CallHandle(legs.nextId(), callId(req), true));
        SipIdentity identity = identity(req);
        // Sent to our registered Contact, the Request-URI user is the Contact's, not a number: the
        // number called is the To user (RFC 3261 10.2.1; how registering trunks deliver their DIDs).
        String called = registration != null ? toUser(req) : userOf(req.getRequestURI());
        synchronized (leg) {
            leg.invite = req;
            leg.inviteTx = st;
            leg.inviteTransport = transport;
            leg.inviteFromTag = fromTag(req);
            leg.inviteCseq = cseqNumber(req);
            leg.localTag = newTag();
            leg.dialog = provider.getNewDialog(st);
            leg.offerInAnswer = offer == null;
            if (offer != null) {
                leg.remoteSdpVersion = offer.sessionVersion();
            }
            leg.peerSupportsTimer = optionTagPresent(req, "Supported", "timer")
                    || optionTagPresent(req, "Require", "timer");
            leg.session = asked;
            leg.reliable = reliable == ReliableProvisionals.Use.RELIABLE ? new ReliableProvisionals() : null;
            leg.prackOff = prackPolicy(trunk) == PrackPolicy.OFF;
            legs.add(leg);
        }
        SipEvent.IncomingCall incoming = new SipEvent.IncomingCall(leg.handle, called, identity, offer, source,
                transport, trunk, user, redirection(req));
        events.emit(replaced == null ? incoming : new SipEvent.ReplacingCall(leg.handle, replaced, incoming));
    }

    /**
     * An initial INVITE (no To tag) whose Call-ID a call of ours already has. The same INVITE again
     * (From tag and CSeq equal: a retransmission that came after the ACK, or was duplicated on the
     * way) finds no transaction in the RI once the dialog is confirmed, and would become a second
     * call with a second B-channel; it is absorbed, as the INVITE server transaction's Accepted
     * state does (RFC 6026 8.7). Anything else (another From tag: the same request forked to us
     * twice; another CSeq; our own outbound INVITE looped back) gets 482 (RFC 3261 8.2.2.2) and
     * the call with that Call-ID goes on untouched.
     */
    private boolean callIdInUse(RequestEvent event, Request req) throws SipException, ParseException,
            InvalidArgumentException {
        SipLeg existing = legs.byCallId(callId(req));
        if (existing == null) {
            return false;
        }
        String tag = fromTag(req);
        long cseq = cseqNumber(req);
        boolean again;
        synchronized (existing) {
            again = existing.handle.inbound() && tag != null && tag.equals(existing.inviteFromTag)
                    && cseq == existing.inviteCseq;
        }
        if (again) {
            LOG.debug("INVITE {} CSeq {} again for call {}: a retransmission, absorbed", callId(req), cseq,
                    existing.handle);
            return true;
        }
        ServerTransaction st = responder.serverTransaction(event);
        if (st != null) {
            LOG.info("482 to INVITE from {} (Call-ID {}, From tag {}, CSeq {}): the Call-ID is call {}'s", source(req),
                    callId(req), tag, cseq, existing.handle);
            responder.reply(st, req, Response.LOOP_DETECTED, null, null);
        }
        return true;
    }

    void onAck(Request ack) {
        SipLeg leg = legs.byCallId(callId(ack));
        if (leg == null) {
            return;
        }
        SessionDescription answer = null;
        boolean report;
        synchronized (leg) {
            if (leg.state != SipLeg.State.ANSWERED) {
                return; // ACK for a re-INVITE's 2xx, or a retransmission
            }
            leg.state = SipLeg.State.CONFIRMED;
            leg.releaseInvite(SessionTimers.allowsUpdate(leg.invite));
            report = !leg.hungUp;
            if (leg.offerInAnswer && hasSdp(ack)) {
                try {
                    answer = SessionDescription.parse(body(ack));
                    leg.remoteSdpVersion = answer.sessionVersion();
                } catch (SdpParseException e) {
                    LOG.info("unreadable SDP answer in ACK for {}: {}", leg.handle, e.getMessage());
                }
            }
        }
        if (report) {
            events.emit(new SipEvent.Acked(leg.handle, answer));
        }
    }

    void onCancel(RequestEvent event) throws SipException, ParseException, InvalidArgumentException {
        Request cancel = event.getRequest();
        ServerTransaction st = responder.serverTransaction(event);
        if (st == null) {
            return; // a retransmission racing its original: the transaction answers it
        }
        SipLeg leg = legs.byCallId(callId(cancel));
        if (leg == null || !leg.handle.inbound()) {
            st.sendResponse(messages.createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, cancel));
            return;
        }
        Reason reason = reasonOf(cancel);
        boolean report;
        synchronized (leg) {
            st.sendResponse(messages.createResponse(Response.OK, cancel)); // RFC 3261 9.2
            if (leg.state != SipLeg.State.EARLY) {
                return; // already answered or refused: the CANCEL has no effect
            }
            report = !leg.hungUp;
            try {
                responder.reply(leg.inviteTx, leg.invite, Response.REQUEST_TERMINATED, null, leg.localTag);
            } catch (SipException | ParseException | InvalidArgumentException e) {
                // the call ends all the same: call control must hear of it
                LOG.info("487 to the cancelled INVITE {} not sent: {}", leg.handle, e.toString());
                SipResponder.abandon(leg.inviteTx);
            } finally {
                legs.end(leg);
            }
        }
        if (report) {
            events.emit(new SipEvent.Cancelled(leg.handle, reason));
        }
    }

    /** The RI gave up retransmitting our 2xx: no ACK came (RFC 3261 13.3.1.4). */
    void onDialogTimeout(DialogTimeoutEvent event) {
        Dialog dialog = event.getDialog();
        SipLeg leg = dialog == null ? null : legs.byCallId(dialog.getCallId().getCallId());
        if (leg == null) {
            return;
        }
        boolean report;
        synchronized (leg) {
            if (leg.state == SipLeg.State.ENDED) {
                return;
            }
            LOG.info("no ACK for our 2xx on {} ({}): releasing", leg.handle, event.getReason());
            legs.sendBye(leg, Reason.q850(102));
            report = !leg.hungUp;
        }
        if (report) {
            events.emit(new SipEvent.TransactionTimeout(leg.handle, Request.ACK));
        }
    }

    // ---------------------------------------------------------------- commands from call control

    void progress(CallHandle call, int status, SessionDescription sdp) {
        if (status != Response.RINGING && status != Response.SESSION_PROGRESS) {
            throw new IllegalArgumentException("progress status must be 180 or 183, not " + status);
        }
        legs.command(call, "progress", leg -> {
            if (!leg.handle.inbound() || leg.state != SipLeg.State.EARLY) {
                return;
            }
            if (leg.reliable != null) {
                if (leg.reliable.offer(new ReliableProvisionals.Provisional(status, sdp))) {
                    sendReliable(leg, status, sdp);
                } else {
                    LOG.debug("{}: {} waits for the PRACK of our previous reliable provisional", call, status);
                }
                return;
            }
            Response r = response(leg, status, sdp);
            leg.inviteTx.sendResponse(r);
            if (sdp != null) {
                leg.localSdp = sdp;
            }
        });
    }

    void answer(CallHandle call, SessionDescription sdp) {
        legs.command(call, "answer", leg -> {
            if (!leg.handle.inbound() || leg.state != SipLeg.State.EARLY) {
                return;
            }
            if (leg.reliable != null && leg.reliable.holdAnswer(sdp)) {
                LOG.debug("{}: 200 waits for the PRACK of our reliable provisional (RFC 3262 3)", call);
                return;
            }
            sendAnswer(leg, sdp);
        });
    }

    /** The 200 to the INVITE (leg monitor held). */
    private void sendAnswer(SipLeg leg, SessionDescription sdp) throws SipException, ParseException,
            InvalidArgumentException {
        // An answer already given in a PRACKed reliable 18x is not repeated (RFC 3261 13.2.1: the
        // offer/answer exchange is complete), unless call control changed the session since.
        boolean answered = leg.reliable != null && leg.reliable.answerDelivered() && sdp != null
                && leg.localSdp != null && sdp.sessionVersion() == leg.localSdp.sessionVersion();
        Response r = response(leg, Response.OK, answered ? null : sdp);
        sessionTimers.addSessionTimerToAnswer(leg, r);
        leg.localSdp = sdp;
        leg.state = SipLeg.State.ANSWERED;
        leg.inviteTx.sendResponse(r);
        sessionTimers.armSessionTimer(leg);
    }

    /**
     * A reliable 18x (RFC 3262 3; leg monitor held): the RI adds Require: 100rel and RSeq and
     * retransmits it with T1 doubling until the PRACK, for 64*T1 at most ({@link #onServerTimeout}).
     * To an INVITE without an offer no SDP goes in it: our offer waits for the 200, whose answer
     * comes in the ACK as without 100rel (an offer in a reliable 18x would be answered in the PRACK).
     */
    private void sendReliable(SipLeg leg, int status, SessionDescription sdp)
            throws SipException, ParseException, InvalidArgumentException {
        SessionDescription body = leg.offerInAnswer ? null : sdp;
        Response r = leg.dialog.createReliableProvisionalResponse(status);
        decorate(r, leg, body);
        leg.dialog.sendReliableProvisionalResponse(r);
        RSeqHeader rseq = (RSeqHeader) r.getHeader(RSeqHeader.NAME);
        leg.reliable.sent(rseq.getSequenceNumber(), seqOf(leg.invite), body != null);
        if (body != null) {
            leg.localSdp = body;
        }
    }

    /**
     * A PRACK (RFC 3262 3). JAIN-SIP matches it against the unacknowledged reliable 18x first
     * and passes on only one that matches (or one outside any dialog it knows); the match is
     * checked again here, by RAck, against our own state: 200 and what waited for it, or 481.
     */
    void onPrack(RequestEvent event) throws SipException, ParseException, InvalidArgumentException {
        Request prack = event.getRequest();
        ServerTransaction st = responder.serverTransaction(event);
        if (st == null) {
            return;
        }
        SipLeg leg = legs.dialogLeg(prack);
        RAckHeader rack = (RAckHeader) prack.getHeader(RAckHeader.NAME);
        if (leg == null || rack == null) {
            responder.reply(st, prack, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
            return;
        }
        synchronized (leg) {
            ReliableProvisionals.Prack outcome = leg.reliable == null || leg.state == SipLeg.State.ENDED
                    ? ReliableProvisionals.Prack.UNKNOWN
                    : leg.reliable.onPrack(rack.getRSeqNumber(), rack.getCSeqNumber(), rack.getMethod());
            if (outcome != ReliableProvisionals.Prack.MATCHED) {
                LOG.info("481 to PRACK on {} for RAck {}: {}", leg.handle, headerValue(prack, RAckHeader.NAME),
                        outcome == ReliableProvisionals.Prack.REPEATED ? "acknowledged already"
                                : "no such reliable provisional of ours");
                responder.reply(st, prack, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, leg.localTag);
                return;
            }
            Response ok = messages.createResponse(Response.OK, prack);
            responder.addToTag(ok, leg.localTag);
            st.sendResponse(ok);
            if (leg.state != SipLeg.State.EARLY) {
                return;
            }
            ReliableProvisionals.Next next = leg.reliable.next();
            if (next.answer()) {
                sendAnswer(leg, next.answerSdp());
            } else if (next.provisional() != null) {
                sendReliable(leg, next.provisional().status(), next.provisional().sdp());
            }
        }
    }

    /**
     * Whether a PRACK matches our unacknowledged reliable 18x ({@code sip.stack.PrackValve} answers
     * the others 481 before the RI drops them, RFC 3262 3); any thread, takes the leg monitor.
     */
    boolean prackKnown(Request prack) {
        SipLeg leg = legs.dialogLeg(prack);
        RAckHeader rack = (RAckHeader) prack.getHeader(RAckHeader.NAME);
        if (leg == null || rack == null) {
            return false;
        }
        synchronized (leg) {
            return leg.reliable != null && leg.state != SipLeg.State.ENDED && leg.reliable.classify(
                    rack.getRSeqNumber(), rack.getCSeqNumber(), rack.getMethod()) == ReliableProvisionals.Prack.MATCHED;
        }
    }

    /**
     * The INVITE server transaction ended without a final response: JAIN-SIP retransmitted our
     * reliable 18x for 64*T1 and no PRACK came. RFC 3262 3: "the UAS SHOULD reject the original
     * request with a 5xx response": 500, sent statelessly (the stack has ended the transaction),
     * with Reason cause 102, and call control releases the call (TransactionTimeout PRACK).
     */
    void onServerTimeout(ServerTransaction st) {
        Request req = st.getRequest();
        SipLeg leg = req == null || !Request.INVITE.equals(req.getMethod()) ? null : legs.byCallId(callId(req));
        if (leg == null) {
            return;
        }
        boolean report;
        synchronized (leg) {
            if (leg.inviteTx != st || leg.state != SipLeg.State.EARLY || leg.reliable == null
                    || !leg.reliable.awaitingPrack()) {
                return;
            }
            LOG.info("no PRACK for our reliable provisional on {} within 64*T1: 500 and release", leg.handle);
            try {
                Response r = messages.createResponse(Response.SERVER_INTERNAL_ERROR, leg.invite);
                responder.addToTag(r, leg.localTag);
                r.addHeader(headers.createHeader(Reason.HEADER, Reason.q850(102).toHeaderValue()));
                provider.sendResponse(r);
            } catch (SipException | ParseException | RuntimeException e) {
                LOG.warn("500 after the missing PRACK on {} could not be sent: {}", leg.handle, e.toString());
            }
            report = !leg.hungUp;
            legs.end(leg);
        }
        if (report) {
            events.emit(new SipEvent.TransactionTimeout(leg.handle, Request.PRACK));
        }
    }

    void reject(CallHandle call, int status, Reason reason) {
        if (status < 300 || status > 699) {
            throw new IllegalArgumentException("reject status must be 300..699, not " + status);
        }
        legs.command(call, "reject", leg -> {
            if (!leg.handle.inbound() || leg.state != SipLeg.State.EARLY) {
                return;
            }
            leg.hungUp = true;
            try {
                responder.reply(leg.inviteTx, leg.invite, status, reason, leg.localTag);
            } catch (SipException e) {
                SipResponder.abandon(leg.inviteTx); // no final response went out: nothing to wait for
                throw e;
            } finally {
                legs.end(leg); // even when the answer cannot be sent (the peer's connection is gone)
            }
        });
    }

    /** 302 with the Contacts, each with its q (leg monitor held by the command). */
    void redirect(CallHandle call, java.util.List<RedirectContact> contacts) {
        if (contacts.isEmpty()) {
            throw new IllegalArgumentException("a 302 needs at least one Contact");
        }
        legs.command(call, "redirect", leg -> {
            if (!leg.handle.inbound() || leg.state != SipLeg.State.EARLY) {
                return;
            }
            leg.hungUp = true;
            Response r = messages.createResponse(Response.MOVED_TEMPORARILY, leg.invite);
            responder.addToTag(r, leg.localTag);
            for (RedirectContact c : contacts) {
                javax.sip.header.ContactHeader h = headers.createContactHeader(
                        responder.addresses().createAddress(c.uri()));
                if (c.qMillis() >= 0) {
                    h.setQValue(c.qMillis() / 1000f);
                }
                r.addHeader(h);
            }
            try {
                leg.inviteTx.sendResponse(r);
            } finally {
                legs.end(leg);
            }
        });
    }

    /** A 1xx/2xx to the leg's INVITE with our To tag, Contact, Allow, Supported and the SDP. */
    private Response response(SipLeg leg, int status, SessionDescription sdp) throws ParseException {
        Response r = messages.createResponse(status, leg.invite);
        decorate(r, leg, sdp);
        return r;
    }

    private void decorate(Response r, SipLeg leg, SessionDescription sdp) throws ParseException {
        responder.addToTag(r, leg.localTag);
        r.addHeader(responder.contact(transport(leg.invite), leg.invite.getRequestURI().isSipURI()
                && ((javax.sip.address.SipURI) leg.invite.getRequestURI()).isSecure()));
        if (r.getHeader("Allow") == null) {
            responder.addAllow(r);
        }
        responder.setSupported(r, !leg.prackOff);
        if (sdp != null) {
            r.setContent(sdp.encode(), headers.createContentTypeHeader("application", "sdp"));
        }
    }

    /** The CSeq number of a request. */
    private static long seqOf(Request req) {
        return ((CSeqHeader) req.getHeader(CSeqHeader.NAME)).getSeqNumber();
    }

    private PrackPolicy prackPolicy(String trunk) {
        for (SipTrunk t : trunks.all()) {
            if (t.name().equals(trunk)) {
                return t.prack();
            }
        }
        return PrackPolicy.SUPPORTED; // phones and untrusted sources: what the INVITE asks
    }

    private static String toUser(Request req) {
        javax.sip.header.ToHeader to = (javax.sip.header.ToHeader) req.getHeader(javax.sip.header.ToHeader.NAME);
        String user = to == null ? null : userOf(to.getAddress().getURI());
        return user != null ? user : userOf(req.getRequestURI());
    }

    private String trustedTrunk(InetAddress address) {
        SipTrunk t = trunks.trustedTrunk(address);
        return t == null ? null : t.name();
    }
}
