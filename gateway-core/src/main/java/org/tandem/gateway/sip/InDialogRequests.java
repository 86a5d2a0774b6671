package org.tandem.gateway.sip;

import static org.tandem.gateway.sip.stack.SipMessages.body;
import static org.tandem.gateway.sip.stack.SipMessages.callId;
import static org.tandem.gateway.sip.stack.SipMessages.hasSdp;
import static org.tandem.gateway.sip.stack.SipMessages.optionTagPresent;
import static org.tandem.gateway.sip.stack.SipMessages.reasonOf;
import static org.tandem.gateway.sip.stack.SipMessages.transport;

import java.text.ParseException;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.interwork.Reason;
import org.tandem.gateway.sdp.SdpParseException;
import org.tandem.gateway.sdp.SessionDescription;
import org.tandem.gateway.sip.stack.SipResponder;

/**
 * Requests inside an established (or early, for UPDATE) dialog, either direction of call: a
 * re-INVITE or UPDATE from the peer (a session refresh answered at once, a new offer handed to
 * call control as {@link SipEvent.Reoffer} and answered by {@link SipSide#answerReoffer} /
 * {@link SipSide#rejectReoffer}), a BYE from the peer, and call control's {@link SipSide#hangup}
 * (BYE, or CANCEL / 480 while the INVITE is unanswered).
 *
 * <p>Threading: the {@code on*} methods run on the stack's worker threads, the commands on the
 * caller's (call control's) thread through {@link LegRegistry#command}; both hold the leg monitor
 * while they touch a leg, and hand events to call control through {@link EventRelay} after
 * leaving it.
 */
final class InDialogRequests {
    // Same logger as before the split, so log lines and logback settings read as they did.
    private static final Logger LOG = LoggerFactory.getLogger(SipUserAgent.class);
    /** Retry-After of our 500 to an UPDATE that crosses an unanswered offer (RFC 3311 5.2: "0 to 10"). */
    private static final int RETRY_AFTER_S = 2;

    private final SipProvider provider;
    private final SipResponder responder;
    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final LegRegistry legs;
    private final EventRelay events;
    private final SessionTimers sessionTimers;
    private final InviteClient inviteClient;

    InDialogRequests(SipProvider provider, SipResponder responder, LegRegistry legs, EventRelay events,
            SessionTimers sessionTimers, InviteClient inviteClient) {
        this.provider = provider;
        this.responder = responder;
        this.messages = responder.messages();
        this.headers = responder.headers();
        this.legs = legs;
        this.events = events;
        this.sessionTimers = sessionTimers;
        this.inviteClient = inviteClient;
    }

    void onReinvite(RequestEvent event, SipLeg leg) throws SipException, ParseException, InvalidArgumentException {
        Request req = event.getRequest();
        ServerTransaction st = responder.serverTransaction(event);
        if (st == null) {
            return; // a retransmission racing its original: the transaction answers it
        }
        SessionDescription offer = null;
        if (hasSdp(req)) {
            try {
                offer = SessionDescription.parse(body(req));
            } catch (SdpParseException e) {
                responder.reply(st, req, Response.BAD_REQUEST, null, leg.localTag);
                return;
            }
        }
        synchronized (leg) {
            if (leg.state != SipLeg.State.CONFIRMED || leg.reofferTx != null) {
                // RFC 3261 14.2: 491 while our own offer/answer is in progress, 500 w/ Retry-After if theirs
                responder.reply(st, req, leg.state == SipLeg.State.CONFIRMED ? Response.SERVER_INTERNAL_ERROR : 491,
                        null, leg.localTag);
                return;
            }
            sessionTimers.updateSessionFromRequest(leg, req);
            if (offer == null || offer.sessionVersion() == leg.remoteSdpVersion) {
                // A session refresh (RFC 4028) or an offerless re-INVITE: repeat our current SDP.
                answerInDialog(st, req, leg, leg.localSdp);
                return;
            }
            leg.reofferTx = st;
            leg.reofferRequest = req;
            leg.remoteSdpVersion = offer.sessionVersion();
        }
        events.emit(new SipEvent.Reoffer(leg.handle, offer));
    }

    void onUpdate(RequestEvent event) throws SipException, ParseException, InvalidArgumentException {
        Request req = event.getRequest();
        SipLeg leg = legs.dialogLeg(req);
        ServerTransaction st = responder.serverTransaction(event);
        if (st == null) {
            return; // a retransmission racing its original: the transaction answers it
        }
        if (leg == null) {
            responder.reply(st, req, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
            return;
        }
        SessionDescription offer = null;
        if (hasSdp(req)) {
            try {
                offer = SessionDescription.parse(body(req));
            } catch (SdpParseException e) {
                responder.reply(st, req, Response.BAD_REQUEST, null, leg.localTag);
                return;
            }
        }
        synchronized (leg) {
            if (leg.state == SipLeg.State.ENDED || leg.reofferTx != null) {
                responder.reply(st, req, leg.state == SipLeg.State.ENDED ? Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST : 491,
                        null, leg.localTag);
                return;
            }
            if (offer != null && leg.state == SipLeg.State.EARLY && !earlyOfferAnswered(leg)) {
                // RFC 3311 5.2: an offer while the INVITE's own offer/answer is unfinished. Ours
                // (PSTN -> SIP: our INVITE's offer has no reliable answer yet): 491. Theirs (SIP ->
                // PSTN: their INVITE's offer not yet answered in a PRACKed 18x): 500 + Retry-After.
                if (leg.handle.inbound()) {
                    Response r = messages.createResponse(Response.SERVER_INTERNAL_ERROR, req);
                    responder.addToTag(r, leg.localTag);
                    r.addHeader(headers.createRetryAfterHeader(RETRY_AFTER_S));
                    st.sendResponse(r);
                } else {
                    responder.reply(st, req, Response.REQUEST_PENDING, null, leg.localTag);
                }
                return;
            }
            sessionTimers.updateSessionFromRequest(leg, req);
            if (offer == null || offer.sessionVersion() == leg.remoteSdpVersion) {
                answerInDialog(st, req, leg, offer == null ? null : leg.localSdp);
                return;
            }
            leg.reofferTx = st;
            leg.reofferRequest = req;
            leg.remoteSdpVersion = offer.sessionVersion();
        }
        events.emit(new SipEvent.Reoffer(leg.handle, offer));
    }

    /**
     * Whether the INVITE's offer/answer is complete before the 2xx (leg monitor held): inbound, our
     * answer went in a reliable 18x that was PRACKed; outbound, theirs came in a reliable 18x.
     */
    private static boolean earlyOfferAnswered(SipLeg leg) {
        return leg.handle.inbound() ? leg.reliable != null && leg.reliable.answerDelivered() : leg.earlyAnswerReceived;
    }

    void onBye(RequestEvent event) throws SipException, ParseException, InvalidArgumentException {
        Request bye = event.getRequest();
        ServerTransaction st = responder.serverTransaction(event);
        if (st == null) {
            return; // a retransmission racing its original: the transaction answers it
        }
        SipLeg leg = legs.dialogLeg(bye);
        if (leg == null) {
            st.sendResponse(messages.createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, bye));
            return;
        }
        boolean report;
        synchronized (leg) {
            try {
                st.sendResponse(messages.createResponse(Response.OK, bye));
            } catch (SipException unsent) {
                // The peer hung up and went (a TCP connection closed right after its BYE): the
                // call ends all the same, or the leg and the PSTN channel would stay up.
                LOG.info("BYE (Call-ID {}): 200 not sent ({}); ending the call anyway", callId(bye),
                        unsent.getMessage());
            }
            if (leg.state == SipLeg.State.ENDED) {
                return;
            }
            if (leg.reofferTx != null) {
                responder.reply(leg.reofferTx, leg.reofferRequest, Response.REQUEST_TERMINATED, null, leg.localTag);
            }
            report = !leg.hungUp;
            legs.end(leg);
        }
        if (report) {
            events.emit(new SipEvent.RemoteHangup(leg.handle, reasonOf(bye)));
        }
    }

    // ---------------------------------------------------------------- commands from call control

    void hangup(CallHandle call, Reason reason) {
        legs.command(call, "hangup", leg -> {
            if (leg.state == SipLeg.State.ENDED) {
                return;
            }
            leg.hungUp = true;
            if (leg.state == SipLeg.State.EARLY) {
                if (leg.handle.inbound()) {
                    try {
                        responder.reply(leg.inviteTx, leg.invite, Response.TEMPORARILY_UNAVAILABLE, reason, leg.localTag);
                    } finally {
                        legs.end(leg);
                    }
                } else {
                    leg.cancelReason = reason;
                    if (leg.provisionalReceived) {
                        inviteClient.sendCancel(leg);
                    } else {
                        leg.cancelPending = true; // RFC 3261 9.1: wait for a provisional
                    }
                }
                return;
            }
            if (leg.reofferTx != null) {
                responder.reply(leg.reofferTx, leg.reofferRequest, Response.REQUEST_TERMINATED, null, leg.localTag);
            }
            legs.sendBye(leg, reason);
        });
    }

    void answerReoffer(CallHandle call, SessionDescription answer) {
        legs.command(call, "answerReoffer", leg -> {
            if (leg.reofferTx == null) {
                return;
            }
            ServerTransaction st = leg.reofferTx;
            Request req = leg.reofferRequest;
            leg.reofferTx = null;
            leg.reofferRequest = null;
            leg.localSdp = answer;
            answerInDialog(st, req, leg, answer);
        });
    }

    void rejectReoffer(CallHandle call, int status) {
        legs.command(call, "rejectReoffer", leg -> {
            if (leg.reofferTx == null) {
                return;
            }
            responder.reply(leg.reofferTx, leg.reofferRequest, status, null, leg.localTag);
            leg.reofferTx = null;
            leg.reofferRequest = null;
        });
    }

    /** 200 to a re-INVITE or UPDATE with our SDP (or none) and the session timer (leg monitor held). */
    private void answerInDialog(ServerTransaction st, Request req, SipLeg leg, SessionDescription sdp)
            throws SipException, ParseException, InvalidArgumentException {
        Response r = messages.createResponse(Response.OK, req);
        responder.addToTag(r, leg.localTag);
        r.addHeader(responder.contact(transport(req), req.getRequestURI().isSipURI()
                && ((javax.sip.address.SipURI) req.getRequestURI()).isSecure()));
        if (sdp != null) {
            r.setContent(sdp.encode(), headers.createContentTypeHeader("application", "sdp"));
        }
        leg.peerSupportsTimer |= optionTagPresent(req, "Supported", "timer");
        sessionTimers.addSessionTimerToAnswer(leg, r);
        st.sendResponse(r);
        if (leg.state != SipLeg.State.EARLY) {
            sessionTimers.armSessionTimer(leg); // before the answer, the 2xx arms it (RFC 4028 9)
        }
    }
}
