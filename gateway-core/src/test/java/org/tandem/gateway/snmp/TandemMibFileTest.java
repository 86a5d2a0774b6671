package org.tandem.gateway.snmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snmp4j.smi.OID;

/** The shipped MIB file: lint-clean, loadable by net-snmp, and matching the agent's OIDs. */
class TandemMibFileTest {
    private static Path base;

    @BeforeAll
    static void findBaseModules() throws Exception {
        base = NetSnmp.baseMibDir();
        assertNotNull(base, "the IETF base MIB modules (SNMPv2-SMI, -TC, -CONF) are needed: on"
                + " Debian apt-get install erlang-snmp, or set TANDEM_IETF_MIBS to a directory"
                + " holding them");
    }

    @Test
    void shouldPassSmilintAtLevelSixWithoutAnyMessage() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("smilint", "-l", "6", "-s",
                NetSnmp.REPO_MIBS.resolve("TANDEM-GATEWAY-MIB.txt").toString());
        pb.environment().put("SMIPATH", base.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertEquals("", out, "smilint -l 6 reports nothing");
    }

    @Test
    void shouldLoadInNetSnmpWithTheOidsTheAgentServes() throws Exception {
        Map<String, OID> expected = Map.of(
                "tandemGateway", TandemMibSection.SYS_OBJECT_ID,
                "tgGatewayName.0", MibTree.oid(TandemMibSection.GATEWAY, TandemMibSection.GW_NAME, 0),
                "tgSpanDChannelState", MibTree.oid(TandemMibSection.SPAN_ENTRY,
                        TandemMibSection.SPAN_D_CHANNEL),
                "tgChannelCallingNumber", MibTree.oid(TandemMibSection.CHANNEL_ENTRY,
                        TandemMibSection.CHAN_CALLING),
                "tgCauseCallsEnded", MibTree.oid(TandemMibSection.CAUSE_ENTRY, 2),
                "tgAsr.0", TandemMibSection.ASR,
                "tgNer.0", TandemMibSection.NER,
                "tgRtpPacketsLost", MibTree.oid(TandemMibSection.RTP, 3),
                "tgDChannelDown", TandemMibSection.D_CHANNEL_DOWN,
                "tgOverloadEnd", TandemMibSection.OVERLOAD_END);
        List<String> cmd = new ArrayList<>(List.of("snmptranslate", "-M",
                NetSnmp.REPO_MIBS + ":" + base, "-m", "TANDEM-GATEWAY-MIB", "-On"));
        List<String> names = new ArrayList<>(expected.keySet());
        for (String n : names) {
            cmd.add("TANDEM-GATEWAY-MIB::" + n);
        }
        NetSnmp.Result r = NetSnmp.run(cmd);
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().trim().split("\\s*\\n\\s*");
        assertEquals(names.size(), lines.length, r.out());
        for (int i = 0; i < names.size(); i++) {
            assertEquals("." + expected.get(names.get(i)), lines[i], names.get(i));
        }
    }
}
