package org.tandem.gateway.call;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.config.GatewayConfig;
import org.tandem.config.SpanConfig;
import org.tandem.gateway.cdr.CallRecord;
import org.tandem.gateway.media.MediaHandle;
import org.tandem.gateway.media.MediaListener;
import org.tandem.gateway.media.MediaProxy;
import org.tandem.gateway.ops.ChannelRef;
import org.tandem.gateway.ops.ControlException;
import org.tandem.gateway.ops.GatewayControl;
import org.tandem.gateway.ops.GatewayModel;
import org.tandem.gateway.pstn.PstnSignalling;
import org.tandem.gateway.registrar.LocationSnapshot;
import org.tandem.gateway.sip.SipEvent;
import org.tandem.gateway.sip.SipSide;
import org.tandem.gateway.sip.SipTrunk;
import org.tandem.pri.PriCall;
import org.tandem.pri.PriEvent;
import org.tandem.pri.PriSpan;
import org.tandem.tdm.SpanAlarms;
import org.tandem.tdm.TdmSpan;

/**
 * Call control: maps SIP dialogs to PRI calls and back. Every method that touches a call runs on
 * the {@link CallControlAgent} thread: SIP events, PRI events, media completions, console requests
 * and timers all arrive there as messages, so no call state is ever shared. It talks back only
 * through command interfaces that queue and return: {@link SipSide}, {@link PriSpan}/{@link PriCall},
 * {@link MediaProxy}/{@link MediaHandle}, {@link GatewayModel}, and the CDR sink.
 *
 * <p>This class is the facade and the dispatcher: it wires the roles below, and hands each PRI,
 * SIP, media and console event to the role that owns it (sig_pri style: signalling meets the rest
 * only through these calls). The roles share state only through {@link CallRegistry} (calls,
 * spans, channels) and {@link ActiveConfig} (routes, trunks, cause maps):
 * <ul>
 *   <li>{@link SipToPstnSetup}: INVITE in, channel hunt, SETUP, PRI progress to SIP 18x/200;</li>
 *   <li>{@link PstnToSipSetup}: SETUP in, overlap digits, INVITE out, SIP 18x/200/refusal to PRI;</li>
 *   <li>{@link UserFork}: a call to a registered user, its contacts rung in parallel or in sequence;</li>
 *   <li>{@link CallRelease}: failover, release of both legs with one cause, the end of every call;</li>
 *   <li>{@link CallMedia}: RTP ports, B-channel set-up, attach/detach, media engine events;</li>
 *   <li>{@link ReofferHandler}: re-INVITE offers in a running call;</li>
 *   <li>{@link CallTransfer}: blind transfer of the SIP leg (REFER), the media moved to the new leg;</li>
 *   <li>{@link NoAnswerTimer}, {@link CdrEmitter}, {@link OpsModelReporter}, {@link OperatorCommands}.</li>
 * </ul>
 * The states a call goes through and their allowed transitions are {@link CallState}'s table,
 * applied only through {@code Call.transition}.
 *
 * <p>Every call ends in {@link CallRelease}'s finish, with both legs confirmed released, the
 * B-channel idle, the media detached and one CDR submitted (or the release guard forcing it).
 * docs/CALLS.md has the decisions (causes, early media, glare, overlap, failover).
 */
public final class CallControl implements GatewayControl, MediaListener {
    private static final Logger LOG = LoggerFactory.getLogger(CallControl.class);

    /**
     * Tuning of call control.
     *
     * @param localAddress address in our SDP (the RTP bind address)
     * @param ptimeMs packetisation we ask for ({@code [rtp] ptime})
     * @param releaseGuardMs longest wait for legs to confirm release before the call is forced to end
     * @param maxGlareRetries re-hunts of one call after losing a channel to the network (glare)
     * @param noAnswerMs how long a call may ring (from the first ALERTING/180/183) before the
     *     gateway gives up with cause 19 "no answer from user (user alerted)"; 0 disables
     * @param rtpTimeoutMs the media engine's RTP timeout ({@code MediaConfig.rtpTimeoutMs}, 0 when
     *     off): an answered call whose peer sends no RTP that long is released with cause 102
     */
    public record Settings(String localAddress, int ptimeMs, long releaseGuardMs, int maxGlareRetries,
            long noAnswerMs, long rtpTimeoutMs) {
        /**
         * Default ringing limit: 180 s, the minimum Q.931 gives the network's own T301 (call
         * received, waiting for CONNECT), so the gateway never cuts a call the exchange would still ring.
         */
        public static final long DEFAULT_NO_ANSWER_MS = 180_000;

        public static Settings defaults(String localAddress, int ptimeMs) {
            return new Settings(localAddress, ptimeMs, 40_000, 3, DEFAULT_NO_ANSWER_MS, DEFAULT_RTP_TIMEOUT_MS);
        }

        /** Default RTP timeout, the media engine's ({@code MediaConfig.from}). */
        public static final long DEFAULT_RTP_TIMEOUT_MS = 30_000;

        public Settings withTimers(long noAnswer, long rtpTimeout) {
            return new Settings(localAddress, ptimeMs, releaseGuardMs, maxGlareRetries, noAnswer, rtpTimeout);
        }
    }

    /** What the simulated backend lets an operator do; null with real cards. */
    public interface SimControls {
        /** The exchange originates a call towards the gateway; returns a description. */
        String originate(String from, String to) throws ControlException;

        /** Raises a red alarm on a span, or clears it. */
        void alarm(int span, boolean red) throws ControlException;

        /** Breaks one B-channel of the simulated card (its per-call ioctls fail) or repairs it. */
        void breakChannel(int span, int chanpos, boolean broken) throws ControlException;
    }

    private final CallControlAgent agent;
    private final CallRegistry calls;
    private final OpsModelReporter ops;
    private final CallRelease release;
    private final CallMedia media;
    private final ReofferHandler reoffers;
    private final SipToPstnSetup sipToPstn;
    private final PstnToSipSetup pstnToSip;
    private final UserFork users;
    private final CallTransfer transfers;
    private final AttendedTransfer attended;
    private final PstnHold pstnHold;
    private final OperatorCommands operators;

    /**
     * @param reloader re-reads and validates the configuration for {@link #reload}; empty when it
     *                 is invalid (the reloader logs why)
     */
    public CallControl(CallControlAgent agent, GatewayConfig config, MediaProxy media, GatewayModel model,
            Consumer<CallRecord> cdr, LongSupplier clockMillis, Settings settings,
            Supplier<Optional<GatewayConfig>> reloader) {
        this.agent = agent;
        ActiveConfig active = new ActiveConfig(config);
        this.calls = new CallRegistry(agent, clockMillis, config);
        this.ops = new OpsModelReporter(model);
        // Release is needed by everything below; what it needs of them is wired last.
        this.release = new CallRelease(calls, settings, ops, new CdrEmitter(cdr, model, clockMillis));
        ChannelFaults faults = new ChannelFaults(calls.table(), agent, ops, config.groups());
        this.media = new CallMedia(calls, media, this, model, ops, settings, release, faults);
        this.pstnHold = new PstnHold(calls);
        this.reoffers = new ReofferHandler(calls, pstnHold);
        NoAnswerTimer noAnswer = new NoAnswerTimer(agent, settings.noAnswerMs(), release);
        this.sipToPstn = new SipToPstnSetup(calls, active, settings, model, ops, release, this.media, noAnswer);
        this.users = new UserFork(calls, active, release, ops);
        this.pstnToSip = new PstnToSipSetup(calls, active, settings, ops, release, this.media, noAnswer, users);
        users.wire(pstnToSip);
        release.wire(this.media, sipToPstn, pstnToSip, users);
        this.transfers = new CallTransfer(calls, active, settings, ops, release);
        release.wire(transfers);
        this.attended = new AttendedTransfer(calls, active, ops);
        release.wire(attended);
        this.operators = new OperatorCommands(calls, active, ops, release, reloader, faults);
        this.media.startStatsRefresh();
    }

    // ------------------------------------------------------------------ wiring (before start)

    /** The executor SIP, PRI and media events must be delivered on. */
    public CallControlAgent agent() {
        return agent;
    }

    public void setSipSide(SipSide sipSide) {
        calls.setSip(sipSide);
    }

    /**
     * The registrar's location service, for routes to registered users ({@code user:NAME},
     * {@code users}) and redirect-server routes ({@code redirect = users}); without it (no
     * {@code [user NAME]}) such a call finds nobody registered.
     */
    public void setLocation(Supplier<LocationSnapshot> snapshots) {
        users.setLocation(snapshots);
        sipToPstn.redirects().setLocation(snapshots); // [route] redirect = users
    }

    public void setSimControls(SimControls controls) {
        operators.setSimControls(controls);
    }

    /** Registers a started span (its libpri instance and its TDM channels). */
    public void addSpan(SpanConfig span, PriSpan pri, TdmSpan tdm) {
        agent.execute(() -> calls.addSpan(new CallRegistry.SpanInfo(span, pri, tdm)));
    }

    /** The sink the PRI adapter delivers to (already on the agent thread). */
    public PstnSignalling.Sink priSink() {
        return this::onPriEvent;
    }

    /** The SIP side's event sink; the SIP side runs it on {@link #agent()}, so it handles at once. */
    public Consumer<SipEvent> sipSink() {
        return this::handleSip;
    }

    /** Delivers a SIP event from any thread: queues it to the agent thread. */
    public void onSipEvent(SipEvent event) {
        agent.execute(() -> handleSip(event));
    }

    /** The SIP trunks as the SIP side needs them (outbound targets and trusted sources). */
    public static Map<String, SipTrunk> sipTrunks(GatewayConfig config) {
        return ActiveConfig.sipTrunks(config);
    }

    // ------------------------------------------------------------------ life cycle

    /**
     * Refuses new calls from now on (SIP 503, PRI cause {@code cause}) and releases every call with
     * {@code cause}. Completes when no call is left.
     */
    public CompletableFuture<Void> drain(int cause) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        agent.execute(() -> release.drain(cause, f));
        return f;
    }

    /** Calls not yet finished; for tests and the ready/shutdown logs (read on any thread: approximate). */
    public CompletableFuture<Integer> liveCalls() {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        agent.execute(() -> f.complete(calls.callCount()));
        return f;
    }

    /** Channels with a call on them; 0 when every channel is idle. */
    public CompletableFuture<Integer> busyChannels() {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        agent.execute(() -> f.complete(calls.table().occupiedCount()));
        return f;
    }

    /** Whether B-channel span/chanpos may be given to a new call now (false also when it does not exist). */
    public CompletableFuture<Boolean> channelOffered(int span, int chanpos) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        agent.execute(() -> {
            ChannelTable.Channel c = calls.table().channel(span, chanpos);
            f.complete(c != null && calls.table().offered(c));
        });
        return f;
    }

    /** True when every span's D-channel is up and in service. */
    public CompletableFuture<Boolean> allSpansUp() {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        agent.execute(() -> f.complete(calls.allSpansUsable()));
        return f;
    }

    // ------------------------------------------------------------------ PRI events

    private void onPriEvent(int spanNumber, PriSpan span, PriEvent event) {
        if (event instanceof PriEvent.DChannelUp) {
            calls.table().setDChannelUp(spanNumber, true);
            ops.dChannel(spanNumber, true);
            LOG.info("span {}: D-channel up", spanNumber);
        } else if (event instanceof PriEvent.DChannelDown) {
            // Calls survive T309; libpri then releases them with cause 27 (CallReleased).
            calls.table().setDChannelUp(spanNumber, false);
            ops.dChannel(spanNumber, false);
            LOG.warn("span {}: D-channel down; no new calls on it", spanNumber);
        } else if (event instanceof PriEvent.SpanAlarm a) {
            calls.table().setInService(spanNumber, a.inService());
            ops.spanAlarms(spanNumber, a.alarms());
            LOG.warn("span {}: alarms {} ({})", spanNumber, SpanAlarms.describe(a.alarms()),
                    a.inService() ? "in service" : "out of service, calls released");
        } else if (event instanceof PriEvent.IncomingCall ic) {
            pstnToSip.onPstnIncoming(spanNumber, ic);
        } else if (event instanceof PriEvent.SetupAcknowledged sa) {
            LOG.debug("span {}: SETUP ACK on {}", spanNumber, sa.channel());
            sipToPstn.onPstnSetupAcknowledged(calls.leg(sa.call()));
        } else if (event instanceof PriEvent.Proceeding p) {
            sipToPstn.onPstnProgress(calls.leg(p.call()), CallState.PROCEEDING, p.inbandAvailable(), false);
        } else if (event instanceof PriEvent.Alerting a) {
            sipToPstn.onPstnProgress(calls.leg(a.call()), CallState.ALERTING, a.inbandAvailable(), true);
        } else if (event instanceof PriEvent.Progress p) {
            sipToPstn.onPstnProgress(calls.leg(p.call()), CallState.ALERTING, p.inbandAvailable(), false);
        } else if (event instanceof PriEvent.Answered a) {
            sipToPstn.onPstnAnswered(calls.leg(a.call()));
        } else if (event instanceof PriEvent.DisconnectRequested d) {
            release.onPstnDisconnect(d.call(), d.cause());
        } else if (event instanceof PriEvent.CallReleased r) {
            release.onPstnReleased(r.call(), r.cause(), r.reason());
        } else if (event instanceof PriEvent.ChannelRestarted r) {
            LOG.debug("span {}: channel {} restarted by the far end", spanNumber, r.channel());
        } else if (event instanceof PriEvent.RestartAcknowledged r) {
            LOG.debug("span {}: RESTART of channel {} acknowledged", spanNumber, r.channel());
        } else if (event instanceof PriEvent.DigitsReceived dr) {
            pstnToSip.onPstnDigits(calls.leg(dr.call()), dr.digits(), dr.keypad());
        } else if (event instanceof PriEvent.HoldAcknowledged h) {
            pstnHold.onHoldAcknowledged(calls.leg(h.call()));
        } else if (event instanceof PriEvent.HoldRejected h) {
            pstnHold.onHoldRejected(calls.leg(h.call()), h.cause());
        } else if (event instanceof PriEvent.RetrieveAcknowledged r) {
            pstnHold.onRetrieveAcknowledged(calls.leg(r.call()), r.channel());
        } else if (event instanceof PriEvent.RetrieveRejected r) {
            pstnHold.onRetrieveRejected(calls.leg(r.call()), r.cause());
        } else if (event instanceof PriEvent.HoldRequested h) {
            pstnHold.onHoldRequested(h.call());
        } else if (event instanceof PriEvent.RetrieveRequested r) {
            pstnHold.onRetrieveRequested(r.call());
        }
    }

    // ------------------------------------------------------------------ SIP events

    private void handleSip(SipEvent event) {
        if (event instanceof SipEvent.IncomingCall ic) {
            sipToPstn.onSipIncoming(ic);
            return;
        }
        if (event instanceof SipEvent.ReplacingCall rc) {
            attended.onReplacingCall(rc);
            return;
        }
        Call c = calls.bySip(event.call().id());
        if (c == null) {
            LOG.debug("SIP event for a call already ended: {}", event);
            return;
        }
        if (users.onSipEvent(c, event)) {
            return; // a branch of a call ringing a registered user's contacts
        }
        if (transfers.onSipEvent(c, event)) {
            return; // the new INVITE of a transfer, or the transferor leaving
        }
        if (attended.onSipEvent(c, event)) {
            return; // the transferor leaving while its two calls are joined
        }
        if (event instanceof SipEvent.Acked a) {
            sipToPstn.onSipAcked(c, a.answer());
        } else if (event instanceof SipEvent.Cancelled x) {
            release.onSipCancelled(c, x.reason());
        } else if (event instanceof SipEvent.RemoteHangup h) {
            release.onSipHangup(c, h.reason());
        } else if (event instanceof SipEvent.Reoffer r) {
            reoffers.onSipReoffer(c, r.offer());
        } else if (event instanceof SipEvent.Provisional p) {
            pstnToSip.onSipProvisional(c, p.status(), p.sdp());
        } else if (event instanceof SipEvent.Answered a) {
            pstnToSip.onSipAnswered(c, a.answer());
        } else if (event instanceof SipEvent.Rejected r) {
            pstnToSip.onSipRejected(c, r.status(), r.reason());
        } else if (event instanceof SipEvent.SessionExpired) {
            release.onSessionExpired(c);
        } else if (event instanceof SipEvent.TransactionTimeout t) {
            release.onTransactionTimeout(c, t.method());
        } else if (event instanceof SipEvent.TransferRequested t) {
            transfers.onTransferRequested(c, t);
        } else if (event instanceof SipEvent.AttendedTransferRequested t) {
            attended.onRequested(c, t);
        }
    }

    // ------------------------------------------------------------------ media engine events (MediaListener)

    @Override
    public void onDtmf(MediaHandle handle, char digit, int durationMs, boolean fromSpan) {
        media.onDtmf(handle, digit, durationMs, fromSpan);
    }

    @Override
    public void onRtpTimeout(MediaHandle handle, long silentMs) {
        media.onRtpTimeout(handle, silentMs);
    }

    @Override
    public void onChannelLost(MediaHandle handle) {
        media.onChannelLost(handle);
    }

    // ------------------------------------------------------------------ GatewayControl (console)

    @Override
    public CompletionStage<String> block(ChannelRef target) {
        return operators.block(target);
    }

    @Override
    public CompletionStage<String> unblock(ChannelRef target) {
        return operators.unblock(target);
    }

    @Override
    public CompletionStage<String> hangup(String callId) {
        return operators.hangup(callId);
    }

    @Override
    public CompletionStage<ReloadReport> reload() {
        return operators.reload();
    }

    @Override
    public CompletionStage<String> drain() {
        return operators.drain();
    }

    @Override
    public CompletionStage<String> undrain() {
        return operators.undrain();
    }

    /**
     * Something outside call control that a reload changes (the SIP side's trunks, the registrar's
     * users); called on the agent thread after the routes, trunks and cause maps were replaced.
     */
    public void addReloadListener(String name, java.util.function.Consumer<GatewayConfig> apply) {
        operators.addReloadListener(new OperatorCommands.ReloadListener() {
            @Override
            public void apply(GatewayConfig next) {
                apply.accept(next);
            }

            @Override
            public String toString() {
                return name;
            }
        });
    }

    /** Told of each {@link #drain()} (true) and {@link #undrain()} (false), on the agent thread. */
    public void addDrainListener(java.util.function.Consumer<Boolean> listener) {
        operators.addDrainListener(listener);
    }

    @Override
    public CompletionStage<String> simOriginate(String from, String to) {
        return operators.simOriginate(from, to);
    }

    @Override
    public CompletionStage<String> simAlarm(int span, boolean red) {
        return operators.simAlarm(span, red);
    }

    @Override
    public CompletionStage<String> simBreak(ChannelRef channel, boolean broken) {
        return operators.simBreak(channel, broken);
    }
}
