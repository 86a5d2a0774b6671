package org.tandem.gateway.sip;

import java.text.ParseException;
import java.util.Locale;
import javax.sip.RequestEvent;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.security.OverloadControl;
import org.tandem.gateway.sip.stack.SipResponder;

/**
 * The SIP end of overload control ({@link OverloadControl}, docs/SECURITY.md "Overload control"):
 * refuses a shed INVITE with a stateless 503 and Retry-After (no server transaction: a
 * retransmission gets another 503, the ACK finds no leg and is ignored), and gives RFC 7339
 * feedback to peers whose topmost Via carries {@code oc}: the same Via of our responses then has
 * {@code oc=<share refused>;oc-algo="loss";oc-validity=<ms>;oc-seq=<when it last changed>}
 * ({@code oc=0;oc-validity=0} when not shedding: the peer stops reducing).
 *
 * <p>Only a new call is ever refused: an INVITE without To tag, that no server transaction holds
 * yet and whose Call-ID has no leg (a retransmission of a call admitted goes on).
 * Called on the stack's workers; stateless.
 */
final class InviteShedding {
    private static final Logger LOG = LoggerFactory.getLogger(InviteShedding.class);

    private final OverloadControl control;
    private final SipProvider provider;
    private final SipResponder responder;

    InviteShedding(OverloadControl control, SipProvider provider, SipResponder responder) {
        this.control = control;
        this.provider = provider;
        this.responder = responder;
    }

    /**
     * RFC 7339 feedback on the request's topmost Via (which every response to it copies), when
     * the peer asked for it with {@code oc}.
     */
    void annotate(Request request) {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        if (via == null || via.getParameter("oc") == null && !hasFlag(via)) {
            return;
        }
        int r = control.reductionPercent();
        long seq = control.sequenceMillis();
        try {
            via.setParameter("oc", Integer.toString(r));
            via.setParameter("oc-algo", "\"loss\"");
            via.setParameter("oc-validity", Integer.toString(r == 0 ? 0 : OverloadControl.VALIDITY_MS));
            via.setParameter("oc-seq", String.format(Locale.ROOT, "%d.%03d", seq / 1000, seq % 1000));
        } catch (ParseException e) {
            LOG.debug("cannot add oc feedback to Via {}: {}", via, e.getMessage());
        }
    }

    /** {@code oc} without a value: the RI keeps it as a parameter with an empty value. */
    private static boolean hasFlag(ViaHeader via) {
        for (var it = via.getParameterNames(); it.hasNext();) {
            if ("oc".equalsIgnoreCase((String) it.next())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Refuses the INVITE with 503 + Retry-After when overload control sheds it; returns true if
     * it did (the caller does nothing more with it).
     *
     * @param knownCall a leg already exists for its Call-ID
     */
    boolean shed(RequestEvent event, boolean knownCall) {
        if (knownCall || event.getServerTransaction() != null || control.admitNewCall()) {
            return false;
        }
        try {
            Response r = responder.messages().createResponse(Response.SERVICE_UNAVAILABLE, event.getRequest());
            r.addHeader(responder.headers().createRetryAfterHeader(control.retryAfterS()));
            responder.addToTag(r, null);
            provider.sendResponse(r);
        } catch (SipException | ParseException | javax.sip.InvalidArgumentException | RuntimeException e) {
            LOG.debug("503 to a shed INVITE not sent: {}", e.toString());
        }
        return true;
    }
}
