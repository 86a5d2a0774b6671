package org.tandem.gateway.call;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.config.SpanConfig;
import org.tandem.gateway.interwork.Q850Cause;
import org.tandem.gateway.media.MediaDirection;
import org.tandem.gateway.media.MediaHandle;
import org.tandem.gateway.media.MediaListener;
import org.tandem.gateway.media.MediaProxy;
import org.tandem.gateway.media.MediaSessionSpec;
import org.tandem.gateway.ops.GatewayModel;
import org.tandem.gateway.pstn.PstnSignalling;
import org.tandem.gateway.sdp.Direction;
import org.tandem.gateway.sdp.G711;
import org.tandem.gateway.sdp.MediaPolicy;
import org.tandem.tdm.BChannel;
import org.tandem.tdm.TdmException;

/**
 * A call's media, from the RTP port pair to the detach: reserves the ports and sets the media
 * policy, prepares the B-channel (law, audio mode, echo canceller) and attaches the session to
 * the media engine, detaches it (stats kept for the CDR, echo canceller off), and handles what the
 * engine reports about a call (RTP timeout, channel lost, DTMF). Also refreshes the RTP figures of
 * answered calls in the ops model every {@value #STATS_INTERVAL_MS} ms.
 *
 * <p>Runs on the {@link CallControlAgent} thread; completions and events from the media agents
 * are queued back to it. The media engine is talked to only through {@link MediaProxy} and
 * {@link MediaHandle}, which queue and return.
 */
final class CallMedia {
    private static final Logger LOG = LoggerFactory.getLogger(CallMedia.class);
    /** How often the RTP figures of answered calls are refreshed in the ops model (SNMP, console). */
    private static final long STATS_INTERVAL_MS = 5_000;
    /** Our dynamic payload type for telephone-event in offers (RFC 4733). */
    private static final int TELEPHONE_EVENT_PT = 101;
    /** The resource name overload is reported under when RTP port pairs run out. */
    private static final String RTP_PORTS = "RTP ports";

    private final CallRegistry calls;
    private final CallControlAgent agent;
    private final MediaProxy media;
    private final MediaListener listener;
    private final GatewayModel model;
    private final OpsModelReporter ops;
    private final CallControl.Settings settings;
    private final CallRelease release;
    private final ChannelFaults faults;

    /**
     * @param listener given to the media engine with every session ({@link CallControl}, which
     *                 hands the events back to {@link #onRtpTimeout} and friends)
     */
    CallMedia(CallRegistry calls, MediaProxy media, MediaListener listener, GatewayModel model,
            OpsModelReporter ops, CallControl.Settings settings, CallRelease release, ChannelFaults faults) {
        this.calls = calls;
        this.agent = calls.agent();
        this.media = media;
        this.listener = listener;
        this.model = model;
        this.ops = ops;
        this.settings = settings;
        this.release = release;
        this.faults = faults;
    }

    /** Starts the periodic refresh of the answered calls' RTP figures. */
    void startStatsRefresh() {
        agent.execute(() -> agent.schedule(STATS_INTERVAL_MS, this::refreshStats));
    }

    /** Asks the media agents for the live figures of answered calls, for the ops model. */
    private void refreshStats() {
        for (Call c : calls.calls()) {
            MediaHandle h = c.media;
            if (h != null && c.answerMillis != 0 && c.isLive()) {
                h.stats().whenComplete((st, e) -> {
                    if (st != null) {
                        agent.execute(() -> {
                            if (c.isLive()) {
                                c.liveStats = st;
                                ops.updated(c);
                            }
                        });
                    }
                });
            }
        }
        agent.schedule(STATS_INTERVAL_MS, this::refreshStats);
    }

    /**
     * Takes the call's RTP port pair and sets its media policy (the law of {@code lawOf}'s span
     * preferred, to avoid transcoding). False, with the call released (cause 47) and the overload
     * detector told, when the port range is exhausted.
     */
    boolean reserveMedia(Call c, SpanConfig lawOf) {
        try {
            c.ports = media.allocatePorts();
            model.overload().admitted(RTP_PORTS);
        } catch (IOException e) {
            LOG.warn("call {}: no RTP port pair: {}", c.id, e.getMessage());
            model.overload().refused(RTP_PORTS);
            release.startRelease(c, Q850Cause.RESOURCE_UNAVAILABLE, "gateway");
            return false;
        }
        c.policy = new MediaPolicy(g711(lawOf), true, true, TELEPHONE_EVENT_PT, settings.ptimeMs(),
                settings.localAddress(), c.ports.rtpPort());
        return true;
    }

    /** Attaches the call's media to its B-channel once; false (and the call released) on failure. */
    boolean attachMedia(Call c) {
        if (c.media != null) {
            return true;
        }
        if (c.negotiated == null || c.pstn == null || c.ports == null) {
            LOG.error("call {}: cannot attach media (negotiated {}, leg {}, ports {})", c.id, c.negotiated, c.pstn,
                    c.ports);
            release.startRelease(c, Q850Cause.TEMPORARY_FAILURE, "gateway");
            return false;
        }
        CallRegistry.SpanInfo span = calls.span(c.pstn.channel.span());
        BChannel b = span.tdm.bChannel(c.pstn.channel.chanpos());
        int ptime = c.negotiated.sendPtimeMs();
        if (ptime != 10 && ptime != 20 && ptime != 30) {
            ptime = settings.ptimeMs();
        }
        MediaSessionSpec spec;
        try {
            spec = new MediaSessionSpec(c.id, b, PstnSignalling.law(span.config), c.ports,
                    new InetSocketAddress(c.negotiated.remoteAddress(), c.negotiated.remotePort()),
                    c.negotiated.payloadType(), c.negotiated.telephoneEventPt(), ptime,
                    mediaDirection(c.negotiated.direction()), c.negotiated.srtp());
        } catch (IllegalArgumentException e) {
            LOG.warn("call {}: media not possible: {}", c.id, e.getMessage());
            release.startRelease(c, Q850Cause.BEARER_CAPABILITY_NOT_IMPLEMENTED, "gateway");
            return false;
        }
        try {
            prepareBChannel(span.config, b);
        } catch (TdmException e) {
            LOG.error("call {}: B-channel {}/{} cannot be set up for the call: {}", c.id,
                    c.pstn.channel.span(), c.pstn.channel.chanpos(), e.getMessage());
            channelFailed(c, "cannot be set up: " + e.getMessage());
            release.startRelease(c, Q850Cause.TEMPORARY_FAILURE, "gateway");
            return false;
        }
        c.ports = null; // the engine owns them now
        c.mediaDone = false;
        MediaHandle h = media.attach(spec, listener);
        c.media = h;
        calls.bindMedia(h, c);
        ChannelTable.Channel ch = c.pstn.channel;
        boolean watch = faults.suspect(ch); // a healthy channel's attach costs no extra message
        h.attached().whenComplete((v, e) -> {
            if (e != null) {
                agent.execute(() -> {
                    LOG.warn("call {}: media attach failed: {}", c.id, e.getMessage());
                    channelFailed(c, "media cannot attach: " + e.getMessage());
                    release.startRelease(c, Q850Cause.TEMPORARY_FAILURE, "gateway");
                });
            } else if (watch) {
                agent.execute(() -> faults.attached(ch));
            }
        });
        return true;
    }

    /** The call's B-channel failed on our side: the call will be released; the channel's count goes up. */
    private void channelFailed(Call c, String why) {
        if (!c.channelFault && c.pstn != null) {
            c.channelFault = true;
            faults.failed(c.pstn.channel, why);
        }
    }

    /**
     * Per-call B-channel set-up, what a DAHDI PRI driver does on every call: the span's law, audio
     * mode (so law, gains and the echo canceller apply), and the echo canceller with the span's
     * tail ({@code echocanceller}/{@code echo_tail_ms}, 8 taps per ms) or off. Done on the
     * call-control thread before the media agent takes the channel. The simulated card records
     * these settings; on DAHDI they are SETLAW, AUDIOMODE and ECHOCANCEL_PARAMS.
     */
    private static void prepareBChannel(SpanConfig span, BChannel b) {
        b.setLaw(PstnSignalling.law(span));
        b.setAudioMode(true);
        b.setEchoCanceller(echoTaps(span));
    }

    static int echoTaps(SpanConfig span) {
        return span.echoCanceller() == SpanConfig.EchoCanceller.NONE ? 0 : span.echoTailMs() * 8;
    }

    /** Echo canceller off once the call has left the channel: idle channels carry no call. */
    private void releaseBChannel(Call c) {
        if (c.pstn == null) {
            return;
        }
        CallRegistry.SpanInfo span = calls.span(c.pstn.channel.span());
        BChannel b = span == null ? null : span.tdm.bChannel(c.pstn.channel.chanpos());
        if (b == null || echoTaps(span.config) == 0) {
            return;
        }
        try {
            b.setEchoCanceller(0);
        } catch (TdmException e) {
            LOG.warn("call {}: echo canceller of B-channel {}/{} not switched off: {}", c.id,
                    c.pstn.channel.span(), c.pstn.channel.chanpos(), e.getMessage());
        }
    }

    /** Detaches the call's media, if any; the call may finish once the engine has let go. */
    void detachMedia(Call c) {
        MediaHandle h = c.media;
        if (h == null) {
            return;
        }
        c.media = null;
        ChannelTable.Channel ch = c.pstn == null ? null : c.pstn.channel;
        h.detach().whenComplete((stats, e) -> agent.execute(() -> {
            if (ch != null && !c.channelFault && h.attached().isDone() && !h.attached().isCompletedExceptionally()) {
                faults.callEnded(ch);
            }
            releaseBChannel(c);
            calls.unbindMedia(h);
            if (stats != null && c.stats == null) {
                c.stats = stats;
            }
            if (e != null) {
                LOG.warn("call {}: media detach failed: {}", c.id, e.getMessage());
            }
            c.mediaDone = true;
            release.maybeFinish(c);
        }));
    }

    // ------------------------------------------------------------------ events from the media engine

    /** {@link MediaListener#onDtmf}, on the media agent's thread. */
    void onDtmf(MediaHandle handle, char digit, int durationMs, boolean fromSpan) {
        LOG.debug("{}: DTMF '{}' {} ms from {}", handle.callId(), digit, durationMs, fromSpan ? "span" : "SIP");
    }

    /**
     * No RTP from the SIP peer for the media engine's timeout while the stream should receive
     * (a peer holding with {@code inactive} or {@code sendonly}-to-us is not timed: the media
     * agent only times receiving directions). An answered call is released with cause 102
     * (recovery on timer expiry): the peer or the path is dead, and a carrier does not bill or
     * hold a B-channel for a call nobody can hear. Before answer the event is only noted (a caller
     * need not send while it hears ringback); if the stream is still silent when the call is
     * answered, {@link #checkSilentSinceEarlyMedia} gives it one more timeout from the answer.
     * Called on the media agent's thread.
     */
    void onRtpTimeout(MediaHandle handle, long silentMs) {
        agent.execute(() -> {
            Call c = calls.byMedia(handle);
            if (c == null || !c.isLive()) {
                return;
            }
            if (c.state() != CallState.CONNECTED) {
                LOG.info("call {}: no RTP from the SIP peer for {} ms before answer", c.id, silentMs);
                c.rtpSilentBeforeAnswer = true;
                return;
            }
            LOG.warn("call {}: no RTP from {} for {} ms, releasing with cause 102", c.id, c.sipPeer, silentMs);
            release.startRelease(c, Q850Cause.RECOVERY_ON_TIMER_EXPIRY, "gateway");
        });
    }

    /** A stream already timed out during early media gets one more timeout from the answer. */
    void checkSilentSinceEarlyMedia(Call c) {
        if (!c.rtpSilentBeforeAnswer || c.media == null || settings.rtpTimeoutMs() <= 0) {
            return;
        }
        MediaHandle h = c.media;
        h.stats().thenAccept(atAnswer -> agent.execute(() -> agent.schedule(settings.rtpTimeoutMs(),
                () -> h.stats().thenAccept(later -> agent.execute(() -> {
                    if (c.isLive() && c.media == h && later.packetsReceived() == atAnswer.packetsReceived()) {
                        LOG.warn("call {}: no RTP from {} since before the answer, releasing with cause 102",
                                c.id, c.sipPeer);
                        release.startRelease(c, Q850Cause.RECOVERY_ON_TIMER_EXPIRY, "gateway");
                    }
                })))));
    }

    /** {@link MediaListener#onChannelLost}, on the media agent's thread. */
    void onChannelLost(MediaHandle handle) {
        agent.execute(() -> {
            Call c = calls.byMedia(handle);
            if (c != null && c.isLive()) {
                LOG.warn("call {}: B-channel lost under the call", c.id);
                channelFailed(c, "lost under the call");
                release.startRelease(c, Q850Cause.TEMPORARY_FAILURE, "gateway");
            }
        });
    }

    /**
     * What a running call offers or answers from now on (a re-offer of ours, the answer to an
     * INVITE with Replaces): only the codec its media session runs (it is not renegotiated), with
     * {@code srtp} (the call's own, or that of a new dialog): without it an SRTP call would offer
     * plain RTP/AVP while its media goes on encrypting.
     */
    static MediaPolicy runningPolicy(MediaPolicy p, G711 codec, org.tandem.gateway.sdp.SrtpPolicy srtp) {
        return new MediaPolicy(codec, false, p.telephoneEvent(), p.telephoneEventPt(), p.ptimeMs(), p.localAddress(),
                p.localRtpPort(), srtp);
    }

    static MediaDirection mediaDirection(Direction d) {
        return MediaDirection.valueOf(d.name());
    }

    private static G711 g711(SpanConfig s) {
        return s.law() == SpanConfig.Law.ULAW ? G711.PCMU : G711.PCMA;
    }
}
