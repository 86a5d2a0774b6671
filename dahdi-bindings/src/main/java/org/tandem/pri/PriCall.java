package org.tandem.pri;

import com.sun.jna.Pointer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One Q.931 call on a span. A handle any thread may hold: its command methods queue work for the
 * PRI engine thread and return at once. libpri's {@code q931_call*} stays inside (handles are
 * reused by libpri after release; this object is not): once {@link PriEvent.CallReleased} has been
 * delivered, commands on it are ignored.
 */
public final class PriCall {
    /** Who sent the SETUP. */
    public enum Direction { INCOMING, OUTGOING }

    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final PriSpan span;
    private final Direction direction;

    // Engine-thread state.
    Pointer handle;
    volatile int channel;
    /**
     * Incoming: we sent PROCEEDING, ALERTING, PROGRESS, CONNECT or SETUP ACK. Outgoing: the far end
     * sent one of those (it has accepted the SETUP on the channel).
     */
    boolean responded;
    /** CONNECT sent or received. */
    boolean answered;
    boolean hangupSent;
    int hangupCause;
    /** The far end started the clearing (DISCONNECT received): its cause is {@link #remoteCause}. */
    boolean disconnectReceived;
    int remoteCause;
    private volatile boolean released;

    PriCall(PriSpan span, Direction direction, int channel) {
        this.span = span;
        this.direction = direction;
        this.channel = channel;
    }

    public long id() {
        return id;
    }

    public PriSpan span() {
        return span;
    }

    public Direction direction() {
        return direction;
    }

    /** The B-channel timeslot, {@link ChannelId#ANY} until one is known. */
    public int channel() {
        return channel;
    }

    /** True once the release has been reported. */
    public boolean isReleased() {
        return released;
    }

    void markReleased() {
        released = true;
    }

    /** CALL PROCEEDING; {@code inband} adds progress indicator #8 (in-band information available). */
    public void proceeding(boolean inband) {
        span.command(this, PriSpan.Cmd.PROCEEDING, inband ? 1 : 0, null);
    }

    /** ALERTING; {@code inband} when we play ringback on the B-channel. */
    public void alerting(boolean inband) {
        span.command(this, PriSpan.Cmd.ALERTING, inband ? 1 : 0, null);
    }

    /** PROGRESS; {@code inband} when tones or announcements are on the B-channel. */
    public void progress(boolean inband) {
        span.command(this, PriSpan.Cmd.PROGRESS, inband ? 1 : 0, null);
    }

    /** CONNECT. */
    public void answer() {
        span.command(this, PriSpan.Cmd.ANSWER, 0, null);
    }

    /** SETUP ACKNOWLEDGE: ask for more digits (overlap receiving). */
    public void needMoreDigits() {
        span.command(this, PriSpan.Cmd.NEED_MORE_INFO, 0, null);
    }

    /** INFORMATION with these digits (overlap sending), one message per digit. */
    public void sendDigits(String digits) {
        span.command(this, PriSpan.Cmd.INFORMATION, 0, digits);
    }

    /**
     * Clears the call with a Q.850 cause. Correct in any state: an unanswered incoming call gets
     * CALL PROCEEDING first when the cause would otherwise send nothing; a far-end DISCONNECT is
     * answered with RELEASE.
     */
    public void hangup(int cause) {
        span.command(this, PriSpan.Cmd.HANGUP, cause, null);
    }

    /**
     * Forgets the call without sending anything ({@code pri_destroycall}), as a switch that never
     * received the SETUP would: the caller's T303 expires. For test doubles of a far end (the
     * simulated exchange's no-response line); a gateway clears calls with {@link #hangup}.
     * Reported as {@link PriEvent.CallReleased} with reason LOCAL.
     */
    public void discard() {
        span.command(this, PriSpan.Cmd.DISCARD, 0, null);
    }

    /**
     * HOLD (ETS 300 139): the far end is asked to hold the call; its answer comes as
     * {@link PriEvent.HoldAcknowledged} or {@link PriEvent.HoldRejected}. Needs
     * {@link PriSpanConfig#hold} on both sides.
     */
    public void hold() {
        span.command(this, PriSpan.Cmd.HOLD, 0, null);
    }

    /** RETRIEVE of a held call on its own B-channel (exclusive); answered by {@link PriEvent.RetrieveAcknowledged} or {@link PriEvent.RetrieveRejected}. */
    public void retrieve() {
        span.command(this, PriSpan.Cmd.RETRIEVE, 0, null);
    }

    /** Accepts the far end's {@link PriEvent.HoldRequested}. */
    public void holdAcknowledge() {
        span.command(this, PriSpan.Cmd.HOLD_ACK, 0, null);
    }

    /** Refuses the far end's {@link PriEvent.HoldRequested} with a Q.850 cause. */
    public void holdReject(int cause) {
        span.command(this, PriSpan.Cmd.HOLD_REJECT, cause, null);
    }

    /** Accepts the far end's {@link PriEvent.RetrieveRequested} on the call's own B-channel. */
    public void retrieveAcknowledge() {
        span.command(this, PriSpan.Cmd.RETRIEVE_ACK, 0, null);
    }

    /** Refuses the far end's {@link PriEvent.RetrieveRequested} with a Q.850 cause. */
    public void retrieveReject(int cause) {
        span.command(this, PriSpan.Cmd.RETRIEVE_REJECT, cause, null);
    }

    /**
     * The network side's answer to {@link PriEvent.TransferRequested} (on either of its calls):
     * success or failure of the transfer, {@code pri_transfer_rsp}. After a success the network
     * usually clears both calls towards the user with {@link #hangup}.
     */
    public void transferResponse(int invokeId, boolean success) {
        span.command(this, PriSpan.Cmd.TRANSFER_RESPONSE, invokeId, success ? null : "failed");
    }

    @Override
    public String toString() {
        return "call#" + id + "(" + span.name() + " " + direction + " ch " + channel + ")";
    }
}
