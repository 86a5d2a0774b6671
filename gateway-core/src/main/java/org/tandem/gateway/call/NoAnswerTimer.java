package org.tandem.gateway.call;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.interwork.Q850Cause;

/**
 * The ringing limit of a call, the same in both directions: armed at the first alerting
 * (PRI ALERTING or in-band PROGRESS on a SIP -> PSTN call, SIP 180 or 183 with early media on a
 * PSTN -> SIP call), cancelled at answer or release. Runs on the {@link CallControlAgent}
 * thread; the timer is the call's ({@link Call#noAnswerTimer}).
 */
final class NoAnswerTimer {
    private static final Logger LOG = LoggerFactory.getLogger(NoAnswerTimer.class);

    private final CallControlAgent agent;
    private final long noAnswerMs;
    private final CallRelease release;

    /** @param noAnswerMs {@link CallControl.Settings#noAnswerMs()}; 0 disables the limit */
    NoAnswerTimer(CallControlAgent agent, long noAnswerMs, CallRelease release) {
        this.agent = agent;
        this.noAnswerMs = noAnswerMs;
        this.release = release;
    }

    /**
     * Starts the ringing limit once the called user is being alerted (either direction). On expiry
     * the call is released with cause 19 (Q.850 "no answer from user (user alerted)"): RFC 3398
     * maps it to 480 for an inbound INVITE; an outbound INVITE is CANCELled with that Reason, and
     * the PRI leg gets DISCONNECT 19.
     */
    void arm(Call c) {
        if (noAnswerMs <= 0 || c.noAnswerTimer != null) {
            return;
        }
        c.noAnswerTimer = agent.schedule(noAnswerMs, () -> {
            c.noAnswerTimer = null;
            if (c.isLive() && !c.sipAnswered && c.state() != CallState.CONNECTED) {
                LOG.info("call {}: no answer within {} ms of alerting, releasing with cause 19", c.id,
                        noAnswerMs);
                release.startRelease(c, Q850Cause.NO_ANSWER, "gateway");
            }
        });
    }

    static void cancel(Call c) {
        if (c.noAnswerTimer != null) {
            c.noAnswerTimer.cancel();
            c.noAnswerTimer = null;
        }
    }
}
