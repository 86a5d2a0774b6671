package org.tandem.gateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.ctl.CtlCommands;

class TrunkRegistrationRowsTest {
    private static TrunkRegistrationView row(String trunk, TrunkRegistrationView.State state, int status) {
        return new TrunkRegistrationView(trunk, "sip:u@" + trunk, trunk + ":5060/udp", state, status, 0, 0, 0);
    }

    @Test
    void shouldReplaceATrunksRowInPlaceAndKeepTheFirstReportedOrder() {
        GatewayModel m = new GatewayModel("gw", () -> 1_000);
        m.setTrunkRegistration(row("a", TrunkRegistrationView.State.REGISTERING, 0));
        m.setTrunkRegistration(row("b", TrunkRegistrationView.State.REGISTERING, 0));
        m.setTrunkRegistration(row("a", TrunkRegistrationView.State.REGISTERED, 200));
        assertEquals(List.of(row("a", TrunkRegistrationView.State.REGISTERED, 200),
                row("b", TrunkRegistrationView.State.REGISTERING, 0)), m.trunkRegistrations());
    }

    @Test
    void shouldRoundSecondsUpAndShowZeroForUnsetOrPast() {
        assertEquals(0, TrunkRegistrationView.secondsUntil(0, 5_000));
        assertEquals(0, TrunkRegistrationView.secondsUntil(4_000, 5_000));
        assertEquals(1, TrunkRegistrationView.secondsUntil(5_001, 5_000));
        assertEquals(1800, TrunkRegistrationView.secondsUntil(1_805_000, 5_000));
    }

    @Test
    void shouldSaySoWhenNoTrunkRegisters() {
        CtlCommands ctl = new CtlCommands(new GatewayModel("gw", () -> 0), null);
        CtlCommands.Response r = ctl.execute(List.of("show", "trunks"), false);
        assertTrue(r.ok());
        assertEquals("no trunk registers (register = yes in a [trunk])\n", r.body());
        assertEquals("[]", ctl.execute(List.of("show", "trunks"), true).body().trim());
    }
}
