package org.tandem.gateway.sip.stack;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.util.function.Predicate;
import javax.sip.SipStack;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 481 for a PRACK that acknowledges nothing of ours (RFC 3262 3: "If a PRACK request is received
 * by the UA core that does not match any unacknowledged reliable provisional response, the UAS
 * MUST respond to the PRACK with a 481 response"). The RI matches a PRACK in a dialog it knows
 * against that dialog's unacknowledged reliable 18x and silently drops one that does not match,
 * before any listener sees it; this valve runs before that, asks the user agent
 * ({@link #setKnown}) whether the PRACK matches our unacknowledged reliable 18x, lets it and any
 * retransmission of a PRACK already answered (its server transaction exists) go on as usual, and
 * answers the others 481 on the channel they came on: among them a new PRACK for a reliable 18x
 * acknowledged already, which no longer matches an unacknowledged one.
 *
 * <p>The RI creates it by reflection ({@code gov.nist.javax.sip.SIP_MESSAGE_VALVE}); the user
 * agent finds it with {@link #of} once the legs exist. Called on the stack's message-processing
 * threads.
 */
public final class PrackValve implements SIPMessageValve {
    private static final Logger LOG = LoggerFactory.getLogger(PrackValve.class);

    private volatile Predicate<Request> known = r -> true;
    private volatile SIPTransactionStack stack;

    /** The valve of a stack made by {@link SipStackFactory}, or null. */
    public static PrackValve of(SipStack stack) {
        if (stack instanceof SIPTransactionStack s && s.sipMessageValves != null) {
            for (SIPMessageValve v : s.sipMessageValves) {
                if (v instanceof PrackValve p) {
                    return p;
                }
            }
        }
        return null;
    }

    /** @param lookup true for a PRACK that matches our unacknowledged reliable 18x */
    public void setKnown(Predicate<Request> lookup) {
        known = lookup;
    }

    @Override
    public boolean processRequest(SIPRequest request, MessageChannel channel) {
        if (!Request.PRACK.equals(request.getMethod()) || known.test(request)) {
            return true;
        }
        SIPTransactionStack s = stack;
        if (s != null && s.findTransaction(request, true) != null) {
            return true; // a retransmission of a PRACK already answered: its transaction repeats the 200
        }
        SIPResponse r = request.createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
        try {
            channel.sendMessage(r);
            LOG.info("481 to PRACK with RAck {} (Call-ID {}): no unacknowledged reliable provisional of ours "
                    + "matches it", SipMessages.headerValue(request, "RAck"), request.getCallId().getCallId());
        } catch (IOException e) {
            LOG.info("481 to PRACK (Call-ID {}) could not be sent: {}", request.getCallId().getCallId(), e.toString());
        }
        return false;
    }

    @Override
    public boolean processResponse(Response response, MessageChannel channel) {
        return true;
    }

    @Override
    public void init(SipStack sipStack) {
        // the look-up comes from the user agent; the stack finds a retransmission's transaction
        this.stack = sipStack instanceof SIPTransactionStack t ? t : null;
    }

    @Override
    public void destroy() {
        // nothing held
    }
}
