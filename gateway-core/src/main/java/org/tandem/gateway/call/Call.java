package org.tandem.gateway.call;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.interwork.CallingIdentity;
import org.tandem.gateway.interwork.CauseMap;
import org.tandem.gateway.interwork.Redirection;
import org.tandem.gateway.media.MediaHandle;
import org.tandem.gateway.media.MediaStats;
import org.tandem.gateway.ops.CallDirection;
import org.tandem.gateway.route.RouteDecision;
import org.tandem.gateway.rtp.RtpPorts;
import org.tandem.gateway.sdp.MediaPolicy;
import org.tandem.gateway.sdp.NegotiatedMedia;
import org.tandem.gateway.sdp.SdpOrigin;
import org.tandem.gateway.sdp.SessionDescription;
import org.tandem.gateway.sip.CallHandle;

/**
 * One gateway call: its SIP leg, its PSTN leg(s), its media and what the CDR will say. Lives on
 * the call-control thread only; its state changes only through {@link #transition}, which checks
 * {@link CallState}'s table.
 */
final class Call {
    private static final Logger LOG = LoggerFactory.getLogger(Call.class);

    final String id;
    final CallDirection direction;
    final long startMillis;
    private CallState state = CallState.OFFERED;

    // numbers: as received and as sent on
    String calledIn = "";
    String callingIn = "";
    String calledOut = "";
    String callingOut = "";

    // routing
    RouteDecision route;
    int targetIndex;
    String group;
    CauseMap causes = CauseMap.rfc3398();
    /** The trunk of the SIP leg (the source trunk, or the target trunk), or null. */
    String trunk;
    /** Calling party as received (SIP identity mapped to Q.931, or the SETUP's calling number). */
    CallingIdentity pstnCalling;
    /** A diverted call's redirecting party (from a trusted trunk's INVITE or the SETUP), or null. */
    Redirection redirection;
    /** SIP status to refuse an inbound INVITE with when it is not the cause's mapping (403, 488, 503). */
    int rejectStatus;

    // SIP leg
    CallHandle sip;
    /** The branches of a call to a registered user while they ring (null otherwise, and once one answered). */
    UserFork.Ringing fork;
    /** A blind transfer (REFER) of the SIP leg in progress, or null. */
    CallTransfer.Pending transfer;
    /** Attended transfer: this call and another being joined (ECT or TDM bridge), or null. */
    AttendedTransfer.Join join;
    /** Hold on the PRI side ({@code [span N] hold}). */
    PstnHold.State pstnHold = PstnHold.State.NONE;
    /**
     * The [user NAME] of the call (CDR): the one it was delivered to (PSTN->SIP, an INVITE went to
     * its contacts) or the phone that placed it (SIP->PSTN, authenticated), or "".
     */
    String user = "";
    String sipPeer = "";
    boolean sipDone;
    int sipStatus;
    /** The SIP leg got a 200 (inbound: we sent it; outbound: we received it). */
    boolean sipAnswered;
    /** Inbound INVITE without SDP: our offer goes in the 200, the answer comes in the ACK. */
    boolean offerless;
    SessionDescription localSdp;
    SdpOrigin origin;
    MediaPolicy policy;
    NegotiatedMedia negotiated;
    boolean earlyMediaSent;
    boolean ringingSent;

    // PSTN leg(s)
    PstnLeg pstn;
    final List<PstnLeg> oldLegs = new ArrayList<>(1);
    int glareRetries;
    StringBuilder overlapDigits;
    CallControlAgent.Timer digitTimer;
    /** Ringing limit, armed at the first alerting (cause 19 on expiry). */
    CallControlAgent.Timer noAnswerTimer;
    /** The media engine reported no RTP from the peer before the call was answered. */
    boolean rtpSilentBeforeAnswer;

    // media
    RtpPorts ports;
    MediaHandle media;
    boolean mediaDone = true;
    /** A failure of the call's B-channel on our side ended it (counted by ChannelFaults). */
    boolean channelFault;
    MediaStats stats;
    /** Latest figures while the call runs (ops model). */
    MediaStats liveStats;

    // outcome
    long answerMillis;
    int cause;
    String releasedBy = "";
    boolean cancelledByCaller;
    boolean redirected;              // answered 302 by redirect-server mode (CDR REDIRECTED)
    CallControlAgent.Timer guardTimer;

    Call(String id, CallDirection direction, long startMillis) {
        this.id = id;
        this.direction = direction;
        this.startMillis = startMillis;
    }

    CallState state() {
        return state;
    }

    /**
     * Moves to {@code next} if the table allows it. An impossible transition is a bug: it is logged
     * with both states and refused.
     */
    boolean transition(CallState next) {
        if (state == next) {
            return true;
        }
        if (!state.canMoveTo(next)) {
            LOG.error("call {}: refused transition {} -> {} (not in CallState's table)", id, state, next);
            return false;
        }
        LOG.debug("call {}: {} -> {}", id, state, next);
        state = next;
        return true;
    }

    boolean isLive() {
        return state.isLive();
    }

    /** True when nothing of the call is left: SIP leg ended, every PRI leg released, media detached. */
    boolean fullyReleased() {
        if (!sipDone || !mediaDone) {
            return false;
        }
        if (pstn != null && !pstn.released) {
            return false;
        }
        for (PstnLeg l : oldLegs) {
            if (!l.released) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return id + "[" + direction.label() + " " + callingIn + "->" + calledIn + " " + state + "]";
    }
}
