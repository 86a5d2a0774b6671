package org.tandem.gateway.call;

import org.tandem.pri.PriCall;

/**
 * One PRI call of a gateway call, on one B-channel. A call may have several over its life (a
 * failover or a glare re-hunt places a new SETUP on another channel); each holds its channel until
 * libpri reports it released. Owned by the call-control thread.
 */
final class PstnLeg {
    final Call call;
    final ChannelTable.Channel channel;
    final PriCall pri;
    boolean hangupSent;
    /** Lost its channel to the network's SETUP (glare): re-hunt whatever the release cause. */
    boolean displaced;
    boolean released;
    int releaseCause;

    PstnLeg(Call call, ChannelTable.Channel channel, PriCall pri) {
        this.call = call;
        this.channel = channel;
        this.pri = pri;
    }

    /** Sends DISCONNECT/RELEASE once (also as the answer to a far-end DISCONNECT). */
    void hangup(int cause) {
        if (!hangupSent && !released) {
            hangupSent = true;
            pri.hangup(cause);
        }
    }

    @Override
    public String toString() {
        return "pri " + channel + (released ? " (released)" : "");
    }
}
