package org.tandem.gateway.app;

import java.util.ArrayList;
import java.util.List;
import org.tandem.config.GatewayConfig;
import org.tandem.config.TrunkConfig;
import org.tandem.gateway.ops.GatewayModel;
import org.tandem.gateway.ops.TrunkRegistrationView;
import org.tandem.gateway.sip.SipUserAgent;
import org.tandem.gateway.sip.TrunkRegistrationStatus;
import org.tandem.gateway.sip.TrunkRegistrations;

/**
 * Wires outbound registration: the {@code [trunk]}s with {@code register = yes} become
 * {@link TrunkRegistrations.Target}s of the SIP side, whose state changes land in the ops model
 * (console {@code show trunks}, SNMP tgTrunkTable). The un-REGISTER on shutdown is the SIP
 * side's ({@link SipUserAgent#close}).
 */
final class TrunkRegistering {
    private TrunkRegistering() {
    }

    /** Starts registering every trunk that asks for it; does nothing when none does. */
    static void start(SipUserAgent sip, GatewayConfig config, GatewayModel model) {
        List<TrunkRegistrations.Target> targets = targets(config);
        if (!targets.isEmpty()) {
            sip.registerTrunks(targets, s -> model.setTrunkRegistration(view(s)));
        }
    }

    static List<TrunkRegistrations.Target> targets(GatewayConfig config) {
        List<TrunkRegistrations.Target> out = new ArrayList<>();
        for (TrunkConfig t : config.trunks().values()) {
            if (t.register()) { // CrossChecks made sure username and password are set
                out.add(new TrunkRegistrations.Target(t.name(), t.host(), t.port(), t.transport().token(),
                        t.username(), t.password().value(), t.registerExpiresS()));
            }
        }
        return out;
    }

    static TrunkRegistrationView view(TrunkRegistrationStatus s) {
        return new TrunkRegistrationView(s.trunk(), s.aor(), s.registrar(),
                TrunkRegistrationView.State.valueOf(s.state().name()), s.lastStatus(), s.expiresAtMillis(),
                s.nextAttemptMillis(), s.failures());
    }
}
