package org.tandem.pri;

/**
 * Everything a span reports, as immutable values copied out of libpri's event memory before the
 * next libpri call. Channels are timeslots (chanpos), {@link ChannelId#ANY} (-1) when none.
 */
public sealed interface PriEvent {

    /** Layer 2 (Q.921) established: calls may be placed. */
    record DChannelUp() implements PriEvent {
    }

    /** Layer 2 lost. Active calls survive T309, then are released with cause 27 by libpri. */
    record DChannelDown() implements PriEvent {
    }

    /**
     * The TDM layer reported an alarm change. When {@code inService} is false the span's calls
     * have already been released (cause 38) and no channel of the span may be offered.
     */
    record SpanAlarm(int alarms, boolean inService) implements PriEvent {
    }

    /**
     * SETUP received. Answer with proceeding/alerting/progress/answer or hangup. {@code redirecting}
     * is the Redirecting number of a diverted call, null when the SETUP had none.
     */
    record IncomingCall(PriCall call, int channel, boolean exclusive, PartyNumber called, PartyNumber calling,
                        String callingName, boolean complete, int transferCapability, int layer1,
                        Redirecting redirecting)
        implements PriEvent {
        /** A SETUP without a Redirecting number. */
        public IncomingCall(PriCall call, int channel, boolean exclusive, PartyNumber called, PartyNumber calling,
                            String callingName, boolean complete, int transferCapability, int layer1) {
            this(call, channel, exclusive, called, calling, callingName, complete, transferCapability, layer1, null);
        }
    }

    /** SETUP ACKNOWLEDGE: the far end wants more digits (overlap sending). */
    record SetupAcknowledged(PriCall call, int channel) implements PriEvent {
    }

    /** CALL PROCEEDING. (libpri's cause field of this event is garbage and is not copied.) */
    record Proceeding(PriCall call, int channel, int progressMask) implements PriEvent {
        public boolean inbandAvailable() {
            return PriProgress.inband(progressMask);
        }
    }

    /** ALERTING: the called party is being alerted. */
    record Alerting(PriCall call, int channel, int progressMask) implements PriEvent {
        public boolean inbandAvailable() {
            return PriProgress.inband(progressMask);
        }
    }

    /** PROGRESS, e.g. in-band tones or announcements available. */
    record Progress(PriCall call, int channel, int progressMask) implements PriEvent {
        public boolean inbandAvailable() {
            return PriProgress.inband(progressMask);
        }
    }

    /** CONNECT (CONNECT ACKNOWLEDGE is sent by libpri). */
    record Answered(PriCall call, int channel) implements PriEvent {
    }

    /**
     * DISCONNECT received: the far end clears. The listener must answer with
     * {@link PriCall#hangup(int)}; {@link CallReleased} follows.
     */
    record DisconnectRequested(PriCall call, int cause) implements PriEvent {
    }

    /** The call is gone and its channel idle; the {@link PriCall} handle is dead from now on. */
    record CallReleased(PriCall call, int cause, ReleaseReason reason) implements PriEvent {
    }

    /** The far end restarted this channel ({@link ChannelId#ANY}: the whole interface). */
    record ChannelRestarted(int channel) implements PriEvent {
    }

    /** The far end acknowledged our RESTART of this channel. */
    record RestartAcknowledged(int channel) implements PriEvent {
    }

    /**
     * Network side: the user asks for its calls {@code call1} and {@code call2} to be connected to
     * each other (explicit call transfer: libpri's PRI_SUBCMD_TRANSFER_CALL in a FACILITY). The
     * listener answers with {@link PriCall#transferResponse} on {@code call1}.
     */
    record TransferRequested(PriCall call1, PriCall call2, int invokeId) implements PriEvent {
    }

    /** HOLD received: the far end asks to hold the call; answer with {@link PriCall#holdAcknowledge} or {@link PriCall#holdReject}. */
    record HoldRequested(PriCall call) implements PriEvent {
    }

    /** HOLD ACKNOWLEDGE: our HOLD was accepted; the call is held. */
    record HoldAcknowledged(PriCall call) implements PriEvent {
    }

    /** HOLD REJECT: our HOLD was refused (the call goes on as it was). */
    record HoldRejected(PriCall call, int cause) implements PriEvent {
    }

    /** RETRIEVE received: the far end takes a held call back; answer with {@link PriCall#retrieveAcknowledge} or {@link PriCall#retrieveReject}. */
    record RetrieveRequested(PriCall call, int channel) implements PriEvent {
    }

    /** RETRIEVE ACKNOWLEDGE: our held call is back, on {@code channel}. */
    record RetrieveAcknowledged(PriCall call, int channel) implements PriEvent {
    }

    /** RETRIEVE REJECT: our held call stays held. */
    record RetrieveRejected(PriCall call, int cause) implements PriEvent {
    }

    /** Digits of an INFORMATION message: overlap dialling ({@code keypad} false) or keypad facility. */
    record DigitsReceived(PriCall call, String digits, boolean keypad) implements PriEvent {
    }

    /** Why a call was released. */
    enum ReleaseReason {
        /** The far end released (RELEASE / RELEASE COMPLETE, or a libpri timer such as T303, T309). */
        REMOTE,
        /** Our hangup completed. */
        LOCAL,
        /** A RESTART for the channel was sent or received. */
        RESTART,
        /** A span alarm took the span out of service. */
        ALARM,
        /** The call could not be set up (D-channel down, span in alarm, libpri refused). */
        SETUP_FAILED
    }
}
