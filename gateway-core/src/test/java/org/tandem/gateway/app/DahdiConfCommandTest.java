package org.tandem.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
}
