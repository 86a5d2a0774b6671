package org.tandem.gateway.call;

import org.tandem.pri.PriCall;

/**
 * One PRI call of a gateway call, on one B-channel. A call may have several over its life (a
 * failover or a glare re-hunt places a new SETUP on another channel); each holds its channel until
 * libpri reports it released. Owned by the call-control thread.
 */
final class PstnLeg {
    /** Q.850 44, requested circuit/channel not available: what glare and a refused channel cost. */
    static final int CAUSE_CHANNEL_UNAVAILABLE = 44;
    /** Q.850 82, identified channel does not exist. */
    static final int CAUSE_CHANNEL_NOT_EXIST = 82;

    final Call call;
    final ChannelTable.Channel channel;
    final PriCall pri;
    boolean hangupSent;
    /** CONNECT sent (incoming) or received (outgoing). */
    boolean connected;
    /** Lost its channel to the network's SETUP (glare): re-hunt whatever the release cause. */
    boolean displaced;
    boolean released;
    int releaseCause;

    /** Overlap sending: digits of the called number not yet sent (after the SETUP's), or null. */
    String overlapDigits;

    PstnLeg(Call call, ChannelTable.Channel channel, PriCall pri) {
        this.call = call;
        this.channel = channel;
        this.pri = pri;
    }

    /**
     * Sends DISCONNECT/RELEASE once (also as the answer to a far-end DISCONNECT), with the call's
     * own cause. libpri 1.6 clears an unanswered call with RELEASE COMPLETE for causes 1, 34, 44,
     * 81 and 82 and forgets it without an event; {@code PriSpan} detects that and reports the
     * call released at once, so the channel comes back either way.
     */
    void hangup(int cause) {
        if (hangupSent || released) {
            return;
        }
        hangupSent = true;
        pri.hangup(cause);
    }

    void proceeding() {
        pri.proceeding(false);
    }

    void needMoreDigits() {
        pri.needMoreDigits();
    }

    void alerting(boolean inband) {
        pri.alerting(inband);
    }

    void progress(boolean inband) {
        pri.progress(inband);
    }

    void answer() {
        connected = true;
        pri.answer();
    }

    @Override
    public String toString() {
        return "pri " + channel + (released ? " (released)" : "");
    }
}
