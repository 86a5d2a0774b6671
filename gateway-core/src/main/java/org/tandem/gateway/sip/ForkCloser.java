package org.tandem.gateway.sip;

import java.text.ParseException;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.header.CSeqHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.interwork.Reason;
import org.tandem.gateway.sip.stack.SipResponder;

/**
 * Ends a dialog that a fork's 2xx created but that is not the call (RFC 3261 13.2.2.4: "the UAC
 * core MUST generate an ACK ... and then a BYE"). The stack keeps one dialog per client
 * transaction (the call's), so the ACK and the BYE of the other fork are built from the 2xx
 * itself ({@link ForkRequests}). The ACK goes statelessly (it is its own transaction,
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
    private final HeaderFactory headers;
    private final ForkRequests requests;

    ForkCloser(SipProvider provider, ForkRequests requests, SipResponder responder) {
        this.provider = provider;
        this.headers = responder.headers();
        this.requests = requests;
    }

    /** ACK the other fork's 2xx and, unless {@code ackOnly} (a retransmission), send it BYE. */
    void ackAndBye(SipLeg leg, Response answer, boolean ackOnly) {
        try {
            long seq = ((CSeqHeader) answer.getHeader(CSeqHeader.NAME)).getSeqNumber();
            provider.sendRequest(requests.build(leg, answer, Request.ACK, seq));
            if (ackOnly) {
                return;
            }
            Request bye = requests.build(leg, answer, Request.BYE, seq + 1);
            bye.addHeader(headers.createHeader(Reason.HEADER, COMPLETED_ELSEWHERE.toHeaderValue()));
            provider.getNewClientTransaction(bye).sendRequest();
            LOG.info("{}: a second fork answered (To tag {}): ACK and BYE sent, the call stays with the first",
                    leg.handle, ((ToHeader) answer.getHeader(ToHeader.NAME)).getTag());
        } catch (SipException | ParseException | InvalidArgumentException | RuntimeException e) {
            LOG.warn("{}: could not end the dialog of a second fork's 2xx: {}", leg.handle, e.toString());
        }
    }
}
