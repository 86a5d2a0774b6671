package org.tandem.gateway.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.tdm.SpanAlarms;

/**
 * The operations registry: call control tells it what happens, the SNMP agent and the console read
 * {@link #snapshot()}.
 *
 * <p>Threading. Update methods may be called from any thread; they are serialised by this
 * object's monitor, each publishes a new immutable {@link GatewaySnapshot} through a volatile
 * field and then tells the {@link OpsEventListener}s (on the updating thread, in update order).
 * An update costs a copy of one span's channel list, so it belongs on call control's thread, not
 * on a media thread. {@link #snapshot()} and {@link #counters()} never lock.
 *
 * <p>Update methods name a span and channel that were declared with {@link #addSpan}; an unknown
 * one is a programming error in the caller and throws {@link IllegalArgumentException}.
 */
public final class GatewayModel {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayModel.class);

    private final LongSupplier clockMillis;
    private final CallCounters counters = new CallCounters();
    private final CallOutcomes outcomes = new CallOutcomes();
    private final SpanOctets spanOctets = new SpanOctets();
    private final OverloadDetector overload = new OverloadDetector(this);
    private volatile InviteAdmission admission = InviteAdmission.NONE;
    private final List<OpsEventListener> listeners = new CopyOnWriteArrayList<>();
    /** Mutable working state, guarded by {@code this}; index = position in {@link #spans}. */
    private final List<SpanWork> spans = new ArrayList<>();
    private volatile GatewaySnapshot snapshot;
    /** Trunks that register, in the order first reported; replaced whole on each change. */
    private volatile List<TrunkRegistrationView> trunkRegistrations = List.of();

    /** Mutable per-span state behind the published views. */
    private static final class SpanWork {
        final SpanDefinition definition;
        int alarms;
        long alarmsChangedMillis;
        boolean dChannelUp;
        long dChannelChangedMillis;
        Ds1ErrorCounters errors = Ds1ErrorCounters.NONE;
        final boolean[] blocked;
        final String[] faults;
        final ActiveCall[] calls;

        SpanWork(SpanDefinition definition, long now) {
            this.definition = definition;
            this.alarmsChangedMillis = now;
            this.dChannelChangedMillis = now;
            this.blocked = new boolean[definition.bearerChannels().size()];
            this.faults = new String[definition.bearerChannels().size()];
            this.calls = new ActiveCall[definition.bearerChannels().size()];
            this.channelViews = new ChannelView[calls.length];
        }

        int slot(int chanpos) {
            int i = definition.bearerChannels().indexOf(chanpos);
            if (i < 0) {
                throw new IllegalArgumentException("span " + definition.number()
                        + " has no B-channel " + chanpos + " (bearer channels "
                        + definition.bearerChannels() + ")");
            }
            return i;
        }

        /** The channels' views as last published; a call's change rebuilds only its own. */
        final ChannelView[] channelViews;

        /** Every channel's view anew (alarms, D-channel, a whole span blocked: all may change). */
        SpanView view() {
            for (int i = 0; i < calls.length; i++) {
                channelViews[i] = channelView(i);
            }
            return build();
        }

        /**
         * Only channel {@code slot} changed (a call on it started, changed or ended, or it was
         * blocked): the other channels' views are reused, they are immutable. A call's update then
         * costs one ChannelView, not one per channel of the span (docs/BENCHMARKS.md "Per-call cuts").
         */
        SpanView view(int slot) {
            channelViews[slot] = channelView(slot);
            return build();
        }

        private ChannelView channelView(int i) {
            boolean outOfService = !SpanAlarms.inService(alarms) || !dChannelUp;
            ChannelStatus status = faults[i] != null ? ChannelStatus.FAULT
                    : calls[i] != null ? ChannelStatus.BUSY
                    : outOfService ? ChannelStatus.ALARM
                    : blocked[i] ? ChannelStatus.BLOCKED : ChannelStatus.IDLE;
            return new ChannelView(definition.number(), definition.bearerChannels().get(i), status, blocked[i],
                    calls[i], faults[i]);
        }

        private SpanView build() {
            return new SpanView(definition, alarms, alarmsChangedMillis, dChannelUp,
                    dChannelChangedMillis, errors, List.of(channelViews));
        }
    }

    /**
     * @param name gateway name (sysName, console headers)
     * @param clockMillis epoch milliseconds; {@code System::currentTimeMillis} in production
     */
    public GatewayModel(String name, LongSupplier clockMillis) {
        this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
        long now = clockMillis.getAsLong();
        this.snapshot = new GatewaySnapshot(Objects.requireNonNull(name, "name"),
                GatewayState.STARTING, now, now, false, "", List.of());
    }

    /** The current picture; lock-free. */
    public GatewaySnapshot snapshot() {
        return snapshot;
    }

    public CallCounters counters() {
        return counters;
    }

    /** Per-trunk, per-span and per-SIP-status outcomes and RTP histograms; lock-free. */
    public CallOutcomes outcomes() {
        return outcomes;
    }

    /** B-channel octets per span, written by the media agents; lock-free. */
    public SpanOctets spanOctets() {
        return spanOctets;
    }

    /** Where call control reports resources refusing or admitting calls (call control's thread). */
    public OverloadDetector overload() {
        return overload;
    }

    /** Overload control of new INVITEs, read by the console and SNMP (set once at start). */
    public void setInviteAdmission(InviteAdmission a) {
        admission = a;
    }

    public InviteAdmission inviteAdmission() {
        return admission;
    }

    /** The model's clock (epoch ms), for readers that compute durations. */
    public long nowMillis() {
        return clockMillis.getAsLong();
    }

    public void addListener(OpsEventListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(OpsEventListener listener) {
        listeners.remove(listener);
    }

    /**
     * Declares a span (at start-up, before calls). Its D-channel starts down and its alarms at
     * {@link SpanAlarms#NOTOPEN} until the backend reports otherwise.
     */
    public synchronized void addSpan(SpanDefinition definition) {
        for (SpanWork s : spans) {
            if (s.definition.number() == definition.number()) {
                throw new IllegalArgumentException("span " + definition.number()
                        + " declared twice");
            }
        }
        SpanWork work = new SpanWork(definition, clockMillis.getAsLong());
        work.alarms = SpanAlarms.NOTOPEN;
        int at = 0;
        while (at < spans.size() && spans.get(at).definition.number() < definition.number()) {
            at++;
        }
        spans.add(at, work);
        List<SpanView> views = new ArrayList<>(snapshot.spans());
        views.add(at, work.view());
        GatewaySnapshot s = snapshot;
        publish(new GatewaySnapshot(s.name(), s.state(), s.startedMillis(), s.stateChangedMillis(),
                s.overloaded(), s.overloadReason(), List.copyOf(views)));
    }

    /** New DAHDI alarm bits for a span; notifies {@link OpsEvent.SpanAlarmChanged} if changed. */
    public synchronized void setSpanAlarms(int span, int alarms) {
        SpanWork w = work(span);
        int old = w.alarms;
        if (old == alarms) {
            return;
        }
        w.alarms = alarms;
        w.alarmsChangedMillis = clockMillis.getAsLong();
        GatewaySnapshot s = republish(w);
        LOG.info("span {} alarms {} -> {}", span, SpanAlarms.describe(old),
                SpanAlarms.describe(alarms));
        fire(new OpsEvent.SpanAlarmChanged(s, span, old, alarms));
    }

    /** The span's D-channel came up or went down; notifies {@link OpsEvent.DChannelChanged}. */
    public synchronized void setDChannelUp(int span, boolean up) {
        SpanWork w = work(span);
        if (w.dChannelUp == up) {
            return;
        }
        w.dChannelUp = up;
        w.dChannelChangedMillis = clockMillis.getAsLong();
        GatewaySnapshot s = republish(w);
        LOG.info("span {} D-channel {}", span, up ? "up" : "down");
        fire(new OpsEvent.DChannelChanged(s, span, up));
    }

    /** Latest error counters of a span (cumulative, from the backend's span status). */
    public synchronized void setSpanErrors(int span, Ds1ErrorCounters errors) {
        SpanWork w = work(span);
        w.errors = Objects.requireNonNull(errors, "errors");
        republish(w);
    }

    /** Blocks or unblocks one B-channel (drain: a call on it is not touched). */
    public synchronized void setChannelBlocked(int span, int chanpos, boolean blocked) {
        SpanWork w = work(span);
        int i = w.slot(chanpos);
        w.blocked[i] = blocked;
        republish(w, w.view(i));
    }

    /**
     * The gateway took a B-channel out of service after calls in a row failed on it ({@code fault},
     * the last failure) or put it back ({@code fault} null); notifies
     * {@link OpsEvent.ChannelServiceChanged} when that changes.
     */
    public synchronized void setChannelFault(int span, int chanpos, String fault) {
        SpanWork w = work(span);
        int i = w.slot(chanpos);
        boolean was = w.faults[i] != null;
        w.faults[i] = fault;
        GatewaySnapshot s = republish(w, w.view(i));
        if (was != (fault != null)) {
            fire(new OpsEvent.ChannelServiceChanged(s, span, chanpos, fault));
        }
    }

    /** Blocks or unblocks every B-channel of a span. */
    public synchronized void setSpanBlocked(int span, boolean blocked) {
        SpanWork w = work(span);
        Arrays.fill(w.blocked, blocked);
        republish(w);
    }

    /** A call now occupies the channel (replaces a previous one, which is a caller bug: logged). */
    public synchronized void callStarted(int span, int chanpos, ActiveCall call) {
        SpanWork w = work(span);
        int i = w.slot(chanpos);
        if (w.calls[i] != null) {
            LOG.warn("channel {}/{}: call {} started while call {} still shown on it", span,
                    chanpos, call.callId(), w.calls[i].callId());
        }
        w.calls[i] = Objects.requireNonNull(call, "call");
        republish(w, w.view(i));
    }

    /**
     * Replaces the call shown on a channel with an updated copy (answer time, SIP Call-ID, RTP
     * statistics). Ignored, with a debug line, when no call is shown there any more.
     */
    public synchronized void callUpdated(int span, int chanpos, ActiveCall call) {
        SpanWork w = work(span);
        int i = w.slot(chanpos);
        if (w.calls[i] == null) {
            LOG.debug("channel {}/{}: update for call {} after it ended", span, chanpos,
                    call.callId());
            return;
        }
        w.calls[i] = call;
        republish(w, w.view(i));
    }

    /** The channel's call is gone (both legs released); the channel is free again. */
    public synchronized void callEnded(int span, int chanpos) {
        SpanWork w = work(span);
        int i = w.slot(chanpos);
        w.calls[i] = null;
        republish(w, w.view(i));
    }

    /** Life-cycle change; notifies {@link OpsEvent.GatewayStateChanged}. */
    public synchronized void setGatewayState(GatewayState state) {
        GatewaySnapshot s = snapshot;
        if (s.state() == state) {
            return;
        }
        GatewaySnapshot n = new GatewaySnapshot(s.name(), state, s.startedMillis(),
                clockMillis.getAsLong(), s.overloaded(), s.overloadReason(), s.spans());
        publish(n);
        fire(new OpsEvent.GatewayStateChanged(n, state));
    }

    /**
     * Overload began or ended (call admission refusing calls: CPU, media threads, RTP ports);
     * notifies {@link OpsEvent.OverloadChanged}.
     */
    public synchronized void setOverload(boolean overloaded, String reason) {
        GatewaySnapshot s = snapshot;
        String why = overloaded ? Objects.requireNonNullElse(reason, "") : "";
        if (s.overloaded() == overloaded && s.overloadReason().equals(why)) {
            return;
        }
        GatewaySnapshot n = new GatewaySnapshot(s.name(), s.state(), s.startedMillis(),
                s.stateChangedMillis(), overloaded, why, s.spans());
        publish(n);
        LOG.warn("overload {}{}", overloaded ? "began: " : "ended", why);
        fire(new OpsEvent.OverloadChanged(n, overloaded, why));
    }

    /**
     * A trunk's outbound registration changed (any thread: the SIP side's registration thread);
     * replaces that trunk's row or adds it.
     */
    public synchronized void setTrunkRegistration(TrunkRegistrationView view) {
        List<TrunkRegistrationView> rows = new ArrayList<>(trunkRegistrations);
        int i = 0;
        while (i < rows.size() && !rows.get(i).trunk().equals(view.trunk())) {
            i++;
        }
        TrunkRegistrationView old = i < rows.size() ? rows.get(i) : null;
        if (old == null) {
            rows.add(view);
        } else {
            rows.set(i, view);
        }
        trunkRegistrations = List.copyOf(rows);
        if (old == null || old.state() != view.state()) {
            LOG.info("trunk {} registration {} -> {} (last status {})", view.trunk(),
                    old == null ? "-" : old.state().label(), view.state().label(), view.lastStatus());
        }
    }

    /** Every registering trunk's state, lock-free; empty when no trunk has {@code register = yes}. */
    public List<TrunkRegistrationView> trunkRegistrations() {
        return trunkRegistrations;
    }

    private SpanWork work(int span) {
        for (SpanWork s : spans) {
            if (s.definition.number() == span) {
                return s;
            }
        }
        throw new IllegalArgumentException("no span " + span + " declared in the ops model");
    }

    private GatewaySnapshot republish(SpanWork w) {
        return republish(w, w.view());
    }

    /** A new snapshot with span {@code w}'s view replaced by {@code view}. */
    private GatewaySnapshot republish(SpanWork w, SpanView view) {
        GatewaySnapshot s = snapshot;
        SpanView[] views = s.spans().toArray(new SpanView[0]);
        views[spans.indexOf(w)] = view;
        GatewaySnapshot n = new GatewaySnapshot(s.name(), s.state(), s.startedMillis(),
                s.stateChangedMillis(), s.overloaded(), s.overloadReason(), List.of(views));
        publish(n);
        return n;
    }

    private void publish(GatewaySnapshot next) {
        snapshot = next;
    }

    private void fire(OpsEvent event) {
        for (OpsEventListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.error("ops event listener {} failed on {}", l, event.getClass().getSimpleName(),
                        e);
            }
        }
    }
}
