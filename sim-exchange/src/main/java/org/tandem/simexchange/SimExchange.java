package org.tandem.simexchange;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.codecs.g711.CompandingLaw;
import org.tandem.codecs.tone.TonePlan;
import org.tandem.jna.libc.Posix;
import org.tandem.pri.ChannelId;
import org.tandem.pri.FdDChannel;
import org.tandem.pri.OutgoingCall;
import org.tandem.pri.PartyNumber;
import org.tandem.pri.PriCall;
import org.tandem.pri.PriCause;
import org.tandem.pri.PriEngine;
import org.tandem.pri.PriEvent;
import org.tandem.pri.PriSpan;
import org.tandem.pri.PriSpanListener;
import org.tandem.pri.Redirecting;
import org.tandem.tdm.SpanType;
import org.tandem.tdm.sim.SimulatedCard;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The simulated exchange on the far side of one simulated span: libpri as NETWORK side on the
 * card's far D-channel, registered with the process's {@link PriEngine}, and the test lines of
 * its {@link ExchangeConfig#numberPlan()} on the B-channels.
 *
 * <p>Threads: signalling on the PRI engine thread (this class's listener), audio on the card's
 * clock thread ({@link ExchangeAudio}); they share only volatile per-channel modes. Public
 * methods may be called from any thread.
 */
public final class SimExchange implements PriSpanListener {
    private static final Logger LOG = LoggerFactory.getLogger(SimExchange.class);

    private final ExchangeConfig config;
    private final SpanType type;
    private final ExchangeAudio audio;
    private final List<PriSpanListener> observers = new CopyOnWriteArrayList<>();
    private final List<int[]> transfers = new CopyOnWriteArrayList<>();
    private volatile boolean honourTransfers = true;
    /** Overlap receiving (engine thread): the number dialled so far per call, until complete. */
    private final java.util.Map<PriCall, StringBuilder> overlap = new java.util.HashMap<>();
    private final List<String> overlapNumbers = new CopyOnWriteArrayList<>();
    private final PriSpan span;

    private SimExchange(PriEngine engine, SimulatedCard card, int spanNumber, SpanType type, ExchangeConfig config,
                        Posix posix) {
        this.config = config;
        this.type = type;
        CompandingLaw law = type == SpanType.E1 ? CompandingLaw.ALAW : CompandingLaw.MULAW;
        this.audio = new ExchangeAudio(law, type == SpanType.E1 ? TonePlan.ETSI : TonePlan.US, type.timeslots());
        card.attachFarEnd(spanNumber, audio);
        this.span = engine.addSpan(config.priConfig("exchange/span" + spanNumber, type),
            new FdDChannel(posix, card.farDChannelFd(spanNumber), false), () -> 0, this);
    }

    /**
     * Puts an exchange on the far side of a span already opened on {@code card} (its far D-channel
     * and B-channels), with libpri driven by {@code engine}.
     */
    public static SimExchange attach(PriEngine engine, SimulatedCard card, int spanNumber, SpanType type,
                                     ExchangeConfig config) {
        return new SimExchange(engine, card, spanNumber, type, config, Posix.system());
    }

    /** Receives every PRI event of the exchange's span after the exchange has acted on it (engine thread). */
    public void addObserver(PriSpanListener observer) {
        observers.add(observer);
    }

    public PriSpan priSpan() {
        return span;
    }

    public ExchangeConfig config() {
        return config;
    }

    /**
     * Originates a call towards the gateway (PSTN -> SIP) on {@code channel}, or on the lowest idle
     * one with {@link ChannelId#ANY}. Progress arrives as events to the observers; once answered the
     * channel carries silence.
     */
    public PriCall originate(String calling, String called, int channel) {
        return span.setup(new OutgoingCall(channel, PartyNumber.of(called), PartyNumber.of(calling), null, true));
    }

    /** As {@link #originate(String, String, int)}, for a diverted call: the SETUP carries {@code redirecting}. */
    public PriCall originate(String calling, String called, int channel, Redirecting redirecting) {
        return span.setup(new OutgoingCall(channel, PartyNumber.of(called), PartyNumber.of(calling), null, true)
            .withRedirecting(redirecting));
    }

    /** Clears a call with a Q.850 cause. */
    public void hangup(PriCall call, int cause) {
        call.hangup(cause);
    }

    /** Sets what a channel plays, e.g. to make an answered originated call loop its audio. */
    public void setChannelMode(int chanpos, ChannelMode mode) {
        audio.setMode(chanpos, mode);
    }

    /** Plays DTMF digits (80 ms tone at -6/-4 dBm0, 80 ms pause each) towards the gateway on a channel in a call. */
    public void playDigits(int chanpos, String digits) {
        audio.playDigits(chanpos, digits);
    }

    /** Receives DTMF digits detected in what the gateway sends (card clock thread; must not block). */
    public void addDigitListener(DigitListener listener) {
        audio.digitListeners.add(listener);
    }

    /** What the exchange currently plays on a channel. */
    public ChannelMode channelMode(int chanpos) {
        return audio.mode(chanpos);
    }

    // ---------------------------------------------------------------- engine thread

    @Override
    public void onPriEvent(PriSpan s, PriEvent event) {
        if (event instanceof PriEvent.IncomingCall ring) {
            onIncoming(ring);
        } else if (event instanceof PriEvent.DigitsReceived d && !d.keypad() && overlap.containsKey(d.call())) {
            onOverlapDigits(d);
        } else if (event instanceof PriEvent.DisconnectRequested d) {
            d.call().hangup(d.cause());
        } else if (event instanceof PriEvent.CallReleased r) {
            overlap.remove(r.call());
            audio.setMode(r.call().channel(), ChannelMode.IDLE);
        } else if (event instanceof PriEvent.Answered a) {
            audio.setMode(a.channel(), ChannelMode.SILENCE);
        } else if (event instanceof PriEvent.HoldRequested h) {
            h.call().holdAcknowledge(); // the B-channel stays reserved to the call while held
        } else if (event instanceof PriEvent.RetrieveRequested r) {
            r.call().retrieveAcknowledge();
        } else if (event instanceof PriEvent.TransferRequested t) {
            onTransfer(t);
        } else if (event instanceof PriEvent.ChannelRestarted r && r.channel() == ChannelId.ANY) {
            for (int ch = 1; ch <= type.timeslots(); ch++) {
                audio.setMode(ch, ChannelMode.IDLE);
            }
        }
        for (PriSpanListener o : observers) {
            try {
                o.onPriEvent(s, event);
            } catch (RuntimeException e) {
                LOG.error("{}: observer failed on {}", span.name(), event, e);
            }
        }
    }

    /**
     * Explicit call transfer asked by the gateway (only with supplementary services on, where
     * libpri offers it): the exchange joins the two far parties itself, answers success and clears
     * both calls towards the gateway (normal clearing), as a switch does for ETSI ECT. The joined
     * pair is kept in {@link #transfers()}.
     */
    private void onTransfer(PriEvent.TransferRequested t) {
        int ch1 = t.call1().channel();
        int ch2 = t.call2().channel();
        if (!honourTransfers) {
            LOG.info("{}: explicit call transfer of channels {} and {} refused (not subscribed)", span.name(), ch1, ch2);
            t.call1().transferResponse(t.invokeId(), false);
            return;
        }
        LOG.info("{}: explicit call transfer of the calls on channels {} and {}: joined here, clearing both",
            span.name(), ch1, ch2);
        transfers.add(new int[] {ch1, ch2});
        t.call1().transferResponse(t.invokeId(), true);
        t.call1().hangup(PriCause.NORMAL_CLEARING);
        t.call2().hangup(PriCause.NORMAL_CLEARING);
    }

    /**
     * Whether the exchange performs explicit call transfers (default) or refuses them, as a
     * switch where the service is not subscribed (the calls then stay as they were).
     */
    public void setHonourTransfers(boolean on) {
        honourTransfers = on;
    }

    /** The channel pairs whose calls the exchange joined on an explicit call transfer, in order. */
    public List<int[]> transfers() {
        return List.copyOf(transfers);
    }

    /**
     * A SETUP: en bloc (Sending Complete, or a number of the plan) it is served at once; otherwise
     * the exchange asks for more digits (SETUP ACKNOWLEDGE) and serves the call once the number
     * is one of the plan or as long as its longest number (Q.931 5.2.4, digit analysis).
     */
    private void onIncoming(PriEvent.IncomingCall ring) {
        String number = ring.called().digits();
        if (!ring.complete() && !complete(number)) {
            LOG.info("{}: overlap SETUP from '{}' with '{}' on channel {}: SETUP ACKNOWLEDGE", span.name(),
                ring.calling().digits(), number, ring.channel());
            overlap.put(ring.call(), new StringBuilder(number));
            ring.call().needMoreDigits();
            return;
        }
        serve(ring.call(), ring.channel(), ring.calling().digits(), number);
    }

    private boolean complete(String number) {
        return config.lineFor(number) != TestLine.UNALLOCATED || number.length() >= config.longestNumber();
    }

    private void onOverlapDigits(PriEvent.DigitsReceived d) {
        StringBuilder sb = overlap.get(d.call());
        sb.append(d.digits());
        String number = sb.toString();
        if (complete(number)) {
            overlap.remove(d.call());
            overlapNumbers.add(number);
            serve(d.call(), d.call().channel(), "", number);
        }
    }

    /** The numbers of the calls that were overlap-dialled to the exchange, complete, in order. */
    public List<String> overlapNumbers() {
        return List.copyOf(overlapNumbers);
    }

    /** What a switch does for each test line; messages in the order Q.931 allows them. */
    private void serve(PriCall call, int ch, String calling, String called) {
        TestLine line = config.lineFor(called);
        LOG.debug("{}: call from '{}' to '{}' on channel {}: {}", span.name(), calling, called, ch, line); // per call: DEBUG
        switch (line) {
            case MILLIWATT:
                call.proceeding(false);
                call.alerting(false);
                audio.setMode(ch, ChannelMode.MILLIWATT);
                call.answer();
                break;
            case LOOPBACK:
                call.proceeding(false);
                call.alerting(false);
                audio.setMode(ch, ChannelMode.LOOPBACK);
                call.answer();
                break;
            case BUSY:
                // Busy tone in band while the DISCONNECT (cause 17) is on its way.
                call.proceeding(false);
                audio.setMode(ch, ChannelMode.BUSY);
                call.progress(true);
                call.hangup(PriCause.USER_BUSY);
                break;
            case UNALLOCATED:
                call.hangup(PriCause.UNALLOCATED);
                break;
            case CONGESTION:
                call.hangup(PriCause.NORMAL_CIRCUIT_CONGESTION);
                break;
            case NO_ANSWER:
                call.proceeding(false);
                audio.setMode(ch, ChannelMode.RINGBACK);
                call.alerting(true);
                break;
            case NO_RESPONSE:
                // Forgotten at once: a caller that gives up after T303 sends nothing (libpri 1.6.0),
                // so a call kept here would hold the channel until a RESTART.
                call.discard();
                break;
            default:
                throw new IllegalStateException("unhandled test line " + line);
        }
    }
}
