package org.tandem.gateway.app;

import java.util.ArrayList;
import org.tandem.gateway.call.CallControl;
import org.tandem.gateway.ops.GatewayModel;
import org.tandem.gateway.ops.GatewayState;
import org.tandem.gateway.registrar.RegistrarService;
import org.tandem.gateway.sip.SipUserAgent;

/**
 * Wires what a reload and a drain change outside call control: the SIP side's trunks (trusted
 * sources, PRACK policy, 3xx targets) and the registrar's users on {@code tandem ctl reload} or
 * SIGHUP; the SIP side's 503s and tgGatewayState on {@code tandem ctl drain} / {@code undrain}.
 * Call control itself replaces its routes, trunk targets and cause maps (docs/OPERATIONS.md).
 */
final class LiveReload {
    private LiveReload() {
    }

    static void wire(CallControl control, SipUserAgent sip, RegistrarService registrar, GatewayModel model) {
        control.addReloadListener("SIP trunks",
                next -> sip.updateTrunks(new ArrayList<>(CallControl.sipTrunks(next).values())));
        if (registrar != null) {
            control.addReloadListener("registrar users", registrar::reloadUsers);
        }
        control.addDrainListener(on -> {
            sip.setDraining(on);
            GatewayState s = model.snapshot().state();
            if (s == GatewayState.RUNNING || s == GatewayState.DRAINING) { // not while starting or stopping
                model.setGatewayState(on ? GatewayState.DRAINING : GatewayState.RUNNING);
            }
        });
    }
}
