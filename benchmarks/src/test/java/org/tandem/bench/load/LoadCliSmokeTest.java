package org.tandem.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness end to end at a low rate (no figure is judged: timing belongs in docs/BENCHMARKS.md):
 * real sipp calls through the gateway on two simulated spans (libpri, the simulated exchange, media)
 * and against both baselines; every call must complete and the table must show one row per target.
 */
class LoadCliSmokeTest {
    @TempDir
    Path work;

    @Test
    void fewCallsThroughEveryTargetCompleteAndPrintTheTable() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            rc = LoadCli.run(new String[] {"--spans", "2", "--rates", "5", "--step-s", "2", "--hold-ms", "200",
                "--knee-p99-ms", "100000", "--warmup-s", "0", "--work", work.toString()}, out);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, text);
        assertTrue(text.contains("offered achieved   calls      ok failed setup p50"), text);
        for (String target : List.of("gateway", "bare RI UAS", "sipp -sn uas")) {
            String row = text.lines().filter(l -> l.startsWith(target) && !l.contains("idle")).findFirst()
                    .orElseThrow(() -> new AssertionError("no row for " + target + ":\n" + text));
            String[] f = row.substring(13).trim().split("\\s+");
            // offered, achieved, calls, ok, failed
            assertEquals("5", f[0], row);
            assertEquals("10", f[2], row);
            assertEquals("10", f[3], "every call completed: " + row);
            assertEquals("0", f[4], "no call failed: " + row);
            assertTrue(!row.contains("past the knee"), row);
        }
        assertTrue(text.contains("knee (highest offered calls/s"), text);
    }
}
