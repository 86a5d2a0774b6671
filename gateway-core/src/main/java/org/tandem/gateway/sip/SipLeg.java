package org.tandem.gateway.sip;

import java.util.concurrent.ScheduledFuture;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import org.tandem.gateway.interwork.Reason;
import org.tandem.gateway.sdp.SessionDescription;

/**
 * One INVITE dialog: the call leg's SIP state, inbound or outbound, from the INVITE to its end.
 * A plain holder; the behaviours (InviteServer, InviteClient, InDialogRequests, SessionTimers)
 * change it and {@link LegRegistry} finds and ends it.
 *
 * <p>Threading: guarded by its own monitor. Every read or write holds it: the stack's worker
 * threads, call control's commands (through {@link LegRegistry#command}) and the session-timer
 * thread. Only {@link #handle} is immutable.
 */
final class SipLeg {
    enum State { EARLY, ANSWERED, CONFIRMED, ENDED }

    final CallHandle handle;
    Request invite;
    ServerTransaction inviteTx;
    ClientTransaction clientTx;
    Dialog dialog;
    String localTag;
    State state = State.EARLY;
    boolean offerInAnswer;           // inbound INVITE without SDP: our 200 offers, ACK answers
    SessionDescription localSdp;
    long remoteSdpVersion = -1;
    ServerTransaction reofferTx;
    Request reofferRequest;
    ScheduledFuture<?> sessionTimer;
    SessionTimerHeaders session;     // negotiated interval and refresher, or null
    boolean weRefresh;
    /** The peer accepts UPDATE (its INVITE's or 2xx's Allow): we refresh with UPDATE (RFC 4028 7.4); null: not yet known. */
    Boolean refreshWithUpdate;
    /** Our own re-INVITE with a new SDP (hold towards SIP) awaits its answer: a refusal keeps the call. */
    boolean ownReofferPending;
    boolean peerSupportsTimer;
    boolean provisionalReceived;
    boolean cancelPending;
    boolean hungUp;                  // call control hung up: no more events
    Reason cancelReason;
    int authAttempts;
    OutboundInvite spec;
    ForkedDialogs forks = new ForkedDialogs(); // outbound: the dialogs of our current INVITE
    RedirectPlan redirect;           // outbound, from the first 3xx: redirects followed and pending
    ReliableProvisionals reliable;   // inbound, our 18x go reliably (RFC 3262); null: they do not
    boolean prackOff;                // inbound from a trunk with prack = off: no Supported: 100rel
    ReliableResponses reliableIn = new ReliableResponses(); // outbound: the peer's reliable 18x, per dialog
    boolean earlyAnswerReceived;     // outbound: a reliable 18x answered our offer (UPDATE allowed, RFC 3311)
    ServerTransaction referTx;       // a REFER waiting for call control's accept/reject (RFC 3515)
    Request referRequest;
    long referCseq;                  // CSeq of the accepted REFER: the Event id of its NOTIFYs (RFC 3515 2.4.6)
    boolean referActive;             // its implicit subscription is active: one final NOTIFY to come

    SipLeg(CallHandle handle) {
        this.handle = handle;
    }
}
