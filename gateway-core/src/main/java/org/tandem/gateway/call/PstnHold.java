package org.tandem.gateway.call;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.sdp.Direction;
import org.tandem.pri.PriCall;
import org.tandem.pri.PriCause;

/**
 * Call hold on the PRI side (ETS 300 139 HOLD / RETRIEVE) for spans with {@code hold = yes}:
 * <ul>
 *   <li>the SIP peer puts the call on hold (a re-offer with {@code sendonly} or {@code inactive},
 *   RFC 3264 8.4) -> HOLD to the exchange; resumes ({@code sendrecv}/{@code recvonly}) ->
 *   RETRIEVE of the same B-channel. The media direction is changed as without PRI hold
 *   ({@link ReofferHandler}); the B-channel stays the call's while held. A refused HOLD leaves
 *   the call as it was (logged); a refused RETRIEVE leaves it held at the exchange (logged, the
 *   next resume tries again).</li>
 *   <li>the exchange holds the call (HOLD received) -> HOLD ACKNOWLEDGE, the call is marked held
 *   by the PSTN and the SIP peer gets a re-INVITE with {@code sendonly} (it hears what the
 *   exchange plays, no music of ours); RETRIEVE received -> RETRIEVE ACKNOWLEDGE on the same
 *   B-channel and a re-INVITE with {@code sendrecv}. On a span without {@code hold} libpri
 *   refuses the exchange's HOLD itself.</li>
 * </ul>
 * Runs on the {@link CallControlAgent} thread; the state is {@code Call.pstnHold}.
 */
final class PstnHold {
    private static final Logger LOG = LoggerFactory.getLogger(PstnHold.class);

    /** The PRI side's hold state of a call. */
    enum State { NONE, HOLD_SENT, HELD, RETRIEVE_SENT, HELD_BY_PSTN }

    private final CallRegistry calls;

    PstnHold(CallRegistry calls) {
        this.calls = calls;
    }

    /** The SIP peer's re-offer was accepted; {@code ours} is our direction in the answer. */
    void onSipDirection(Call c, Direction ours) {
        if (c.pstn == null || c.pstn.released || c.state() != CallState.CONNECTED || !c.pstn.pri.span().config().hold()) {
            return;
        }
        boolean hold = !ours.sends(); // the peer offered sendonly or inactive: it holds the call
        PriCall pri = c.pstn.pri;
        if (hold && c.pstnHold == State.NONE) {
            c.pstnHold = State.HOLD_SENT;
            LOG.info("call {}: SIP hold (we {}): HOLD to the exchange on {}", c.id, ours.attribute(), c.pstn.channel);
            pri.hold();
        } else if (!hold && c.pstnHold == State.HELD) {
            c.pstnHold = State.RETRIEVE_SENT;
            LOG.info("call {}: SIP resume: RETRIEVE of {}", c.id, c.pstn.channel);
            pri.retrieve();
        }
    }

    void onHoldAcknowledged(PstnLeg leg) {
        Call c = live(leg);
        if (c != null && c.pstnHold == State.HOLD_SENT) {
            c.pstnHold = State.HELD;
            LOG.info("call {}: held at the exchange", c.id);
            catchUp(c); // the SIP peer may have resumed while HOLD was on its way
        }
    }

    void onHoldRejected(PstnLeg leg, int cause) {
        Call c = live(leg);
        if (c != null && c.pstnHold == State.HOLD_SENT) {
            c.pstnHold = State.NONE;
            LOG.info("call {}: the exchange refused HOLD (cause {}): the call goes on unheld there", c.id, cause);
        }
    }

    void onRetrieveAcknowledged(PstnLeg leg, int channel) {
        Call c = live(leg);
        if (c != null && c.pstnHold == State.RETRIEVE_SENT) {
            c.pstnHold = State.NONE;
            LOG.info("call {}: retrieved at the exchange on timeslot {}", c.id, channel);
            catchUp(c); // the SIP peer may have held again while RETRIEVE was on its way
        }
    }

    void onRetrieveRejected(PstnLeg leg, int cause) {
        Call c = live(leg);
        if (c != null && c.pstnHold == State.RETRIEVE_SENT) {
            c.pstnHold = State.HELD;
            LOG.warn("call {}: the exchange refused RETRIEVE (cause {}): the call stays held there", c.id, cause);
        }
    }

    /**
     * After an acknowledgement: a SIP hold or resume that came while the request was on its way
     * (onSipDirection ignores it then) is sent now, so the exchange ends up as the SIP side is.
     * Not after a rejection: an exchange that refuses would be asked again and again.
     */
    private void catchUp(Call c) {
        if (c.negotiated != null) {
            onSipDirection(c, c.negotiated.direction());
        }
    }

    /** The exchange holds the call. */
    void onHoldRequested(PriCall pri) {
        PstnLeg leg = calls.leg(pri);
        Call c = live(leg);
        if (c == null || c.state() != CallState.CONNECTED || c.pstnHold != State.NONE) {
            pri.holdReject(PriCause.FACILITY_REJECTED);
            return;
        }
        c.pstnHold = State.HELD_BY_PSTN;
        pri.holdAcknowledge();
        LOG.info("call {}: held by the exchange: re-INVITE sendonly to the SIP peer", c.id);
        offerToSip(c, Direction.SENDONLY);
    }

    /** The exchange takes the call back. */
    void onRetrieveRequested(PriCall pri) {
        PstnLeg leg = calls.leg(pri);
        Call c = live(leg);
        if (c == null || c.pstnHold != State.HELD_BY_PSTN) {
            pri.retrieveReject(PriCause.FACILITY_REJECTED);
            return;
        }
        c.pstnHold = State.NONE;
        pri.retrieveAcknowledge();
        LOG.info("call {}: retrieved by the exchange: re-INVITE sendrecv to the SIP peer", c.id);
        offerToSip(c, Direction.SENDRECV);
    }

    /**
     * Tells the SIP peer of the PSTN side's hold (RFC 3264 8.4: sendonly) or retrieval (sendrecv)
     * with a re-INVITE offering the running codec from the same RTP port. Our media keeps sending
     * what the exchange plays (no music of ours).
     */
    private void offerToSip(Call c, Direction direction) {
        if (c.sip == null || c.sipDone || c.policy == null || c.negotiated == null || c.origin == null) {
            return;
        }
        // the same dialog: the same SRTP keys (RFC 4568 7.1.4), which the media keeps using
        org.tandem.gateway.sdp.MediaPolicy running = CallMedia.runningPolicy(c.policy, c.negotiated.codec(),
                c.policy.srtp());
        c.origin = c.origin.next();
        calls.sip().reoffer(c.sip, org.tandem.gateway.sdp.OfferAnswer.offer(running, c.origin, direction));
    }

    private static Call live(PstnLeg leg) {
        return leg == null || leg.released || !leg.call.isLive() || leg != leg.call.pstn ? null : leg.call;
    }
}
