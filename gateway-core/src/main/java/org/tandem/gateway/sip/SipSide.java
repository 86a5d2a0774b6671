package org.tandem.gateway.sip;

import org.tandem.gateway.interwork.Reason;
import org.tandem.gateway.sdp.SessionDescription;

/**
 * Commands call control gives the SIP side. Thread-safe: call them from the call-control thread.
 * They never block on the network; failures to send are logged and reported as events where the
 * call is affected. Commands for a call that has already ended are ignored (logged at DEBUG).
 */
public interface SipSide {
    /**
     * Sends 180 Ringing (sdp null) or 183 Session Progress with early-media SDP to an inbound call.
     * The SDP is the answer to the INVITE's offer; the same answer goes into the 200 later.
     */
    void progress(CallHandle call, int status, SessionDescription sdp);

    /**
     * Answers an inbound call with 200 OK. sdp is the answer to the INVITE's offer, or our offer if
     * the INVITE had none (the peer's answer then comes in {@link SipEvent.Acked}).
     */
    void answer(CallHandle call, SessionDescription sdp);

    /** Refuses an inbound call with a 3xx..6xx status and an optional Reason (RFC 3326). */
    void reject(CallHandle call, int status, Reason reason);

    /**
     * Redirect-server mode: answers an inbound call with 302 Moved Temporarily listing these
     * Contacts (each with its q-value), so the caller calls them itself (RFC 3261 8.3, 21.3.3).
     * The call ends there, like after {@link #reject}.
     */
    void redirect(CallHandle call, java.util.List<RedirectContact> contacts);

    /**
     * Ends a call: BYE for an established dialog, CANCEL for our unanswered INVITE (sent as soon as
     * a provisional response arrives, RFC 3261 9.1), or 480 / status given by the reason's cause
     * for an unanswered inbound call. Reason is added as the Reason header when not null.
     */
    void hangup(CallHandle call, Reason reason);

    /** Places an outbound INVITE; the handle comes back at once, the outcome as events. */
    CallHandle invite(OutboundInvite invite);

    /** Answers a {@link SipEvent.Reoffer} with 200 and our SDP answer. */
    void answerReoffer(CallHandle call, SessionDescription answer);

    /**
     * Sends a re-INVITE with a new SDP offer of ours in the confirmed dialog (e.g. sendonly while
     * the PSTN side holds the call, sendrecv when it takes it back). Its answer changes nothing in
     * call control (our media keeps its peer); a refusal leaves the call as it was.
     */
    default void reoffer(CallHandle call, SessionDescription offer) {
    }

    /** Refuses a {@link SipEvent.Reoffer} (488 when nothing usable): the call stays as it was. */
    void rejectReoffer(CallHandle call, int status);

    /**
     * Accepts a {@link SipEvent.TransferRequested}: 202 Accepted to the REFER, then the first
     * NOTIFY of the implicit subscription (RFC 3515 2.4.4), sipfrag {@code SIP/2.0 100 Trying}.
     */
    void acceptRefer(CallHandle call);

    /** Refuses a {@link SipEvent.TransferRequested} (403 for a target we do not call): the call goes on. */
    void rejectRefer(CallHandle call, int status);

    /**
     * The last NOTIFY of an accepted REFER: sipfrag {@code SIP/2.0 <status> <standard phrase>} (the
     * new INVITE's final response, or 408 / 487 / 488 for what we made of its failure),
     * subscription terminated. Does not end the dialog.
     */
    void notifyRefer(CallHandle call, int status);
}
