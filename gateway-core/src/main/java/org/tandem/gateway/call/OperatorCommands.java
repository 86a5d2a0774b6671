package org.tandem.gateway.call;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.config.GatewayConfig;
import org.tandem.gateway.interwork.Q850Cause;
import org.tandem.gateway.ops.ChannelRef;
import org.tandem.gateway.ops.ControlException;
import org.tandem.gateway.ops.GatewayControl;

/**
 * The operator's console commands ({@code tandem ctl}): block and unblock channels or spans,
 * hang up a call, reload the configuration, and the simulated backend's originate and alarm.
 * Called on the console's threads; each command is queued to the {@link CallControlAgent} thread
 * and runs there, and its stage completes with a one-line result or a {@link ControlException}
 * saying why it was refused. {@link CallControl} implements {@link GatewayControl} by delegating
 * here.
 */
final class OperatorCommands implements GatewayControl {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorCommands.class);

    private final CallRegistry calls;
    private final CallControlAgent agent;
    private final ActiveConfig config;
    private final OpsModelReporter ops;
    private final CallRelease release;
    private final Supplier<Optional<GatewayConfig>> reloader;
    private final ChannelFaults faults;
    private volatile CallControl.SimControls sim;
    /** Whether the registrar thread runs (users at start): decides whether users reload live. */
    private final boolean registrarRuns;
    /** What the gateway started with: the sockets, spans and threads still run on it. */
    private final GatewayConfig startConfig;
    private final List<ReloadListener> reloadListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<Boolean>> drainListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Drained by the operator ({@code tandem ctl drain}); agent thread. */
    private boolean drained;

    /** Something outside call control a reload changes (the SIP side's trunks, the registrar's users). */
    interface ReloadListener {
        /** Applies the re-read configuration; on the agent thread, so it only hands it over. */
        void apply(GatewayConfig next);
    }

    OperatorCommands(CallRegistry calls, ActiveConfig config, OpsModelReporter ops, CallRelease release,
            Supplier<Optional<GatewayConfig>> reloader, ChannelFaults faults) {
        this.calls = calls;
        this.agent = calls.agent();
        this.config = config;
        this.ops = ops;
        this.release = release;
        this.reloader = reloader;
        this.faults = faults;
        this.startConfig = config.config();
        this.registrarRuns = !startConfig.users().isEmpty();
    }

    void addReloadListener(ReloadListener l) {
        reloadListeners.add(l);
    }

    void addDrainListener(java.util.function.Consumer<Boolean> l) {
        drainListeners.add(l);
    }

    @Override
    public CompletionStage<String> drain() {
        return onAgent(() -> setDrained(true));
    }

    @Override
    public CompletionStage<String> undrain() {
        return onAgent(() -> setDrained(false));
    }

    /**
     * Drain of the whole gateway: no new call in either direction (SIP INVITE and OPTIONS 503 with
     * Retry-After at the SIP side, a PSTN SETUP released with cause 34 so the exchange hunts
     * another route), calls in progress go on to their end.
     */
    private String setDrained(boolean on) {
        boolean was = drained;
        drained = on;
        calls.setRefusingNewCalls(on);
        for (java.util.function.Consumer<Boolean> l : drainListeners) {
            l.accept(on);
        }
        int live = calls.callCount();
        if (was != on) {
            LOG.info("operator {} the gateway ({} call(s) in progress)", on ? "drained" : "undrained", live);
        }
        return on ? "draining: new calls refused (SIP 503 with Retry-After, PSTN cause 34), " + live
                + " call(s) in progress continue" : "drain lifted: accepting new calls (" + live + " in progress)";
    }

    /** Set once before start (null with real cards). */
    void setSimControls(CallControl.SimControls controls) {
        this.sim = controls;
    }

    @Override
    public CompletionStage<String> block(ChannelRef target) {
        return onAgent(() -> setBlocked(target, true));
    }

    @Override
    public CompletionStage<String> unblock(ChannelRef target) {
        return onAgent(() -> setBlocked(target, false));
    }

    private String setBlocked(ChannelRef target, boolean blocked) throws ControlException {
        ChannelTable table = calls.table();
        List<ChannelTable.Channel> chans = new ArrayList<>();
        if (target.wholeSpan()) {
            chans.addAll(table.spanChannels(target.span()));
        } else {
            ChannelTable.Channel ch = table.channel(target.span(), target.chanpos());
            if (ch != null) {
                chans.add(ch);
            }
        }
        if (chans.isEmpty()) {
            throw new ControlException("no B-channel " + target + " (spans " + calls.spanNumbers() + ")");
        }
        int busy = 0;
        int faulty = 0;
        for (ChannelTable.Channel ch : chans) {
            if (!blocked && faults.clear(ch)) {
                faulty++;
            }
            table.setBlocked(ch, blocked);
            if (ch.occupant() != null) {
                busy++;
            }
            ops.channelBlocked(ch, blocked);
        }
        String what = target.wholeSpan() ? "span " + target.span() + ": " + chans.size() + " channels"
                : "channel " + target;
        LOG.info("operator {} {}", blocked ? "blocked" : "unblocked", what);
        return what + (blocked ? " blocked" + (busy > 0 ? ", " + busy + " call(s) draining" : "")
                : " unblocked" + (faulty > 0 ? ", " + faulty + " of them back in service (out for repeated failures)" : ""));
    }

    @Override
    public CompletionStage<String> hangup(String callId) {
        return onAgent(() -> {
            Call c = calls.call(callId);
            if (c == null || !c.isLive()) {
                throw new ControlException("no call " + callId + " in progress");
            }
            release.startRelease(c, Q850Cause.NORMAL_CLEARING, "gateway");
            return "call " + callId + " released (cause 16)";
        });
    }

    @Override
    public CompletionStage<ReloadReport> reload() {
        CompletableFuture<ReloadReport> f = new CompletableFuture<>();
        agent.execute(() -> {
            Optional<GatewayConfig> next;
            try {
                next = reloader.get();
            } catch (RuntimeException e) {
                f.completeExceptionally(new ControlException("reload failed: " + e.getMessage()));
                return;
            }
            if (next.isEmpty()) {
                f.completeExceptionally(new ControlException(
                        "the configuration has errors (see the log or run check-config); nothing changed"));
                return;
            }
            GatewayConfig n = next.get();
            GatewayConfig old = config.config(); // before apply replaces it, or no difference shows
            ReloadPlan plan = ReloadPlan.of(startConfig, old, n, registrarRuns);
            List<String> applied = new ArrayList<>(plan.applied());
            List<String> restart = new ArrayList<>(plan.needsRestart());
            config.apply(n);
            for (ReloadListener l : reloadListeners) {
                try {
                    l.apply(n);
                } catch (RuntimeException e) {
                    LOG.error("reload: {} failed: {}", l, e.toString(), e);
                    restart.add(l + " not applied (" + e.getMessage() + ")");
                }
            }
            LOG.info("configuration reloaded: {}{}", String.join("; ", applied),
                    restart.isEmpty() ? "" : "; needs a restart: " + String.join("; ", restart));
            f.complete(new ReloadReport(applied, restart));
        });
        return f;
    }

    @Override
    public CompletionStage<String> simOriginate(String from, String to) {
        return onAgent(() -> {
            CallControl.SimControls s = sim;
            if (s == null) {
                throw new ControlException("sim originate needs the simulated backend (backend = sim)");
            }
            return s.originate(from, to);
        });
    }

    @Override
    public CompletionStage<String> simAlarm(int span, boolean red) {
        return onAgent(() -> {
            CallControl.SimControls s = sim;
            if (s == null) {
                throw new ControlException("sim alarm needs the simulated backend (backend = sim)");
            }
            s.alarm(span, red);
            return "span " + span + (red ? ": red alarm raised" : ": alarms cleared");
        });
    }

    @Override
    public CompletionStage<String> simBreak(ChannelRef channel, boolean broken) {
        return onAgent(() -> {
            CallControl.SimControls s = sim;
            if (s == null) {
                throw new ControlException("sim " + (broken ? "break" : "repair")
                        + " needs the simulated backend (backend = sim)");
            }
            if (calls.table().channel(channel.span(), channel.chanpos()) == null) {
                throw new ControlException("no B-channel " + channel + " (spans " + calls.spanNumbers() + ")");
            }
            s.breakChannel(channel.span(), channel.chanpos(), broken);
            return "channel " + channel + (broken ? " broken: its per-call set-up fails (I/O error)" : " repaired");
        });
    }

    @FunctionalInterface
    private interface ControlAction<T> {
        T run() throws ControlException;
    }

    /** Runs a command on the agent thread; its stage completes there, with the result or the refusal. */
    private <T> CompletionStage<T> onAgent(ControlAction<T> action) {
        CompletableFuture<T> f = new CompletableFuture<>();
        agent.execute(() -> {
            try {
                f.complete(action.run());
            } catch (ControlException | RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }
}
