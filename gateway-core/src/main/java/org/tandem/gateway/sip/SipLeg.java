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
    /**
     * Our INVITE (outbound: kept to the end, for late forks' 2xx, redirects and authentication) or
     * the peer's (inbound: until its ACK, see {@link #releaseInvite}).
     */
    Request invite;
    /** Inbound: the INVITE's server transaction until the ACK ({@link #releaseInvite}). */
    ServerTransaction inviteTx;
    /** Inbound: the INVITE's transport ("udp", "tcp", "tls"), kept once the INVITE is let go. */
    String inviteTransport;
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

    /**
     * Inbound, once the ACK has confirmed the dialog: the parsed INVITE (3-4 KB of the stack's
     * header objects and strings per call) and its transaction are needed no more. Every later
     * request and response goes through the dialog; the 2xx was retransmitted by the dialog and
     * the ACK stopped that; a late CANCEL finds the leg past EARLY and only gets its 200 (the
     * stack's transaction, not this reference, absorbs a retransmitted INVITE). What the call
     * still needs of the INVITE is taken first: whether its Allow lists UPDATE (our session
     * refreshes, RFC 4028 7.4). docs/BENCHMARKS.md "Heap per call: what each call holds".
     */
    void releaseInvite(boolean inviteAllowsUpdate) {
        if (refreshWithUpdate == null) {
            refreshWithUpdate = inviteAllowsUpdate;
        }
        invite = null;
        inviteTx = null;
    }
}
