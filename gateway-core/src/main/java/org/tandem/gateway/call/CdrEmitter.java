package org.tandem.gateway.call;

import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.cdr.CallRecord;
import org.tandem.gateway.cdr.Disposition;
import org.tandem.gateway.media.MediaStats;
import org.tandem.gateway.ops.CallDirection;
import org.tandem.gateway.ops.GatewayModel;

/**
 * Emits the one CDR of a call when it ends: builds the {@link CallRecord} (times clamped to the
 * call's life, the last B-channel used, the RTP figures at detach), decides its
 * {@link Disposition}, counts the call and its RTP in the ops counters and logs the call's one
 * INFO line, at its end ({@link #endedLine}). Runs on the {@link CallControlAgent} thread, from {@code CallRelease.finish}; a
 * failing CDR sink is logged and never stops the release.
 */
final class CdrEmitter {
    private static final Logger LOG = LoggerFactory.getLogger(CdrEmitter.class);

    private final Consumer<CallRecord> cdr;
    private final GatewayModel model;
    private final LongSupplier clockMillis;

    CdrEmitter(Consumer<CallRecord> cdr, GatewayModel model, LongSupplier clockMillis) {
        this.cdr = cdr;
        this.model = model;
        this.clockMillis = clockMillis;
    }

    void emit(Call c) {
        long end = clockMillis.getAsLong();
        MediaStats st = c.stats;
        PstnLeg last = c.pstn != null ? c.pstn : c.oldLegs.isEmpty() ? null : c.oldLegs.get(c.oldLegs.size() - 1);
        Disposition disposition = c.redirected ? Disposition.REDIRECTED
                : c.answerMillis != 0 ? Disposition.ANSWERED
                : c.cancelledByCaller ? Disposition.CANCELLED
                : c.rejectStatus == 403 ? Disposition.REJECTED
                : Disposition.fromUnansweredCause(c.cause);
        long start = Math.min(c.startMillis, end);
        CallRecord r = new CallRecord(c.id, c.direction, start, c.answerMillis == 0 ? 0 : Math.max(start,
                Math.min(c.answerMillis, end)), end, c.callingIn, c.calledIn, c.callingOut, c.calledOut,
                last == null ? 0 : last.channel.span(), last == null ? 0 : last.channel.chanpos(),
                c.sip == null ? "" : c.sip.callId(), c.sipPeer, c.cause, c.sipStatus, disposition, c.releasedBy,
                st == null ? 0 : st.packetsSent(), st == null ? 0 : st.packetsReceived(),
                st == null ? 0 : st.packetsLost(), st == null ? 0 : Math.round(st.jitterMs() * 1000), c.user);
        try {
            cdr.accept(r);
        } catch (RuntimeException e) {
            LOG.error("call {}: CDR sink failed", c.id, e);
        }
        model.counters().completed(c.direction, c.answerMillis != 0, c.cause);
        model.outcomes().completed(c.trunk, r.span(), c.answerMillis != 0, c.cause, c.sipStatus);
        if (st != null) {
            model.counters().rtp(st.packetsSent(), st.packetsReceived(), st.packetsLost());
            model.outcomes().rtp(st.packetsReceived(), st.packetsLost(), st.jitterMs() / 1000.0);
        }
        if (LOG.isInfoEnabled()) {
            LOG.info(endedLine(c, last, disposition, end));
        }
    }

    /**
     * The one INFO line of a call, at its end: who called whom on which channel and SIP dialog
     * (what the setup line said, which is DEBUG now), then how it ended. Built with one
     * StringBuilder rather than a 12-argument format (docs/BENCHMARKS.md "Per-call cuts").
     * {@code call c1: 5551234 -> 1000 on 1/1 (8a2f@10.0.0.1 from trunk 10.0.0.1:5060) ended
     * ANSWERED cause 16 by sip, sip 200 (62001 ms, answered)}.
     */
    static String endedLine(Call c, PstnLeg last, Disposition disposition, long end) {
        StringBuilder b = new StringBuilder(160).append("call ").append(c.id).append(": ")
                .append(c.callingIn).append(" -> ").append(c.calledOut.isEmpty() ? c.calledIn : c.calledOut);
        if (last != null) {
            b.append(" on ").append(last.channel);
        }
        if (c.sip != null || !c.sipPeer.isEmpty()) {
            b.append(" (");
            if (c.sip != null) {
                b.append(c.sip.callId()).append(' ');
            }
            b.append(c.direction == CallDirection.SIP_TO_PSTN ? "from " : "to ")
                    .append(c.sipPeer.isEmpty() ? "-" : c.sipPeer).append(')');
        }
        b.append(" ended ").append(disposition).append(" cause ").append(c.cause).append(" by ")
                .append(c.releasedBy.isEmpty() ? "-" : c.releasedBy).append(", sip ").append(c.sipStatus)
                .append(" (").append(end - c.startMillis).append(" ms");
        if (c.answerMillis != 0) {
            b.append(", answered");
        }
        return b.append(')').toString();
    }
}
