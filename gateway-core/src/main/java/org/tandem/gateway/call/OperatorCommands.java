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
import org.tandem.config.TrunkConfig;
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
    private volatile CallControl.SimControls sim;

    OperatorCommands(CallRegistry calls, ActiveConfig config, OpsModelReporter ops, CallRelease release,
            Supplier<Optional<GatewayConfig>> reloader) {
        this.calls = calls;
        this.agent = calls.agent();
        this.config = config;
        this.ops = ops;
        this.release = release;
        this.reloader = reloader;
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
        for (ChannelTable.Channel ch : chans) {
            table.setBlocked(ch, blocked);
            if (ch.occupant() != null) {
                busy++;
            }
            ops.channelBlocked(ch, blocked);
        }
        String what = target.wholeSpan() ? "span " + target.span() + ": " + chans.size() + " channels"
                : "channel " + target;
        LOG.info("operator {} {}", blocked ? "blocked" : "unblocked", what);
        return what + (blocked ? " blocked" + (busy > 0 ? ", " + busy + " call(s) draining" : "") : " unblocked");
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
            List<String> applied = new ArrayList<>();
            List<String> restart = new ArrayList<>();
            config.apply(n);
            applied.add("routes: " + n.routes().size() + " (calls in progress keep their route)");
            applied.add("trunks: " + n.trunks().keySet() + " as outbound targets");
            applied.add("cause maps: " + n.causeMaps().keySet());
            if (!n.spans().equals(old.spans()) || !n.groups().equals(old.groups())) {
                restart.add("spans and channel groups");
            }
            if (!n.sip().equals(old.sip())) {
                restart.add("[sip]");
            }
            if (!n.rtp().equals(old.rtp())) {
                restart.add("[rtp]");
            }
            if (!n.presence().equals(old.presence())) {
                restart.add("[presence]"); // the presence thread keeps its start-up limits and expiry bounds
            }
            if (!n.overload().equals(old.overload())) {
                restart.add("[overload]"); // the load monitor keeps its start-up thresholds
            }
            for (TrunkConfig t : n.trunks().values()) {
                TrunkConfig was = old.trunks().get(t.name());
                if (was == null || !was.trusted().equals(t.trusted())) {
                    restart.add("trusted addresses of trunk " + t.name() + " (the SIP side's toll-fraud check)");
                }
                if (was == null || !was.host().equals(t.host()) || was.port() != t.port()) {
                    // redirects/max_redirects apply to new calls at once (they come with the trunk);
                    // which hosts a 3xx may lead to is the SIP side's list, read at start.
                    restart.add("host of trunk " + t.name() + " as a target 3xx may be followed to");
                }
                boolean tls = t.transport() == org.tandem.config.SipConfig.Transport.TLS;
                if (tls && (was == null || was.transport() != t.transport() || was.tlsVerify() != t.tlsVerify()
                        || !java.util.Objects.equals(was.tlsServerName(), t.tlsServerName())
                        || !was.host().equals(t.host()) || was.port() != t.port())) {
                    // The TLS layer's per-peer checks (name, verify or not) are made at start.
                    restart.add("TLS certificate checks of trunk " + t.name() + " (tls_verify, tls_server_name, host)");
                }
                if (was == null ? t.register() : t.register() != was.register()
                        || t.register() && (t.registerExpiresS() != was.registerExpiresS()
                        || !t.host().equals(was.host()) || t.port() != was.port()
                        || !java.util.Objects.equals(t.username(), was.username()))) {
                    restart.add("registration of trunk " + t.name() + " (registers with what it started with)");
                }
            }
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
