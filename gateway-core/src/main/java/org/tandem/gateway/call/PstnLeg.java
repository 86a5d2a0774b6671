package org.tandem.gateway.call;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.interwork.Q850Cause;
import org.tandem.pri.PriCall;

/**
 * One PRI call of a gateway call, on one B-channel. A call may have several over its life (a
 * failover or a glare re-hunt places a new SETUP on another channel); each holds its channel until
 * libpri reports it released. Owned by the call-control thread.
 */
final class PstnLeg {
    private static final Logger LOG = LoggerFactory.getLogger(PstnLeg.class);

    final Call call;
    final ChannelTable.Channel channel;
    final PriCall pri;
    boolean hangupSent;
    /** Incoming: we answered the SETUP with something (SETUP ACK, PROCEEDING, ALERTING, PROGRESS). */
    boolean responded;
    /** CONNECT sent (incoming) or received (outgoing). */
    boolean connected;
    /** Lost its channel to the network's SETUP (glare): re-hunt whatever the release cause. */
    boolean displaced;
    boolean released;
    int releaseCause;

    PstnLeg(Call call, ChannelTable.Channel channel, PriCall pri) {
        this.call = call;
        this.channel = channel;
        this.pri = pri;
    }

    /**
     * Sends DISCONNECT/RELEASE once (also as the answer to a far-end DISCONNECT).
     *
     * <p>libpri 1.6 clears a call that is not yet active with RELEASE COMPLETE, and forgets it
     * without any event, when the cause is 1, 34, 44, 81 or 82 (q931.c {@code __q931_hangup}).
     * {@code PriSpan} accounts for that only on a fresh incoming call; on any other unanswered call
     * the release would never be reported and the channel would stay held in libpri's and the
     * span's tables. Until PriSpan handles it, such a call is cleared with the unspecified cause
     * of the same Q.850 class (31, 47, 95), which libpri sends as DISCONNECT; the CDR and the SIP
     * side keep the real cause.
     */
    void hangup(int cause) {
        if (hangupSent || released) {
            return;
        }
        hangupSent = true;
        int wire = cause;
        boolean freshIncoming = pri.direction() == PriCall.Direction.INCOMING && !responded;
        if (!connected && !freshIncoming && releasesWithoutEvent(cause)) {
            wire = Q850Cause.unspecifiedOfClass(cause);
            LOG.debug("call {}: clearing {} with cause {} instead of {} (libpri would forget the call)", call.id,
                    channel, wire, cause);
        }
        pri.hangup(wire);
    }

    private static boolean releasesWithoutEvent(int cause) {
        return cause == 1 || cause == 34 || cause == 44 || cause == 81 || cause == 82;
    }

    void proceeding() {
        responded = true;
        pri.proceeding(false);
    }

    void needMoreDigits() {
        responded = true;
        pri.needMoreDigits();
    }

    void alerting(boolean inband) {
        responded = true;
        pri.alerting(inband);
    }

    void progress(boolean inband) {
        responded = true;
        pri.progress(inband);
    }

    void answer() {
        responded = true;
        connected = true;
        pri.answer();
    }

    @Override
    public String toString() {
        return "pri " + channel + (released ? " (released)" : "");
    }
}
