package org.tandem.gateway.app;

import org.tandem.config.OverloadConfig;
import org.tandem.gateway.call.CallControlAgent;
import org.tandem.gateway.ops.ChannelStatus;
import org.tandem.gateway.ops.GatewayModel;
import org.tandem.gateway.ops.GatewaySnapshot;
import org.tandem.gateway.ops.SpanView;
import org.tandem.gateway.security.LoadMonitor;
import org.tandem.gateway.security.OverloadControl;

/**
 * {@code [overload]} wired: the {@link OverloadControl} the SIP side asks for each new INVITE, the
 * {@link LoadMonitor} that feeds it from call control's queue, the CPU and the model's B-channels,
 * and the model's overload state (tgOverloaded, {@code show stats}) while it sheds.
 */
final class OverloadGuard implements AutoCloseable {
    private final OverloadControl control;
    private final LoadMonitor monitor;

    private OverloadGuard(OverloadControl control, LoadMonitor monitor) {
        this.control = control;
        this.monitor = monitor;
    }

    /** Started, or null when {@code [overload] enabled = no}. */
    static OverloadGuard start(OverloadConfig c, CallControlAgent agent, GatewayModel model) {
        if (!c.enabled()) {
            return null;
        }
        OverloadControl control = new OverloadControl(new OverloadControl.Thresholds(c.queueLatencyMs(),
                c.queueDepth(), c.cpuPercent(), c.channelsBusyPercent(), c.leavePercent()), c.retryAfterS());
        model.setInviteAdmission(control);
        LoadMonitor monitor = new LoadMonitor(control, agent, agent::queueDepth, () -> busyPercent(model),
                () -> model.overload().shedding(control.reductionPercent() == 0 ? null : control.reason()));
        monitor.start();
        return new OverloadGuard(control, monitor);
    }

    private static int busyPercent(GatewayModel model) {
        GatewaySnapshot s = model.snapshot();
        int busy = 0;
        int all = 0;
        for (SpanView span : s.spans()) {
            busy += span.count(ChannelStatus.BUSY);
            all += span.channels().size();
        }
        return all == 0 ? 0 : (int) Math.round(100.0 * busy / all);
    }

    OverloadControl control() {
        return control;
    }

    @Override
    public void close() {
        monitor.close();
    }
}
