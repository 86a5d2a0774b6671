package org.tandem.gateway.sip;

import java.text.ParseException;
import java.util.function.BooleanSupplier;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.message.Response;
import org.tandem.gateway.sip.stack.SipResponder;

/**
 * Requests that belong to no call: OPTIONS (keep-alive and capability query: 200 with Accept,
 * Allow and Supported; 503 with Retry-After while stopping or drained) and the 501 for methods we do not implement. The
 * place for the next such requests (SUBSCRIBE/NOTIFY, MESSAGE); REGISTER has its own,
 * {@link RegisterRequests}.
 *
 * <p>Threading: runs on the stack's worker threads; touches no leg and keeps no state.
 */
final class OutOfDialogRequests {
    /** Retry-After of the 503 to OPTIONS while stopping or drained (as the INVITEs' 503). */
    static final int RETRY_AFTER_S = 60;
    private final SipResponder responder;
    private final LegRegistry legs;
    private final BooleanSupplier stopping;

    OutOfDialogRequests(SipResponder responder, LegRegistry legs, BooleanSupplier stopping) {
        this.responder = responder;
        this.legs = legs;
        this.stopping = stopping;
    }

    void onOptions(RequestEvent event) throws SipException, ParseException, InvalidArgumentException {
        if (legs.dialogLeg(event.getRequest()) == null && stopping.getAsBoolean()) {
            // Stopping or drained: a load balancer's keep-alive takes us out of rotation; Retry-After
            // tells a well-behaved one not to come back at once.
            Response busy = responder.messages().createResponse(Response.SERVICE_UNAVAILABLE, event.getRequest());
            busy.addHeader(responder.headers().createRetryAfterHeader(RETRY_AFTER_S));
            responder.addToTag(busy, null);
            responder.send(event, busy);
            return;
        }
        String unsupported = org.tandem.gateway.sip.stack.SipMessages.unsupportedRequire(event.getRequest());
        if (unsupported != null) {
            // RFC 3261 8.2.2.3, for OPTIONS too (RFC 4475 "bext01")
            ServerTransaction st = responder.serverTransaction(event);
            if (st != null) {
                responder.replyBadExtension(st, event.getRequest(), unsupported);
            }
            return;
        }
        Response r = responder.messages().createResponse(Response.OK, event.getRequest());
        r.addHeader(responder.headers().createAcceptHeader("application", "sdp"));
        responder.addToTag(r, null);
        responder.send(event, r);
    }

    /** 501 (RFC 3261 21.5.2), with Allow, for any method not dispatched elsewhere. */
    void onUnknownMethod(RequestEvent event) throws SipException, ParseException, InvalidArgumentException {
        responder.respondStateless(event, Response.NOT_IMPLEMENTED, null);
    }
}
