package org.tandem.gateway.call;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.ops.ActiveCall;
import org.tandem.gateway.ops.CallDirection;
import org.tandem.gateway.ops.GatewayModel;

/**
 * Keeps the ops model (SNMP, console) in step with call control: call attempts, a call on a
 * B-channel, its updates (answer, live RTP figures), the channel freed, operator blocks, and the
 * D-channel and alarm state of spans. Runs on the {@link CallControlAgent} thread; a span or
 * channel the model does not know (not listed at start) is only logged at debug.
 */
final class OpsModelReporter {
    private static final Logger LOG = LoggerFactory.getLogger(OpsModelReporter.class);

    private final GatewayModel model;

    OpsModelReporter(GatewayModel model) {
        this.model = model;
    }

    void attempt(Call c) {
        model.counters().attempt(c.direction);
    }

    /** The call took its B-channel ({@code c.pstn}). */
    void started(Call c) {
        try {
            model.callStarted(c.pstn.channel.span(), c.pstn.channel.chanpos(), active(c));
        } catch (IllegalArgumentException e) {
            LOG.debug("channel {} not in the ops model", c.pstn.channel);
        }
    }

    void updated(Call c) {
        if (c.pstn == null) {
            return;
        }
        try {
            model.callUpdated(c.pstn.channel.span(), c.pstn.channel.chanpos(), active(c));
        } catch (IllegalArgumentException e) {
            LOG.debug("channel {} not in the ops model", c.pstn.channel);
        }
    }

    /** The leg left its channel; the model shows the channel idle unless another call took it. */
    void ended(PstnLeg leg) {
        try {
            if (leg.channel.occupant() == null) {
                model.callEnded(leg.channel.span(), leg.channel.chanpos());
            }
        } catch (IllegalArgumentException e) {
            LOG.debug("channel {} not in the ops model", leg.channel);
        }
    }

    void channelBlocked(ChannelTable.Channel ch, boolean blocked) {
        try {
            model.setChannelBlocked(ch.span(), ch.chanpos(), blocked);
        } catch (IllegalArgumentException e) {
            LOG.debug("channel {} not in the ops model", ch);
        }
    }

    /** The gateway took the channel out of service ({@code fault}: why) or put it back (null). */
    void channelFault(ChannelTable.Channel ch, String fault) {
        try {
            model.setChannelFault(ch.span(), ch.chanpos(), fault);
        } catch (IllegalArgumentException e) {
            LOG.debug("channel {} not in the ops model", ch);
        }
    }

    void dChannel(int span, boolean up) {
        try {
            model.setDChannelUp(span, up);
        } catch (IllegalArgumentException e) {
            LOG.debug("span {} not in the ops model", span);
        }
    }

    void spanAlarms(int span, int alarms) {
        try {
            model.setSpanAlarms(span, alarms);
        } catch (IllegalArgumentException e) {
            LOG.debug("span {} not in the ops model", span);
        }
    }

    private static ActiveCall active(Call c) {
        ActiveCall a = ActiveCall.started(c.id, c.direction, c.callingOut.isEmpty() ? c.callingIn : c.callingOut,
                c.calledOut.isEmpty() ? c.calledIn : c.calledOut, c.sip == null ? "" : c.sip.callId(), c.startMillis);
        // presence: the SIP side's party is the [user NAME] of the call when there is one (the phone
        // that authenticated, the user the call was routed to), else the number as the SIP leg names
        // it; the PSTN side's is the number as the Q.931 SETUP does
        String out = c.calledOut.isEmpty() ? c.calledIn : c.calledOut;
        boolean sipPlaced = c.direction == CallDirection.SIP_TO_PSTN;
        String sipParty = !c.user.isEmpty() ? c.user : sipPlaced ? c.callingIn : out;
        a = a.withParties(sipParty, sipPlaced ? out : c.callingIn);
        if (c.liveStats != null) {
            a = a.withRtp(Math.max(0, c.liveStats.packetsLost()), Math.round(c.liveStats.jitterMs() * 1000));
        }
        return c.answerMillis != 0 ? a.withAnswer(c.answerMillis) : a;
    }
}
