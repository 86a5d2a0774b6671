package org.tandem.gateway.snmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.gateway.ops.CallDirection;
import org.tandem.gateway.ops.GatewayModel;
import org.tandem.gateway.ops.TestModels;
import org.tandem.tdm.SpanAlarms;
import org.tandem.testing.net.FreePorts;

/**
 * The agent as an NMS sees it: net-snmp's snmpget/snmpwalk against it on loopback, and
 * snmptrapd (started here on a free port) receiving its notifications.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnmpAgentNetSnmpTest {
    private static final String COMMUNITY = "n0t-public";
    private static final String USER = "nms";
    private static final String AUTH = "auth-pass-1";
    private static final String PRIV = "priv-pass-1";

    @TempDir
    static Path tmp;

    private final AtomicLong clock = new AtomicLong(TestModels.T0);
    private GatewayModel model;
    private TandemSnmpAgent agent;
    private Process trapd;
    private Path trapLog;
    private int port;

    @BeforeAll
    void start() throws Exception {
        int trapPort = FreePorts.udpPort();
        Path conf = tmp.resolve("snmptrapd.conf");
        Files.writeString(conf, "disableAuthorization yes\n");
        trapLog = tmp.resolve("traps.log");
        trapd = new ProcessBuilder("snmptrapd", "-f", "-n", "-C", "-c", conf.toString(), "-On",
                "-m", "", "-Lf", trapLog.toString(), "udp:127.0.0.1:" + trapPort)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("snmptrapd.out").toFile())
                .start();
        awaitLog("NET-SNMP version");

        model = TestModels.twoSpansWithCalls(clock);
        model.counters().completed(CallDirection.SIP_TO_PSTN, false, 17);
        agent = new TandemSnmpAgent(new SnmpAgentSettings("127.0.0.1", 0, COMMUNITY,
                List.of(new SnmpAgentSettings.User(USER, SnmpAgentSettings.Auth.SHA256, AUTH,
                        PRIV)),
                List.of(new SnmpAgentSettings.TrapTarget("127.0.0.1", trapPort, "traps", null)),
                "gw-test", "noc@example.net", "rack 7", tmp.resolve("engine-boots")), model,
                "0.1-test");
        agent.start();
        port = agent.listenAddress().getPort();
        awaitLog(".1.3.6.1.6.3.1.1.5.1"); // coldStart
    }

    @AfterAll
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (trapd != null) {
            trapd.destroy();
            trapd.waitFor();
        }
    }

    private String awaitLog(String text) throws IOException, InterruptedException {
        for (int i = 0; i < 500; i++) {
            if (Files.exists(trapLog)) {
                String log = Files.readString(trapLog);
                if (log.contains(text)) {
                    return log;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("snmptrapd never logged '" + text + "'; log: "
                + (Files.exists(trapLog) ? Files.readString(trapLog) : "(none)") + "; output: "
                + Files.readString(tmp.resolve("snmptrapd.out")));
    }

    private NetSnmp.Result get(String... oids) throws Exception {
        return NetSnmp.run(NetSnmp.v2c("snmpget", COMMUNITY, port, oids));
    }

    private NetSnmp.Result walk(String oid) throws Exception {
        return NetSnmp.run(NetSnmp.v2c("snmpbulkwalk", COMMUNITY, port, oid));
    }

    @Test
    void shouldAnswerTheSystemGroupWithTheTandemSysObjectId() throws Exception {
        NetSnmp.Result r = get(".1.3.6.1.2.1.1.2.0", ".1.3.6.1.2.1.1.5.0", ".1.3.6.1.2.1.1.4.0",
                ".1.3.6.1.2.1.1.6.0", ".1.3.6.1.2.1.1.7.0", ".1.3.6.1.2.1.1.1.0");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains(".1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.4.1.99999.1.1"), r.out());
        assertTrue(r.out().contains(".1.3.6.1.2.1.1.5.0 = STRING: \"gw-test\""), r.out());
        assertTrue(r.out().contains(".1.3.6.1.2.1.1.4.0 = STRING: \"noc@example.net\""), r.out());
        assertTrue(r.out().contains(".1.3.6.1.2.1.1.6.0 = STRING: \"rack 7\""), r.out());
        assertTrue(r.out().contains(".1.3.6.1.2.1.1.7.0 = INTEGER: 64"), r.out());
        assertTrue(r.out().contains("Tandem SIP/PSTN media gateway 0.1-test"), r.out());
    }

    @Test
    void shouldWalkOneIfTableRowPerSpanAsDs1() throws Exception {
        NetSnmp.Result r = walk(".1.3.6.1.2.1.2");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains(".1.3.6.1.2.1.2.1.0 = INTEGER: 2"), r.out());
        assertTrue(r.out().contains(".1.3.6.1.2.1.2.2.1.3.1 = INTEGER: 18"), r.out());
        assertTrue(r.out().contains(".1.3.6.1.2.1.2.2.1.3.2 = INTEGER: 18"), r.out());
        assertTrue(r.out().contains(".1.3.6.1.2.1.2.2.1.5.1 = Gauge32: 2048000"), r.out());
        assertTrue(r.out().contains(".1.3.6.1.2.1.2.2.1.8.1 = INTEGER: 1"), r.out());
        NetSnmp.Result x = walk(".1.3.6.1.2.1.31.1.1");
        assertTrue(x.out().contains(".1.3.6.1.2.1.31.1.1.1.1.1 = STRING: \"span1\""), x.out());
        assertTrue(x.out().contains(".1.3.6.1.2.1.31.1.1.1.18.2 = STRING: \"TE2/0/2\""), x.out());
        assertTrue(x.out().contains(".1.3.6.1.2.1.31.1.1.1.15.1 = Gauge32: 2"), x.out());
    }

    @Test
    void shouldWalkDs1ConfigAsE1CrcHdb3PriWithNoAlarm() throws Exception {
        NetSnmp.Result r = walk(".1.3.6.1.2.1.10.18");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains(".1.3.6.1.2.1.10.18.6.1.5.1 = INTEGER: 5"), "dsx1E1CRC");
        assertTrue(r.out().contains(".1.3.6.1.2.1.10.18.6.1.6.1 = INTEGER: 3"), "dsx1HDB3");
        assertTrue(r.out().contains(".1.3.6.1.2.1.10.18.6.1.10.1 = INTEGER: 1"), "dsx1NoAlarm");
        assertTrue(r.out().contains(".1.3.6.1.2.1.10.18.6.1.11.1 = INTEGER: 4"), "messageOriented");
        assertTrue(r.out().contains(".1.3.6.1.2.1.10.18.6.1.12.1 = INTEGER: 1"), "CPE loopTiming");
        assertTrue(r.out().contains(".1.3.6.1.2.1.10.18.6.1.12.2 = INTEGER: 2"), "NET localTiming");
        assertTrue(r.out().contains(".1.3.6.1.2.1.10.18.7.1.2.1 = Gauge32: 0"), r.out());
    }

    @Test
    void shouldWalkLiveCallsAndCountersInTheTandemMib() throws Exception {
        NetSnmp.Result r = walk(".1.3.6.1.4.1.99999.2.1");
        assertEquals(0, r.exit(), r.err());
        String out = r.out();
        assertTrue(out.contains(".1.3.6.1.4.1.99999.2.1.1.1.0 = STRING: \"gw-test\""), out);
        assertTrue(out.contains(".1.3.6.1.4.1.99999.2.1.1.2.0 = INTEGER: 2"), "running");
        assertTrue(out.contains(".1.3.6.1.4.1.99999.2.1.1.5.0 = Gauge32: 2"), "2 active calls");
        // span 1: D-channel up, 30 channels, 1 busy
        assertTrue(out.contains(".1.3.6.1.4.1.99999.2.1.2.1.5.1 = INTEGER: 1"), out);
        assertTrue(out.contains(".1.3.6.1.4.1.99999.2.1.2.1.7.1 = Gauge32: 30"), out);
        assertTrue(out.contains(".1.3.6.1.4.1.99999.2.1.2.1.9.1 = Gauge32: 1"), out);
        // channel 1/1: busy, c1, sip->pstn, numbers, 65 s, answered, RTP
        assertTrue(out.contains(".1.3.6.1.4.1.99999.2.1.3.1.2.1.1 = INTEGER: 2"), out);
        assertTrue(out.contains(".1.3.6.1.4.1.99999.2.1.3.1.4.1.1 = STRING: \"c1\""), out);
        assertTrue(out.contains(".1.3.6.1.4.1.99999.2.1.3.1.5.1.1 = INTEGER: 1"), out);
        assertTrue(out.contains(".1.3.6.1.4.1.99999.2.1.3.1.6.1.1 = STRING: \"0301234567\""), out);
        assertTrue(out.contains(".1.3.6.1.4.1.99999.2.1.3.1.7.1.1 = STRING: \"1004\""), out);
        assertTrue(out.contains(".1.3.6.1.4.1.99999.2.1.3.1.8.1.1 = Gauge32: 65"), out);
        assertTrue(out.contains(".1.3.6.1.4.1.99999.2.1.3.1.10.1.1 = Gauge32: 3"), out);
        assertTrue(out.contains(".1.3.6.1.4.1.99999.2.1.3.1.11.1.1 = Gauge32: 1250"), out);
        // channel 2/5: pstn->sip, not answered; 2/16 does not exist (D-channel)
        assertTrue(out.contains(".1.3.6.1.4.1.99999.2.1.3.1.5.2.5 = INTEGER: 2"), out);
        assertTrue(out.contains(".1.3.6.1.4.1.99999.2.1.3.1.9.2.5 = INTEGER: 2"), out);
        assertTrue(!out.contains(".1.3.6.1.4.1.99999.2.1.3.1.2.2.16 "), out);
        // counters: 1 attempt each way, one busy failure (cause 17)
        assertTrue(out.contains(".1.3.6.1.4.1.99999.2.1.4.1.1.2.1 = Counter64: 1"), out);
        assertTrue(out.contains(".1.3.6.1.4.1.99999.2.1.4.1.1.4.1 = Counter64: 1"), out);
        assertTrue(out.contains(".1.3.6.1.4.1.99999.2.1.4.2.1.3.17 = Counter64: 1"), out);
        assertTrue(out.contains(".1.3.6.1.4.1.99999.2.1.4.4.0 = Gauge32: 10000"), "NER");
    }

    @Test
    void shouldAnswerSnmpV3AuthPrivWithSha256AndAes() throws Exception {
        NetSnmp.Result r = NetSnmp.run(NetSnmp.v3("snmpget", USER, "SHA-256", AUTH, PRIV, port,
                ".1.3.6.1.4.1.99999.2.1.1.1.0"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("STRING: \"gw-test\""), r.out());
    }

    @Test
    void shouldGiveNothingForAWrongCommunity() throws Exception {
        NetSnmp.Result r = NetSnmp.run(NetSnmp.v2c("snmpwalk", "public", port, ".1.3.6.1"));
        assertNotEquals(0, r.exit());
        assertEquals("", r.out().trim());
        assertTrue(r.err().contains("Timeout"), r.err());
    }

    @Test
    void shouldGiveNothingForWrongV3Credentials() throws Exception {
        NetSnmp.Result badAuth = NetSnmp.run(NetSnmp.v3("snmpwalk", USER, "SHA-256",
                "wrong-auth-pass", PRIV, port, ".1.3.6.1"));
        assertNotEquals(0, badAuth.exit());
        assertTrue(!badAuth.out().contains("STRING"), badAuth.out());
        NetSnmp.Result badUser = NetSnmp.run(NetSnmp.v3("snmpwalk", "intruder", "SHA-256", AUTH,
                PRIV, port, ".1.3.6.1"));
        assertNotEquals(0, badUser.exit());
        assertTrue(!badUser.out().contains("STRING"), badUser.out());
        NetSnmp.Result noPriv = NetSnmp.run(List.of("snmpget", "-v3", "-l", "authNoPriv", "-u",
                USER, "-a", "SHA-256", "-A", AUTH, "-On", "-t", "1", "-r", "0", "-m", "",
                "udp:127.0.0.1:" + port, ".1.3.6.1.2.1.1.5.0"));
        assertTrue(!noPriv.out().contains("STRING"), "authNoPriv reads nothing: " + noPriv.out());
    }

    @Test
    void shouldRefuseWritesEvenWithTheRightCommunity() throws Exception {
        NetSnmp.Result r = NetSnmp.run(NetSnmp.v2c("snmpset", COMMUNITY, port,
                ".1.3.6.1.2.1.1.5.0", "s", "hijacked"));
        assertNotEquals(0, r.exit());
        assertEquals("gw-test", agent.context().snapshot().name());
        assertTrue(get(".1.3.6.1.2.1.1.5.0").out().contains("\"gw-test\""));
    }

    @Test
    void shouldReportARedAlarmInIfMibAndDs1MibAndSendTheTraps() throws Exception {
        model.setSpanAlarms(2, SpanAlarms.RED | SpanAlarms.LOS);
        NetSnmp.Result r = get(".1.3.6.1.2.1.2.2.1.8.2", ".1.3.6.1.2.1.10.18.6.1.10.2",
                ".1.3.6.1.2.1.2.2.1.8.1");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains(".1.3.6.1.2.1.2.2.1.8.2 = INTEGER: 2"), "down: " + r.out());
        assertTrue(r.out().contains(".1.3.6.1.2.1.10.18.6.1.10.2 = INTEGER: 64"),
                "dsx1LossOfSignal: " + r.out());
        assertTrue(r.out().contains(".1.3.6.1.2.1.2.2.1.8.1 = INTEGER: 1"), "span 1 still up");

        String log = awaitLog("OID: .1.3.6.1.2.1.10.18.15.0.1");
        assertTrue(log.contains("OID: .1.3.6.1.6.3.1.1.5.3"), "linkDown: " + log);
        assertTrue(log.contains(".1.3.6.1.2.1.2.2.1.1.2 = INTEGER: 2"), "ifIndex 2: " + log);
        assertTrue(log.contains(".1.3.6.1.2.1.10.18.6.1.10.2 = INTEGER: 64"), log);

        model.setDChannelUp(2, false);
        log = awaitLog("OID: .1.3.6.1.4.1.99999.2.0.1");
        assertTrue(log.contains(".1.3.6.1.4.1.99999.2.1.2.1.2.2 = STRING: \"TE2/0/2\""), log);

        model.setSpanAlarms(2, SpanAlarms.NONE);
        log = awaitLog("OID: .1.3.6.1.6.3.1.1.5.4");
        NetSnmp.Result after = get(".1.3.6.1.2.1.2.2.1.8.2", ".1.3.6.1.2.1.10.18.6.1.10.2");
        assertTrue(after.out().contains(".1.3.6.1.2.1.2.2.1.8.2 = INTEGER: 1"), after.out());
        assertTrue(after.out().contains(".1.3.6.1.2.1.10.18.6.1.10.2 = INTEGER: 1"), after.out());
        model.setDChannelUp(2, true);
        assertNotNull(awaitLog("OID: .1.3.6.1.4.1.99999.2.0.2"));
    }

    @Test
    void shouldSendOverloadNotifications() throws Exception {
        model.setOverload(true, "RTP ports exhausted");
        String log = awaitLog("OID: .1.3.6.1.4.1.99999.2.0.5");
        assertTrue(log.contains("STRING: \"RTP ports exhausted\""), log);
        model.setOverload(false, null);
        awaitLog("OID: .1.3.6.1.4.1.99999.2.0.6");
    }
}
