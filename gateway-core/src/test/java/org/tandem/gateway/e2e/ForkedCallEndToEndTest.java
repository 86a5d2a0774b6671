package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.pri.ChannelId;
import org.tandem.pri.PriCall;

/**
 * A PSTN call routed to a trunk that forks it (RFC 3261 13.2.2.4), through the running gateway:
 * sipp as a forking proxy sends two 180 with different To tags and two 200s. The first 200 is the
 * call (the exchange sees CONNECT once, one CDR, ANSWERED); the second gets ACK and BYE (sipp
 * checks both by To tag); the exchange's hang-up BYEs the first fork.
 */
class ForkedCallEndToEndTest extends AbstractEndToEndTest {
    ForkedCallEndToEndTest() {
        super(Gateway.Options.defaults());
    }

    @Test
    void shouldConnectTheFirstForkAndEndTheSecondOnAPstnCall() throws Exception {
        SippRunner.Sipp trunk = gw.trunkUas(SippRunner.resource("/sip/uas-fork-two-answers.xml"), rtp.port()).start();
        Thread.sleep(300); // sipp binds its port
        PriCall call = gw.gateway.exchange(1).originate("5550100", "300", ChannelId.ANY);
        assertNotNull(call);
        // The second fork's 200 follows our ACK of the first within milliseconds; the scenario
        // wants its ACK and BYE before the first fork's BYE, so the exchange hangs up a little
        // later (a wait, not an assertion on time).
        Thread.sleep(2000);
        call.hangup(16);
        SippRunner.Result r = trunk.await();
        assertTrue(r.succeeded(), "ACK + BYE to fork2, BYE to fork1, checked by sipp: " + r);
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("300"), 5_000);
        assertNotNull(cdr);
        assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION], String.join(",", cdr));
        List<String[]> all = gw.cdrs().stream().filter(c -> c[E2eGateway.CALLED_IN].equals("300")).toList();
        assertEquals(1, all.size(), "one call, one CDR, whatever the forks did");
        assertTrue(gw.awaitIdle(5_000));
    }
}
