package org.tandem.gateway.sip;

import java.net.InetSocketAddress;
import org.tandem.gateway.interwork.Reason;
import org.tandem.gateway.interwork.ReceivedRedirection;
import org.tandem.gateway.interwork.SipIdentity;
import org.tandem.gateway.sdp.SessionDescription;

/**
 * What the SIP side tells call control. Delivered one at a time on call control's executor,
 * never on a stack thread. Every event names its call.
 */
public sealed interface SipEvent {
    CallHandle call();

    /**
     * A new INVITE that passed the toll-fraud check (trusted source or authenticated user). A
     * 100 Trying has been sent. Call control must answer with exactly one of
     * {@link SipSide#progress}/{@link SipSide#answer}/{@link SipSide#reject}.
     *
     * @param calledUser Request-URI user part (the dialled number)
     * @param offer the SDP offer, or null for an INVITE without SDP (answer with an offer; the
     *              peer's answer arrives in {@link Acked})
     * @param trunk name of the trunk whose trusted addresses matched, or null
     * @param authenticatedUser digest user, or null
     * @param transport "udp" or "tcp"
     * @param redirection the Diversion / History-Info headers as received (not yet judged: call
     *                    control reads them only from trusted trunks)
     */
    record IncomingCall(CallHandle call, String calledUser, SipIdentity identity, SessionDescription offer,
            InetSocketAddress source, String transport, String trunk, String authenticatedUser,
            ReceivedRedirection redirection)
            implements SipEvent {
        public IncomingCall {
            redirection = redirection == null ? ReceivedRedirection.NONE : redirection;
        }

        /** An INVITE without redirection headers. */
        public IncomingCall(CallHandle call, String calledUser, SipIdentity identity, SessionDescription offer,
                InetSocketAddress source, String transport, String trunk, String authenticatedUser) {
            this(call, calledUser, identity, offer, source, transport, trunk, authenticatedUser, null);
        }
    }

    /** The ACK for our 2xx arrived; {@code answer} is the peer's SDP answer when our 200 carried the offer. */
    record Acked(CallHandle call, SessionDescription answer) implements SipEvent {
    }

    /** The peer cancelled an unanswered INVITE: 200 to the CANCEL and 487 were sent. */
    record Cancelled(CallHandle call, Reason reason) implements SipEvent {
    }

    /** The peer sent BYE (already answered 200). reason is its Reason header, or null. */
    record RemoteHangup(CallHandle call, Reason reason) implements SipEvent {
    }

    /**
     * A re-INVITE or UPDATE with a new SDP offer (hold, resume, new address). Call control answers
     * with {@link SipSide#answerReoffer} or {@link SipSide#rejectReoffer}. Session refreshes that
     * repeat the previous SDP are answered by the SIP side and not reported.
     */
    record Reoffer(CallHandle call, SessionDescription offer) implements SipEvent {
    }

    /** 180/183 to our INVITE; sdp is early media when present. */
    record Provisional(CallHandle call, int status, SessionDescription sdp) implements SipEvent {
    }

    /** 2xx to our INVITE; ACK already sent. */
    record Answered(CallHandle call, SessionDescription answer) implements SipEvent {
    }

    /** A final failure to our INVITE (487 after our CANCEL included), with the peer's Reason if any. */
    record Rejected(CallHandle call, int status, Reason reason) implements SipEvent {
    }

    /**
     * A REFER (RFC 3515) in this call's confirmed dialog: the peer asks us to call {@code target}
     * in its place (blind transfer). Nothing has been answered yet: call control answers with
     * {@link SipSide#acceptRefer} (202 and NOTIFY 100 Trying) and later {@link SipSide#notifyRefer}
     * with the new INVITE's outcome, or with {@link SipSide#rejectRefer}.
     *
     * @param referTo the Refer-To URI as received (for logs)
     */
    record TransferRequested(CallHandle call, ReferTarget target, String referTo) implements SipEvent {
    }

    /**
     * Attended transfer: a REFER in this call's confirmed dialog whose Refer-To carries a
     * {@code Replaces} (RFC 3891) naming {@code replaced}, the confirmed dialog of another call we
     * carry (typically the same phone's second call). The peer asks us to connect the two calls'
     * other ends and leave. Answered like {@link TransferRequested}: {@link SipSide#acceptRefer},
     * then {@link SipSide#notifyRefer}, or {@link SipSide#rejectRefer}.
     */
    record AttendedTransferRequested(CallHandle call, CallHandle replaced, String referTo) implements SipEvent {
    }

    /**
     * An INVITE with Replaces (RFC 3891) naming {@code replaced}, a confirmed dialog of ours: the
     * sender asks to take that dialog's place in its call (e.g. a PBX moved the call to another
     * phone). {@code invite} is the INVITE as an ordinary {@link IncomingCall} would carry it. Call
     * control answers {@code call} with {@link SipSide#answer} or {@link SipSide#reject}.
     */
    record ReplacingCall(CallHandle call, CallHandle replaced, IncomingCall invite) implements SipEvent {
    }

    /** RFC 4028: the session was not refreshed in time; BYE has been sent. */
    record SessionExpired(CallHandle call) implements SipEvent {
    }

    /**
     * A transaction of this call got no response in time (Timer B for our INVITE, or no ACK for
     * our 2xx); the SIP side has cleaned up (BYE sent where a dialog existed).
     */
    record TransactionTimeout(CallHandle call, String method) implements SipEvent {
    }
}
