package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.ctl.CtlCommands;
import org.tandem.gateway.ops.TrunkRegistrationView;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.gateway.snmp.NetSnmp;

/**
 * The gateway registers with two trunks whose registrars are sipp on loopback: {@code local}
 * challenges and then accepts (and must see the un-REGISTER at shutdown), {@code carrier} refuses
 * with 403. Neither trunk trusts the address the calls come from, so the trunk's INVITE to our
 * registered Contact reaches the PSTN by the registration alone, and an INVITE to any other
 * Request-URI user gets 403. The console and SNMP show both registrations.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrunkRegistrationEndToEndTest {
    private static final String COMMUNITY = "trunk-reg-e2e";
    private final int snmpPort = SippRunner.freePort();
    private SippRunner.Sipp registrar;
    private SippRunner.Sipp refusing;
    private E2eGateway gw;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(SippRunner.available(), "sipp is not installed (bin/setup-debian installs it)");
        registrar = SippRunner.scenario(Scenarios.file("trunk-registrar.xml")).timeoutSeconds(150).start();
        refusing = SippRunner.scenario(SippRunner.resource("/sip/registrar-403.xml")).start();
        gw = E2eGateway.start(Gateway.Options.defaults(),
                "trunk.local.port=" + registrar.localPort(), "trunk.local.register=yes",
                "trunk.local.username=gw", "trunk.local.password=s3cret",
                "trunk.local.trusted=127.0.0.2/32", // not the source of the calls below
                "trunk.carrier.host=127.0.0.1", "trunk.carrier.port=" + refusing.localPort(),
                "trunk.carrier.register=yes", "trunk.carrier.username=gw2", "trunk.carrier.password=other",
                "trunk.carrier.trusted=127.0.0.3/32",
                "snmp.listen=127.0.0.1:" + snmpPort, "snmp.community=" + COMMUNITY);
        assertTrue(gw.awaitSpansUp(10_000), "D-channels did not come up");
    }

    @AfterAll
    void stop() {
        if (gw != null) {
            gw.close();
        }
        if (registrar != null) {
            registrar.await();
        }
        if (refusing != null) {
            refusing.await();
        }
    }

    private TrunkRegistrationView await(String trunk, Predicate<TrunkRegistrationView> p, long timeoutMs)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        do {
            for (TrunkRegistrationView v : gw.gateway.model().trunkRegistrations()) {
                if (v.trunk().equals(trunk) && p.test(v)) {
                    return v;
                }
            }
            Thread.sleep(50);
        } while (System.nanoTime() - deadline < 0);
        return null;
    }

    @Test
    @Order(1)
    void shouldRegisterThroughTheChallengeAndShowBothTrunksInTheConsole() throws Exception {
        TrunkRegistrationView local = await("local", v -> v.state() == TrunkRegistrationView.State.REGISTERED,
                10_000);
        assertNotNull(local, () -> "local not registered: " + gw.gateway.model().trunkRegistrations());
        assertEquals(200, local.lastStatus());
        assertEquals("sip:gw@127.0.0.1", local.aor());
        TrunkRegistrationView carrier = await("carrier", v -> v.state() == TrunkRegistrationView.State.FAILED,
                10_000);
        assertNotNull(carrier, () -> "carrier not failed: " + gw.gateway.model().trunkRegistrations());
        assertEquals(403, carrier.lastStatus());
        assertTrue(carrier.nextAttemptMillis() > 0, carrier::toString);

        CtlCommands ctl = new CtlCommands(gw.gateway.model(), gw.gateway.control());
        CtlCommands.Response text = ctl.execute(List.of("show", "trunks"), false);
        assertTrue(text.ok(), text.body());
        String[] lines = text.body().split("\n");
        assertTrue(lines[0].startsWith("TRUNK"), text.body());
        assertTrue(text.body().lines().anyMatch(l -> l.startsWith("local ") && l.contains("sip:gw@127.0.0.1")
                && l.contains(" registered ") && l.contains(" 200 ")), text.body());
        assertTrue(text.body().lines().anyMatch(l -> l.startsWith("carrier ") && l.contains(" failed ")
                && l.contains(" 403 ")), text.body());
        CtlCommands.Response json = ctl.execute(List.of("show", "trunks"), true);
        assertTrue(json.body().contains("\"state\":\"failed\"") && json.body().contains("\"lastStatus\":403"),
                json.body());
    }

    @Test
    @Order(2)
    void shouldShowTheRegistrationsInTgTrunkTable() throws Exception {
        Path ietf = NetSnmp.baseMibDir();
        assumeTrue(ietf != null, "no IETF base MIBs (bin/setup-debian installs erlang-snmp)");
        NetSnmp.Result walk = NetSnmp.run(List.of("snmpwalk", "-v2c", "-c", COMMUNITY, "-M",
                "+" + NetSnmp.REPO_MIBS + ":" + ietf, "-m", "TANDEM-GATEWAY-MIB", "udp:127.0.0.1:" + snmpPort,
                "TANDEM-GATEWAY-MIB::tgTrunkTable"));
        assertEquals(0, walk.exit(), walk.err());
        String out = walk.out();
        assertTrue(out.contains("TANDEM-GATEWAY-MIB::tgTrunkName.1 = STRING: local"), out);
        assertTrue(out.contains("TANDEM-GATEWAY-MIB::tgTrunkRegState.1 = INTEGER: registered(3)"), out);
        assertTrue(out.contains("TANDEM-GATEWAY-MIB::tgTrunkRegLastStatus.1 = Gauge32: 200"), out);
        assertTrue(out.contains("TANDEM-GATEWAY-MIB::tgTrunkName.2 = STRING: carrier"), out);
        assertTrue(out.contains("TANDEM-GATEWAY-MIB::tgTrunkRegState.2 = INTEGER: failed(4)"), out);
        assertTrue(out.contains("TANDEM-GATEWAY-MIB::tgTrunkRegLastStatus.2 = Gauge32: 403"), out);
        assertTrue(out.contains("TANDEM-GATEWAY-MIB::tgTrunkRegFailures.2 = Gauge32: 1"), out);
    }

    @Test
    @Order(3)
    void shouldCarryTheTrunksCallToTheRegisteredContactAndRefuseOthersFromTheSameAddress() throws Exception {
        // Request-URI sip:gw@ (our registered Contact), the number in To: the milliwatt line answers.
        SippRunner.Result call = SippRunner.scenario(SippRunner.resource("/sip/trunk-invite.xml"))
                .to(SippRunner.LOOPBACK, gw.sipPort).option("-s", "gw", "-key", "called", "1004").run();
        assertTrue(call.succeeded(), call.toString());
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("1004"), 5_000);
        assertNotNull(cdr, "no CDR for the trunk's call");
        // the same source, any other Request-URI: not the trunk's (trusted lists 127.0.0.2 only), 403
        SippRunner.Result other = SippRunner.scenario(SippRunner.resource("/sip/rejected-invite.xml"))
                .to(SippRunner.LOOPBACK, gw.sipPort).option("-s", "1004", "-key", "reason", "Forbidden").run();
        assertTrue(other.succeeded(), other.toString());
        assertTrue(gw.awaitIdle(5_000));
    }

    @Test
    @Order(4)
    void shouldUnregisterOnShutdown() throws Exception {
        gw.close();
        SippRunner.Result r = registrar.await(); // its last step: the REGISTER with Expires: 0
        registrar = null;
        assertTrue(r.succeeded(), r.toString());
        TrunkRegistrationView local = await("local", v -> v.state() == TrunkRegistrationView.State.UNREGISTERED,
                1_000);
        assertNotNull(local, () -> gw.gateway.model().trunkRegistrations().toString());
        gw = null;
    }
}
