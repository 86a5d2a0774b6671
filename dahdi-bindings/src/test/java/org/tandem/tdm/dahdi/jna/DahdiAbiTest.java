package org.tandem.tdm.dahdi.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Java side of the DAHDI ABI against the real header: compiled at test time into target/.
 * Fails (never skips) when gcc or the header is missing.
 */
class DahdiAbiTest {
    private static final Path WORK = Path.of("target", "abi-probe").toAbsolutePath();

    @Test
    void shouldMatchTheInstalledHeaderInEveryIoctlConstantSizeAndOffset() throws Exception {
        List<DahdiAbi.Entry> entries = DahdiAbi.entries();
        Map<String, Long> c = AbiProbe.run(entries, WORK);
        List<String> bad = AbiProbe.mismatches(entries, c);
        assertTrue(bad.isEmpty(), "Java differs from /usr/include/dahdi/user.h:\n" + String.join("\n", bad));
        // The table covers what the gateway needs: 18 ioctls, 7 structs, every field.
        assertTrue(entries.size() > 150, "entries: " + entries.size());
    }

    @Test
    void shouldReportAWrongJavaValueFoundByTheCompiledProbe() throws Exception {
        List<DahdiAbi.Entry> entries = new ArrayList<>(DahdiAbi.entries());
        entries.add(new DahdiAbi.Entry("wrong SPECIFY", "(unsigned long)DAHDI_SPECIFY", 0x4004DA25L));
        entries.add(new DahdiAbi.Entry("spaninfo if it were not packed", "sizeof(struct dahdi_spaninfo)", 316));
        List<String> bad = AbiProbe.mismatches(entries, AbiProbe.run(entries, WORK.resolve("negative")));
        assertEquals(List.of("wrong SPECIFY: C 1074059814 (0x4004da26), Java 1074059813 (0x4004da25)",
            "spaninfo if it were not packed: C 314 (0x13a), Java 316 (0x13c)"), bad);
    }

    @Test
    void shouldReportEntriesTheProbeDidNotPrint() {
        List<DahdiAbi.Entry> entries = List.of(new DahdiAbi.Entry("X", "X", 1), new DahdiAbi.Entry("Y", "Y", 2));
        assertEquals(List.of("X: C 3 (0x3), Java 1 (0x1)", "Y: not printed by the C probe"),
            AbiProbe.mismatches(entries, Map.of("X", 3L)));
    }

    @Test
    void shouldMatchTheValuesMeasuredInPstnNotes() {
        // Independent of the header: the x86_64 values recorded in PSTN-NOTES.md.
        assertEquals(0x4004DA26L, DahdiIoctl.DAHDI_SPECIFY.request());
        assertEquals(0xC088DA05L, DahdiIoctl.DAHDI_GET_PARAMS.request());
        assertEquals(0xC13ADA0AL, DahdiIoctl.DAHDI_SPANSTAT.request());
        assertEquals(0x4018DA1BL, DahdiIoctl.DAHDI_SET_BUFINFO.request());
        assertEquals(0x4008DA21L, DahdiIoctl.DAHDI_ECHOCANCEL_PARAMS.request());
        assertEquals(0x4024DA12L, DahdiIoctl.DAHDI_SPANCONFIG.request());
        assertEquals(0x404CDA13L, DahdiIoctl.DAHDI_CHANCONFIG.request());
        assertEquals(0x4004DA69L, DahdiIoctl.DAHDI_BUFFER_EVENTS.request());
        assertEquals(168, DahdiEchoCanParams.SIZE);
        assertEquals(0x380, Dahdi.DAHDI_SIG_HDLCFCS);
        assertEquals(0x80080, Dahdi.DAHDI_SIG_HARDHDLC);
    }
}
