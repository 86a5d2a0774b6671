package org.tandem.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DahdiConfCommandTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void shouldPrintSystemConfWithGlobalChannelNumbersEvenWithoutDevDahdi() {
        assertEquals(0, run("dahdi-conf", "-c", ROOT.resolve("conf/tandem.ini").toString(),
                "--set", "general.backend=dahdi"), err.toString(StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("span=2,2,0,ccs,hdb3,crc4\nbchan=32-46,48-62\nhardhdlc=47\n"), text);
        assertTrue(text.endsWith("loadzone=us\ndefaultzone=us\n"), text);
    }

    @Test
    void shouldWriteTheGoldenFileOfTheE1ExampleWithoutItsSecretsOrDevDahdi() throws Exception {
        // The example's passwords and SNMP keys are env: references this test's environment does not set.
        assertEquals(0, run("dahdi-conf", "-c", ROOT.resolve("conf/examples/e1-4span-cpe.ini").toString()),
                err.toString(StandardCharsets.UTF_8));
        String golden = Files.readString(ROOT.resolve("hw-config/src/test/resources/golden/e1-4span-cpe.system.conf"));
        assertEquals(withoutFirstLine(golden), withoutFirstLine(out.toString(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldApplySetOverridesToTheGeneratedFile() {
        assertEquals(0, run("dahdi-conf", "-c", ROOT.resolve("conf/tandem.ini").toString(),
                "--set", "span.2.timing=0", "--set", "dahdi.dchannel_mode=dchan"), err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("span=2,0,0,ccs,hdb3,crc4\nbchan=32-46,48-62\ndchan=47\n"),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseABrokenFileWithEveryErrorAndExit2() {
        assertEquals(2, run("dahdi-conf", "-c", ROOT.resolve("conf/tandem.ini").toString(),
                "--set", "span.1.bchannels=1-31", "--set", "span.1.type=t1"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("[span 1] bchannels: timeslots 25-31 do not exist on a T1 span (E1 timeslots on a T1 span?)"), e);
        assertTrue(e.contains("[span 1] dchannel: D-channel 24 is also listed in bchannels = 1-31"), e);
        assertTrue(e.endsWith(": 2 errors\n"), e);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldExplainAnUnexpectedArgument() {
        assertEquals(2, run("dahdi-conf", "extra"));
        assertEquals("tandem dahdi-conf: unexpected argument 'extra'\n"
                + "usage: tandem dahdi-conf [-c FILE] [--set section.key=value ...]\n", err.toString(StandardCharsets.UTF_8));
    }

    private static String withoutFirstLine(String text) {
        return text.substring(text.indexOf('\n') + 1);
    }
}
