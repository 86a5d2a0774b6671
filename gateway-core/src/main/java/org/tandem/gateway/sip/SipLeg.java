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
    /** Inbound: the INVITE's From tag and CSeq, kept to know its retransmissions once it is let go. */
    String inviteFromTag;
    long inviteCseq;
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
        if (invite != null) {
            trimForTransaction(invite);
        }
        invite = null;
        inviteTx = null;
    }

    /**
     * The INVITE as the stack's INVITE server transaction keeps it once the dialog is confirmed: it
     * lingers some seconds after the 2xx (8 s in the RI 1.3.0-91). It matches no request any more
     * (a retransmitted INVITE after the ACK reaches us, and {@code InviteServer.callIdInUse}
     * absorbs it), but the RI still holds the request and may read it (under the Normal release
     * strategy it encodes it when the transaction ends). What its matching code reads stays, should
     * it ever be asked: the Request-URI, the top Via (branch and sent-by), From and To tags, Call-ID
     * and CSeq (RFC 3261 17.2.3 and RFC 2543's rule: {@code SIPServerTransactionImpl
     * .isMessagePartOfTransaction}), Record-Route (the dialog may read the route set from it) and
     * Content-Length. The rest (Contact, the body, Allow, Supported, identity and session headers,
     * whatever a trunk adds) only kept the INVITE's parsed objects alive for those seconds: 1.4 KB
     * per call with sipp's INVITE (measured), more with a carrier's. docs/BENCHMARKS.md "Quiet
     * machine, 2026-12-04".
     */
    static void trimForTransaction(Request invite) {
        java.util.List<String> drop = new java.util.ArrayList<>();
        for (java.util.Iterator<String> it = invite.getHeaderNames(); it.hasNext();) {
            String name = it.next();
            if (!KEPT_FOR_MATCHING.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                drop.add(name);
            }
        }
        for (String name : drop) {
            invite.removeHeader(name);
        }
        invite.removeContent();
    }

    private static final java.util.Set<String> KEPT_FOR_MATCHING = java.util.Set.of("via", "from", "to",
            "call-id", "cseq", "record-route", "content-length");
}
