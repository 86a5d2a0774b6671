package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.tandem.config.ConfigLoader;
import org.tandem.config.GatewayConfig;
import org.tandem.config.LoadResult;
import org.tandem.gateway.app.ConsoleExtension;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.app.Main;
import org.tandem.gateway.ops.ChannelView;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.gateway.snmp.NetSnmp;
import org.tandem.pri.PriTimer;
import org.tandem.testing.net.FreePorts;

/**
 * Operations against a running gateway (the shipped configuration, simulated spans, every port
 * chosen at run time): net-snmp walks the standard MIBs and the Tandem MIB while sipp holds a
 * call; {@code tandem ctl sim alarm} raises a red alarm and snmptrapd (started here on a free
 * port) receives linkDown, dsx1LineStatusChange and tgDChannelDown as v2c traps and as acknowledged
 * v3 informs; wrong credentials read nothing; the console commands act on live calls; three calls
 * refused for lack of channels start an overload; closing sends tgGatewayStopping.
 *
 * <p>One gateway for the whole class, its methods in order: each leaves the gateway idle.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpsEndToEndTest {
    private static final String COMMUNITY = "ops-c0mmunity";
    private static final String TRAP_COMMUNITY = "ops-traps";
    private static final String USER = "nms";
    private static final String AUTH = "auth-pass-1";
    private static final String PRIV = "priv-pass-1";

    private static final String LINK_DOWN = ".1.3.6.1.6.3.1.1.5.3";
    private static final String LINK_UP = ".1.3.6.1.6.3.1.1.5.4";
    private static final String DSX1_LINE_STATUS_CHANGE = ".1.3.6.1.2.1.10.18.15.0.1";
    private static final String TG = ".1.3.6.1.4.1.99999.2";
    private static final String D_CHANNEL_DOWN = TG + ".0.1";
    private static final String D_CHANNEL_UP = TG + ".0.2";
    private static final String GATEWAY_STARTED = TG + ".0.3";
    private static final String GATEWAY_STOPPING = TG + ".0.4";
    private static final String OVERLOAD_BEGIN = TG + ".0.5";
    private static final String OVERLOAD_END = TG + ".0.6";
    private static final String CHANNEL_OUT_OF_SERVICE = TG + ".0.7";
    private static final String CHANNEL_IN_SERVICE = TG + ".0.8";

    private Path tmp;
    private Process trapd;
    private Path trapLog;
    private Gateway gateway;
    private int sipPort;
    private int snmpPort;
    private Path cdrDir;
    private Path socket;
    private Path ietfMibs;
    private RtpPeer rtp;
    /** Overrides the next reload adds to the start-up ones. */
    private final List<String> reloadOverrides = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() throws Exception {
        assumeTrue(SippRunner.available(), "sipp is not installed (bin/setup-debian installs it)");
        tmp = Files.createTempDirectory("tandem-ops-e2e");
        int trapPort = FreePorts.udpPort();
        Path conf = tmp.resolve("snmptrapd.conf");
        // One receiver for both kinds; each notification is logged on one line starting with
        // "TRAP2, SNMP v2c, community ..." or "INFORM, SNMP v3, user nms ...".
        Files.writeString(conf, "disableAuthorization yes\ncreateUser " + USER + " SHA-256 " + AUTH
                + " AES " + PRIV + "\nformat2 %P|%v\\n\n");
        trapLog = tmp.resolve("traps.log");
        trapd = new ProcessBuilder("snmptrapd", "-f", "-n", "-C", "-c", conf.toString(), "-On", "-m", "",
                "-Lf", trapLog.toString(), "udp:127.0.0.1:" + trapPort)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("snmptrapd.out").toFile()).start();
        awaitTrapLog("NET-SNMP version", 10_000);

        sipPort = SippRunner.freePort();
        snmpPort = FreePorts.udpPort();
        cdrDir = tmp.resolve("cdr");
        socket = tmp.resolve("run/tandem.sock");
        // below the ephemeral range the other ports come from (see E2eGateway)
        int rtpFirst = 20_000 + 2 * ThreadLocalRandom.current().nextInt(0, 5_800);
        List<String> overrides = List.of(
                // tgOverloadReason is asserted as the B-channel detector's: no shedding by machine load
                "overload.enabled=no",
                "sip.listen=127.0.0.1:" + sipPort,
                "rtp.ports=" + rtpFirst + "-" + (rtpFirst + 199),
                "snmp.listen=127.0.0.1:" + snmpPort,
                "snmp.community=" + COMMUNITY,
                "snmp-user.nms.auth=sha-256",
                "snmp-user.nms.auth_key=" + AUTH,
                "snmp-user.nms.priv_key=" + PRIV,
                "snmp-trap.v2.target=127.0.0.1:" + trapPort,
                "snmp-trap.v2.community=" + TRAP_COMMUNITY,
                "snmp-trap.v3.target=127.0.0.1:" + trapPort,
                "snmp-trap.v3.version=v3",
                "snmp-trap.v3.user=" + USER,
                "cdr.dir=" + cdrDir,
                "console.socket=" + socket,
                "trunk.local.port=" + SippRunner.freePort());
        GatewayConfig config = load(overrides);
        Gateway.Options options = Gateway.Options.defaults()
                .withPriTimers(Map.of(PriTimer.T200, 300, PriTimer.T203, 1_000, PriTimer.T309, 500))
                .withExtensions(List.of(new ConsoleExtension()));
        gateway = Gateway.start(config, options, () -> {
            List<String> all = new ArrayList<>(overrides);
            all.addAll(reloadOverrides);
            LoadResult r = ConfigLoader.load(E2eGateway.shippedConfig(), all);
            return r.ok() ? Optional.of(r.orThrow()) : Optional.empty();
        });
        rtp = new RtpPeer();
        ietfMibs = NetSnmp.baseMibDir();
    }

    private static GatewayConfig load(List<String> overrides) {
        LoadResult r = ConfigLoader.load(E2eGateway.shippedConfig(), overrides);
        if (!r.ok()) {
            throw new IllegalStateException(r.errorReport());
        }
        return r.orThrow();
    }

    @AfterAll
    void stop() throws Exception {
        if (rtp != null) {
            rtp.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (trapd != null) {
            trapd.destroy();
            trapd.waitFor(5, TimeUnit.SECONDS);
        }
        Scenarios.deleteTree(tmp);
    }

    // ------------------------------------------------------------------ SNMP reads

    @Test
    @Order(1)
    void shouldAnnounceTheStartAsTrapAndInform() throws Exception {
        assertTrue(awaitSpansUp(), "D-channels up");
        awaitNotification("TRAP2", GATEWAY_STARTED, 10_000);
        String inform = awaitNotification("INFORM", GATEWAY_STARTED, 10_000);
        assertTrue(inform.contains("user " + USER), inform);
        assertTrue(inform.contains(TG + ".1.1.1.0 = STRING: \"tandem\""), "tgGatewayName: " + inform);
    }

    @Test
    @Order(2)
    void shouldWalkTheStandardMibsOfTheRunningGateway() throws Exception {
        NetSnmp.Result sys = walk(".1.3.6.1.2.1.1");
        assertEquals(0, sys.exit(), sys.err());
        assertTrue(sys.out().contains(".1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.4.1.99999.1.1"), sys.out());
        assertTrue(sys.out().contains(".1.3.6.1.2.1.1.5.0 = STRING: \"tandem\""), sys.out());

        NetSnmp.Result ifTable = walk(".1.3.6.1.2.1.2.2");
        assertEquals(0, ifTable.exit(), ifTable.err());
        for (int span = 1; span <= 2; span++) {
            assertTrue(ifTable.out().contains(".1.3.6.1.2.1.2.2.1.3." + span + " = INTEGER: 18"), "ds1 " + span);
            assertTrue(ifTable.out().contains(".1.3.6.1.2.1.2.2.1.5." + span + " = Gauge32: 2048000"), ifTable.out());
            assertTrue(ifTable.out().contains(".1.3.6.1.2.1.2.2.1.8." + span + " = INTEGER: 1"), "ifOperStatus up");
        }
        NetSnmp.Result ifX = walk(".1.3.6.1.2.1.31.1.1");
        assertTrue(ifX.out().contains(".1.3.6.1.2.1.31.1.1.1.1.2 = STRING: \"span2\""), ifX.out());

        NetSnmp.Result config = walk(".1.3.6.1.2.1.10.18.6");
        assertTrue(config.out().contains(".1.3.6.1.2.1.10.18.6.1.5.1 = INTEGER: 5"), "dsx1E1CRC: " + config.out());
        assertTrue(config.out().contains(".1.3.6.1.2.1.10.18.6.1.10.1 = INTEGER: 1"), "dsx1NoAlarm: " + config.out());
        assertTrue(config.out().contains(".1.3.6.1.2.1.10.18.6.1.11.2 = INTEGER: 4"), "messageOriented");
        NetSnmp.Result current = walk(".1.3.6.1.2.1.10.18.7");
        assertEquals(0, current.exit(), current.err());
        assertTrue(current.out().contains(".1.3.6.1.2.1.10.18.7.1.2.2 = Gauge32: 0"), "dsx1CurrentESs: " + current.out());
    }

    @Test
    @Order(3)
    void shouldShowALiveCallInTheChannelTableByNameAsTheOperationsGuideWalksIt() throws Exception {
        assumeTrue(ietfMibs != null, "no IETF base MIBs (bin/setup-debian installs erlang-snmp)");
        SippRunner.Sipp sipp = uac("call.xml", "1004").option("-d", "4000").start();
        ChannelView ch = awaitCall(true);
        String mibs = "+" + NetSnmp.REPO_MIBS + ":" + ietfMibs;
        // docs/OPERATIONS.md "Walking it", with this gateway's address and community
        NetSnmp.Result walk = NetSnmp.run(List.of("snmpwalk", "-v2c", "-c", COMMUNITY, "-M", mibs,
                "-m", "TANDEM-GATEWAY-MIB", "udp:127.0.0.1:" + snmpPort, "TANDEM-GATEWAY-MIB::tandemGatewayMIB"));
        assertEquals(0, walk.exit(), walk.err());
        assertEquals("", walk.err().trim(), "no MIB loading noise");
        String row = ch.span() + "." + ch.chanpos();
        String out = walk.out();
        assertTrue(out.contains("TANDEM-GATEWAY-MIB::tgChannelState." + row + " = INTEGER: busy(2)"), out);
        assertTrue(out.contains("TANDEM-GATEWAY-MIB::tgChannelCalledNumber." + row + " = STRING: 1004"), out);
        assertTrue(out.contains("TANDEM-GATEWAY-MIB::tgChannelCallId." + row + " = STRING: "
                + ch.call().callId()), out);
        assertTrue(out.contains("TANDEM-GATEWAY-MIB::tgActiveCalls.0 = Gauge32: 1"), out);
        assertTrue(out.contains("TANDEM-GATEWAY-MIB::tgSpanChannelsBusy." + ch.span() + " = Gauge32: 1"), out);

        NetSnmp.Result table = NetSnmp.run(List.of("snmptable", "-v2c", "-c", COMMUNITY, "-M", mibs,
                "-m", "TANDEM-GATEWAY-MIB", "-Cb", "udp:127.0.0.1:" + snmpPort, "TANDEM-GATEWAY-MIB::tgChannelTable"));
        assertEquals(0, table.exit(), table.err());
        assertTrue(table.out().lines().anyMatch(l -> l.contains("busy") && l.contains("1004")
                && l.contains(ch.call().callId())), table.out());

        NetSnmp.Result v3 = NetSnmp.run(List.of("snmpwalk", "-v3", "-l", "authPriv", "-u", USER, "-a", "SHA-256",
                "-A", AUTH, "-x", "AES", "-X", PRIV, "-M", mibs, "-m", "TANDEM-GATEWAY-MIB",
                "udp:127.0.0.1:" + snmpPort, "TANDEM-GATEWAY-MIB::tgSpanTable"));
        assertEquals(0, v3.exit(), v3.err());
        assertTrue(v3.out().contains("TANDEM-GATEWAY-MIB::tgSpanName.1 = STRING: span1"), v3.out());

        assertTrue(sipp.await().succeeded());
        awaitIdle();
        // the counters call control fed: one answered attempt SIP -> PSTN, its cause, its RTP
        NetSnmp.Result counters = NetSnmp.run(List.of("snmpwalk", "-v2c", "-c", COMMUNITY, "-M", mibs,
                "-m", "TANDEM-GATEWAY-MIB", "udp:127.0.0.1:" + snmpPort, "TANDEM-GATEWAY-MIB::tandemGatewayMIB"));
        String c = counters.out();
        assertEquals(1, number(c, "tgCallsAttempted.sipToPstn"), c);
        assertEquals(1, number(c, "tgCallsAnswered.sipToPstn"), c);
        assertEquals(0, number(c, "tgCallsFailed.sipToPstn"), c);
        assertEquals(1, number(c, "tgCauseCallsEnded.16"), c);
        assertEquals(10_000, number(c, "tgAsr.0"), c);
        assertTrue(number(c, "tgRtpPacketsSent.0") > 100, c);
        assertEquals(0, number(c, "tgRtpPacketsReceived.0"), "call.xml sends no RTP: " + c);
    }

    /** The number a walk printed for {@code TANDEM-GATEWAY-MIB::NAME} (units after it ignored). */
    private static long number(String walk, String name) {
        Matcher m = Pattern.compile("TANDEM-GATEWAY-MIB::" + Pattern.quote(name) + " = \\w+: (\\d+)").matcher(walk);
        assertTrue(m.find(), name + " in " + walk);
        return Long.parseLong(m.group(1));
    }

    @Test
    @Order(4)
    void shouldAnswerNothingToAWrongCommunityOrWrongV3Credentials() throws Exception {
        NetSnmp.Result community = NetSnmp.run(NetSnmp.v2c("snmpwalk", "public", snmpPort, ".1.3.6.1"));
        assertNotEquals(0, community.exit());
        assertEquals("", community.out().trim());
        assertTrue(community.err().contains("Timeout"), community.err());
        NetSnmp.Result auth = NetSnmp.run(NetSnmp.v3("snmpwalk", USER, "SHA-256", "wrong-auth-1", PRIV,
                snmpPort, ".1.3.6.1"));
        assertNotEquals(0, auth.exit());
        assertFalse(auth.out().contains("STRING"), auth.out());
        NetSnmp.Result priv = NetSnmp.run(NetSnmp.v3("snmpget", USER, "SHA-256", AUTH, "wrong-priv-1",
                snmpPort, ".1.3.6.1.2.1.1.5.0"));
        assertFalse(priv.out().contains("STRING"), priv.out());
        NetSnmp.Result user = NetSnmp.run(NetSnmp.v3("snmpwalk", "intruder", "SHA-256", AUTH, PRIV,
                snmpPort, ".1.3.6.1"));
        assertNotEquals(0, user.exit());
        assertFalse(user.out().contains("STRING"), user.out());
        NetSnmp.Result right = NetSnmp.run(NetSnmp.v3("snmpget", USER, "SHA-256", AUTH, PRIV, snmpPort,
                ".1.3.6.1.2.1.1.5.0"));
        assertTrue(right.out().contains("STRING: \"tandem\""), right.out() + right.err());
    }

    // ------------------------------------------------------------------ alarms and traps

    @Test
    @Order(5)
    void shouldSendLinkDownLineStatusAndDChannelDownOnARedAlarmFromTheConsole() throws Exception {
        Ctl red = ctl("sim", "alarm", "1", "red");
        assertEquals(0, red.exit(), red.err());
        String down = awaitNotification("TRAP2", LINK_DOWN, 10_000);
        assertTrue(down.contains(".1.3.6.1.2.1.2.2.1.1.1 = INTEGER: 1"), "ifIndex 1: " + down);
        assertTrue(down.contains(".1.3.6.1.2.1.2.2.1.8.1 = INTEGER: 2"), "ifOperStatus down: " + down);
        awaitNotification("INFORM", LINK_DOWN, 10_000);
        String ds1 = awaitNotification("TRAP2", DSX1_LINE_STATUS_CHANGE, 10_000);
        assertTrue(ds1.contains(".1.3.6.1.2.1.10.18.6.1.10.1 = INTEGER: 32"), "dsx1LossOfFrame: " + ds1);
        String dchan = awaitNotification("TRAP2", D_CHANNEL_DOWN, 15_000);
        assertTrue(dchan.contains(TG + ".1.2.1.2.1 = STRING: \"span1\""), dchan);
        awaitNotification("INFORM", D_CHANNEL_DOWN, 10_000);

        NetSnmp.Result during = NetSnmp.run(NetSnmp.v2c("snmpget", COMMUNITY, snmpPort,
                ".1.3.6.1.2.1.2.2.1.8.1", ".1.3.6.1.2.1.10.18.6.1.10.1", ".1.3.6.1.2.1.2.2.1.8.2"));
        assertTrue(during.out().contains(".1.3.6.1.2.1.2.2.1.8.1 = INTEGER: 2"), during.out());
        assertTrue(during.out().contains(".1.3.6.1.2.1.10.18.6.1.10.1 = INTEGER: 32"), during.out());
        assertTrue(during.out().contains(".1.3.6.1.2.1.2.2.1.8.2 = INTEGER: 1"), "span 2 unaffected");
        Ctl spans = ctl("show", "spans");
        assertTrue(spans.out().lines().anyMatch(l -> l.startsWith("1 ") && l.contains("RED")), spans.out());

        Ctl clear = ctl("sim", "alarm", "1", "clear");
        assertEquals(0, clear.exit(), clear.err());
        String up = awaitNotification("TRAP2", LINK_UP, 10_000);
        assertTrue(up.contains(".1.3.6.1.2.1.2.2.1.8.1 = INTEGER: 1"), up);
        awaitNotification("TRAP2", D_CHANNEL_UP, 20_000);
        assertTrue(awaitSpansUp(), "span 1 back in service");
        NetSnmp.Result after = NetSnmp.run(NetSnmp.v2c("snmpget", COMMUNITY, snmpPort,
                ".1.3.6.1.2.1.2.2.1.8.1", ".1.3.6.1.2.1.10.18.6.1.10.1"));
        assertTrue(after.out().contains(".1.3.6.1.2.1.2.2.1.8.1 = INTEGER: 1"), after.out());
        assertTrue(after.out().contains(".1.3.6.1.2.1.10.18.6.1.10.1 = INTEGER: 1"), after.out());
    }

    // ------------------------------------------------------------------ console

    @Test
    @Order(6)
    void shouldShowLiveCallsAndHangOneUpFromTheConsole() throws Exception {
        SippRunner.Sipp sipp = SippRunner.scenario(Scenarios.fill("released-by-gateway.xml",
                Map.of("CAUSE", "16", "TIMEOUT_MS", "20000"))).to(SippRunner.LOOPBACK, sipPort)
                .option("-s", "1004").option("-key", "rtpport", Integer.toString(rtp.port())).start();
        ChannelView ch = awaitCall(true);
        String id = ch.call().callId();
        Ctl calls = ctl("show", "calls");
        assertEquals(0, calls.exit(), calls.err());
        assertTrue(calls.out().lines().anyMatch(l -> l.startsWith(id + " ") && l.contains("1004")
                && l.contains("answered") && l.contains(ch.name())), calls.out());
        Ctl json = ctl("--json", "show", "calls");
        assertTrue(json.out().contains("\"call\":\"" + id + "\""), json.out());
        assertTrue(json.out().contains("\"answered\":true"), json.out());
        Ctl channels = ctl("--json", "show", "channels", Integer.toString(ch.span()));
        assertTrue(channels.out().contains("\"channel\":\"" + ch.name() + "\",\"state\":\"busy\""), channels.out());
        Ctl stats = ctl("show", "stats");
        assertTrue(stats.out().contains("activeCalls            1"), stats.out());

        Ctl hangup = ctl("hangup", id);
        assertEquals(0, hangup.exit(), hangup.err());
        SippRunner.Result r = sipp.await();
        assertTrue(r.succeeded(), "BYE with Reason: Q.850;cause=16 from the gateway: " + r);
        awaitIdle();
        Ctl gone = ctl("hangup", id);
        assertEquals(1, gone.exit(), "no such call any more");
        assertFalse(gone.err().isBlank());
    }

    @Test
    @Order(7)
    void shouldDrainABlockedChannelLetItsCallFinishAndHuntNoNewCallOnIt() throws Exception {
        Predicate<String[]> to1004 = c -> c[E2eGateway.CALLED_IN].equals("1004");
        int earlier = cdrs().stream().filter(to1004).toList().size();
        SippRunner.Sipp first = uac("call.xml", "1004").option("-d", "3000").start();
        ChannelView ch = awaitCall(true);
        Ctl block = ctl("block", ch.name());
        String blocked = ch.span() + "/" + ch.chanpos();
        try {
            assertEquals(0, block.exit(), block.err());
            assertTrue(block.out().contains("draining"), block.out());
            SippRunner.Result second = uac("call.xml", "1004").option("-d", "500").run();
            assertTrue(second.succeeded(), second::toString);
            assertTrue(first.await().succeeded(), "the call on the blocked channel continued to its end");
            awaitIdle();
            SippRunner.Result third = uac("call.xml", "1004").option("-d", "500").run();
            assertTrue(third.succeeded(), third::toString);
            awaitIdle();
            // CDRs are written in the order calls end: the second, the first, the third
            // (the CDR writer is asynchronous: wait for all three lines, not just for idle calls)
            List<String[]> last = awaitCdrs(to1004, earlier + 3);
            last = last.subList(last.size() - 3, last.size());
            assertEquals(blocked, last.get(1)[E2eGateway.SPAN] + "/" + last.get(1)[E2eGateway.CHANNEL]);
            assertEquals("ANSWERED", last.get(1)[E2eGateway.DISPOSITION]);
            assertEquals("16", last.get(1)[E2eGateway.Q850]);
            for (String[] other : List.of(last.get(0), last.get(2))) {
                assertEquals("ANSWERED", other[E2eGateway.DISPOSITION]);
                assertNotEquals(blocked, other[E2eGateway.SPAN] + "/" + other[E2eGateway.CHANNEL],
                        "no new call hunts the blocked channel");
            }
            Ctl channels = ctl("show", "channels", Integer.toString(ch.span()));
            assertTrue(channels.out().lines().anyMatch(l -> l.startsWith(ch.name() + " ") && l.contains("blocked")),
                    channels.out());
        } finally {
            Ctl unblock = ctl("unblock", ch.name());
            assertEquals(0, unblock.exit(), unblock.err());
        }
        assertTrue(ctl("--json", "show", "channels", Integer.toString(ch.span())).out()
                .contains("\"channel\":\"" + ch.name() + "\",\"state\":\"idle\",\"blocked\":false"));
    }

    @Test
    @Order(8)
    void shouldReloadCauseMapsWithoutDroppingACallAndReportWhatNeedsARestart() throws Exception {
        SippRunner.Sipp up = uac("call.xml", "1004").option("-d", "3000").start();
        awaitCall(true);
        reloadOverrides.addAll(List.of("trunk.local.causes=local", "causes.local.q850.17=480",
                "rtp.ptime=30"));
        Ctl reload = ctl("reload");
        assertEquals(0, reload.exit(), reload.err());
        assertTrue(reload.out().contains("applied: "), reload.out());
        assertTrue(reload.out().lines().anyMatch(l -> l.contains("needs restart") && l.contains("rtp")), reload.out());
        assertTrue(up.await().succeeded(), "the call up during the reload was not dropped");
        SippRunner.Result busy = uac(Scenarios.fill("rejected.xml", Map.of("STATUS", "480", "CAUSE", "17")),
                "1486").run();
        assertTrue(busy.succeeded(), "cause 17 now maps to 480 as reloaded: " + busy);
        Ctl json = ctl("--json", "reload");
        assertTrue(json.out().contains("\"needsRestart\":["), json.out());
        awaitIdle();
    }

    @Test
    @Order(9)
    void shouldOriginateFromTheSimulatedExchangeOnRequest() throws Exception {
        int trunkPort = gateway.config().trunks().get("local").port();
        var scenario = Scenarios.fill("uas.xml", Map.of("CALLED", "200", "CALLING", "5550123",
                "CALLED_USER", "200"));
        SippRunner.Sipp uas = SippRunner.scenario(scenario).localPort(trunkPort)
                .option("-key", "rtpport", Integer.toString(rtp.port())).option("-d", "500").start();
        Thread.sleep(300); // sipp binds its port
        Ctl originate = ctl("sim", "originate", "--from", "5550123", "--to", "200");
        assertEquals(0, originate.exit(), originate.err());
        SippRunner.Result r = uas.await();
        assertTrue(r.succeeded(), r::toString);
        awaitIdle();
        List<String[]> fromPstn = awaitCdrs(c -> c[1].equals("pstn->sip"), 1);
        String[] cdr = fromPstn.get(fromPstn.size() - 1);
        assertEquals("200", cdr[E2eGateway.CALLED_IN]);
        assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
        Ctl usage = ctl("sim", "originate", "--from", "x");
        assertEquals(1, usage.exit());
    }

    // ------------------------------------------------------------------ overload, stop

    @Test
    @Order(10)
    void shouldSignalOverloadAfterThreeCallsFindNoChannelAndEndItWhenOneDoes() throws Exception {
        assertEquals(0, ctl("block", "1").exit());
        assertEquals(0, ctl("block", "2").exit());
        try {
            for (int i = 0; i < 3; i++) {
                SippRunner.Result r = uac(Scenarios.fill("rejected.xml", Map.of("STATUS", "503", "CAUSE", "34")),
                        "1004").run();
                assertTrue(r.succeeded(), r::toString);
            }
            String begin = awaitNotification("TRAP2", OVERLOAD_BEGIN, 10_000);
            assertTrue(begin.contains("B-channels of group pstn exhausted"), begin);
            awaitNotification("INFORM", OVERLOAD_BEGIN, 10_000);
            Ctl stats = ctl("--json", "show", "stats");
            assertTrue(stats.out().contains("\"overloaded\":true"), stats.out());
            NetSnmp.Result get = NetSnmp.run(NetSnmp.v2c("snmpget", COMMUNITY, snmpPort, TG + ".1.1.6.0"));
            assertTrue(get.out().contains(TG + ".1.1.6.0 = INTEGER: 1"), "tgOverloaded true(1): " + get.out());
        } finally {
            ctl("unblock", "1");
            ctl("unblock", "2");
        }
        SippRunner.Result ok = uac("call.xml", "1004").option("-d", "300").run();
        assertTrue(ok.succeeded(), ok::toString);
        awaitNotification("TRAP2", OVERLOAD_END, 10_000);
        assertTrue(ctl("--json", "show", "stats").out().contains("\"overloaded\":false"));
        awaitIdle();
    }

    @Test
    @Order(11)
    void shouldTakeABrokenChannelOutOfServiceWithATrapAndBringItBackOnUnblock() throws Exception {
        Ctl broken = ctl("sim", "break", "1/1");
        assertEquals(0, broken.exit(), broken.err());
        String state = TG + ".1.3.1.2.1.1"; // tgChannelState.1.1
        try {
            for (int i = 0; i < 3; i++) { // [group] fault_limit = 3 by default; ascending: 1/1 first
                SippRunner.Result r = uac(Scenarios.fill("rejected.xml", Map.of("STATUS", "503", "CAUSE", "41")),
                        "1004").run();
                assertTrue(r.succeeded(), "call " + i + ": " + r);
            }
            String out = awaitNotification("TRAP2", CHANNEL_OUT_OF_SERVICE, 10_000);
            assertTrue(out.contains(state + " = INTEGER: 5"), "tgChannelState.1.1 fault(5): " + out);
            assertTrue(out.contains(TG + ".1.3.1.12.1.1 = STRING: ") && out.contains("SETLAW failed"),
                    "tgChannelFault.1.1 says why: " + out);
            awaitNotification("INFORM", CHANNEL_OUT_OF_SERVICE, 10_000);
            NetSnmp.Result get = NetSnmp.run(NetSnmp.v2c("snmpget", COMMUNITY, snmpPort, state, TG + ".1.2.1.13.1"));
            assertTrue(get.out().contains(state + " = INTEGER: 5"), get.out());
            assertTrue(get.out().contains(TG + ".1.2.1.13.1 = Gauge32: 1"), "tgSpanChannelsFault.1: " + get.out());
            Ctl channels = ctl("show", "channels", "1");
            assertTrue(channels.out().lines().anyMatch(l -> l.startsWith("1/1 ") && l.contains(" fault ")
                    && l.contains("SETLAW failed")), channels.out());
            SippRunner.Result ok = uac("call.xml", "1004").option("-d", "300").run();
            assertTrue(ok.succeeded(), "the next call goes to another channel: " + ok);
        } finally {
            assertEquals(0, ctl("sim", "repair", "1/1").exit());
        }
        Ctl unblock = ctl("unblock", "1/1");
        assertEquals(0, unblock.exit(), unblock.err());
        assertTrue(unblock.out().contains("back in service"), unblock.out());
        String in = awaitNotification("TRAP2", CHANNEL_IN_SERVICE, 10_000);
        assertTrue(in.contains(state + " = INTEGER: 1"), "tgChannelState.1.1 idle(1): " + in);
        awaitIdle();
    }

    @Test
    @Order(12)
    void shouldAnnounceTheStopAsTrapAndInform() throws Exception {
        gateway.close();
        awaitNotification("TRAP2", GATEWAY_STOPPING, 10_000);
        awaitNotification("INFORM", GATEWAY_STOPPING, 10_000);
        assertFalse(Files.exists(socket), "console socket removed");
    }

    // ------------------------------------------------------------------ helpers

    private SippRunner.Sipp uac(String scenario, String service) {
        return uac(Scenarios.file(scenario), service);
    }

    private SippRunner.Sipp uac(Path scenario, String service) {
        return SippRunner.scenario(scenario).to(SippRunner.LOOPBACK, sipPort).option("-s", service)
                .option("-key", "rtpport", Integer.toString(rtp.port()));
    }

    private NetSnmp.Result walk(String oid) throws Exception {
        return NetSnmp.run(NetSnmp.v2c("snmpbulkwalk", COMMUNITY, snmpPort, oid));
    }

    private record Ctl(int exit, String out, String err) {
    }

    /** {@code tandem ctl --socket SOCKET ARGS...}, the command an operator types. */
    private Ctl ctl(String... args) {
        List<String> words = new ArrayList<>(List.of("ctl", "--socket", socket.toString()));
        words.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(words, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ctl(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The one channel with a call (answered if asked), from the ops model. */
    private ChannelView awaitCall(boolean answered) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        do {
            for (ChannelView c : gateway.model().snapshot().activeCalls()) {
                if (!answered || c.call().answered()) {
                    return c;
                }
            }
            Thread.sleep(20);
        } while (System.nanoTime() - deadline < 0);
        throw new AssertionError("no call up on any channel");
    }

    private boolean awaitSpansUp() throws Exception {
        return E2eGateway.awaitSpansUp(gateway, 20_000);
    }

    private void awaitIdle() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        do {
            if (gateway.callControl().liveCalls().get(2, TimeUnit.SECONDS) == 0
                    && gateway.media().portsInUse() == 0 && gateway.cdrWriter() != null) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() - deadline < 0);
        throw new AssertionError("calls still up");
    }

    /** The CDRs matching {@code match} once there are at least {@code count} of them (10 s at most). */
    private List<String[]> awaitCdrs(Predicate<String[]> match, int count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String[]> found;
        do {
            found = cdrs().stream().filter(match).toList();
            if (found.size() >= count) {
                return found;
            }
            Thread.sleep(50);
        } while (System.nanoTime() - deadline < 0);
        throw new AssertionError("expected " + count + " matching CDRs, the CDR files hold " + found.size());
    }

    private List<String[]> cdrs() throws IOException {
        List<String[]> out = new ArrayList<>();
        try (var files = Files.list(cdrDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                lines.stream().skip(1).forEach(l -> out.add(l.split(",", -1)));
            }
        }
        return out;
    }

    private String awaitTrapLog(String text, long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        do {
            if (Files.exists(trapLog)) {
                String log = Files.readString(trapLog);
                if (log.contains(text)) {
                    return log;
                }
            }
            Thread.sleep(20);
        } while (System.nanoTime() - deadline < 0);
        throw new AssertionError("snmptrapd never logged '" + text + "'; log:\n"
                + (Files.exists(trapLog) ? Files.readString(trapLog) : "(none)"));
    }

    /** The snmptrapd line of a notification of this kind ("TRAP2" or "INFORM") and OID. */
    private String awaitNotification(String kind, String trapOid, long timeoutMs)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        String marker = ".1.3.6.1.6.3.1.1.4.1.0 = OID: " + trapOid;
        do {
            if (Files.exists(trapLog)) {
                for (String line : Files.readAllLines(trapLog)) {
                    int at = line.indexOf(marker);
                    int end = at + marker.length();
                    if (line.startsWith(kind) && at >= 0
                            && (end == line.length() || !Character.isDigit(line.charAt(end)) && line.charAt(end) != '.')) {
                        return line;
                    }
                }
            }
            Thread.sleep(20);
        } while (System.nanoTime() - deadline < 0);
        throw new AssertionError(kind + " " + trapOid + " never arrived; log:\n"
                + (Files.exists(trapLog) ? Files.readString(trapLog) : "(none)"));
    }
}
