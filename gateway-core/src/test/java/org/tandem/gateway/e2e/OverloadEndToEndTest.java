package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.ops.InviteAdmission;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.gateway.snmp.NetSnmp;

/**
 * Overload control of new INVITEs (docs/SECURITY.md "Overload control") against the real gateway
 * with sipp: a deliberately low threshold ({@code channels_busy_percent = 1}: one call on the 60
 * B-channels of the shipped configuration is past it; the other measures off, so the machine's
 * load cannot decide the outcome) and a flood of new INVITEs from sipp while one call is up.
 * Every INVITE of the flood gets 503 with Retry-After and RFC 7339 feedback in its Via; OPTIONS
 * gets 200 meanwhile; the call up is not disturbed (its audio keeps coming, its BYE is answered);
 * once it has ended the gateway accepts calls again. Behaviour, not timing: waits are bounded polls.
 */
class OverloadEndToEndTest extends AbstractEndToEndTest {
    /** tgGateway.10.0 tgInvitesShedPercent, tgGateway.11.0 tgInvitesShed (TANDEM-GATEWAY-MIB). */
    private static final String SHED_PERCENT = ".1.3.6.1.4.1.99999.2.1.1.10.0";
    private static final String SHED = ".1.3.6.1.4.1.99999.2.1.1.11.0";
    private static final int SNMP_PORT = SippRunner.freePort();

    OverloadEndToEndTest() {
        super(Gateway.Options.defaults(), "snmp.listen=127.0.0.1:" + SNMP_PORT, "overload.enabled=yes",
                "overload.channels_busy_percent=1", "overload.queue_latency_ms=0",
                "overload.queue_depth=0", "overload.cpu_percent=0", "overload.retry_after_s=7");
    }

    @Test
    void shouldShedNewInvitesPastTheThresholdButServeOptionsAndTheCallUp() throws Exception {
        InviteAdmission shed = gw.gateway.model().inviteAdmission();
        assertEquals(0, shed.reductionPercent(), "nothing shed on an idle gateway");

        // the call that stays up through the flood: the milliwatt line sends audio all along
        SippRunner.Sipp up = gw.uac(Scenarios.file("call.xml"), "1004", rtp.port()).option("-d", "9000")
                .timeoutSeconds(40).start();
        assertTrue(await(() -> shed.reductionPercent() == 100, 15_000),
                "one busy channel of 60 is past 1%: every new INVITE is shed");
        // the model is written on call control, just after the share changes
        assertTrue(await(() -> gw.gateway.model().snapshot().overloaded(), 5_000), "the model (tgOverloaded) says so");
        assertTrue(gw.gateway.model().snapshot().overloadReason().contains("B-channels busy"),
                gw.gateway.model().snapshot().overloadReason());
        int audioBefore = audioBytes();

        // the flood: 60 new INVITEs at 30/s, each answered 503 + Retry-After: 7 + oc=100 in Via
        SippRunner.Sipp flood = SippRunner.scenario(Scenarios.fill("shed.xml", Map.of("RETRY", "7")))
                .to(SippRunner.LOOPBACK, gw.sipPort).option("-s", "1004", "-key", "rtpport",
                        Integer.toString(rtp.port()), "-r", "30").calls(60).timeoutSeconds(30).start();
        for (int i = 0; i < 5; i++) {
            assertTrue(SipProbe.udpOptions(gw.sipPort).startsWith("SIP/2.0 200"), "OPTIONS answered during the flood");
            Thread.sleep(200);
        }
        SippRunner.Result f = flood.await();
        assertTrue(f.succeeded() && f.successfulCalls() == 60, "every INVITE of the flood shed with 503:\n" + f);
        assertTrue(shed.rejected() >= 60, "counted: " + shed.rejected());
        assertTrue(audioBytes() > audioBefore, "the call's audio kept flowing during the flood");
        NetSnmp.Result snmp = NetSnmp.run(NetSnmp.v2c("snmpwalk", "public", SNMP_PORT, ".1.3.6.1.4.1.99999.2.1.1"));
        assertTrue(snmp.out().contains(SHED_PERCENT + " = Gauge32: 100"), snmp.out() + snmp.err());
        java.util.regex.Matcher counted = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(SHED)
                + " = Counter64: (\\d+)").matcher(snmp.out());
        assertTrue(counted.find() && Long.parseLong(counted.group(1)) >= 60, snmp.out() + snmp.err());
        NetSnmp.Result get = NetSnmp.run(NetSnmp.v2c("snmpget", "public", SNMP_PORT, SHED, SHED_PERCENT));
        assertTrue(get.out().contains(SHED + " = Counter64: ") && get.out().contains(SHED_PERCENT + " = Gauge32: "),
                get.out() + get.err());

        // the call up was not disturbed: its audio kept coming and it ends normally
        SippRunner.Result call = up.await();
        assertTrue(call.succeeded(), "the call up through the flood ends with its BYE answered:\n" + call);

        // calm again: the share falls to 0 and a new call is accepted
        assertTrue(gw.awaitIdle(10_000), "the call's channel and ports are free");
        assertTrue(await(() -> shed.reductionPercent() == 0, 10_000), "shedding ends once the channels are free");
        assertTrue(await(() -> !gw.gateway.model().snapshot().overloaded(), 5_000), "tgOverloaded false again");
        SippRunner.Result after = gw.uac(Scenarios.file("call.xml"), "1004", rtp.port()).option("-d", "500").run();
        assertTrue(after.succeeded(), "a new call is accepted after the flood:\n" + after);
    }

    private int audioBytes() {
        return rtp.streams().values().stream().mapToInt(s -> s.bytes().length).sum();
    }

    private static boolean await(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }
}
