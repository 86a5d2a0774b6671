package org.tandem.config.dahdi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tandem.config.ConfigLoader;
import org.tandem.config.GatewayConfig;
import org.tandem.config.TestConfigs;

/** system.conf for each shipped file against {@code src/test/resources/golden/NAME.system.conf}. */
class SystemConfWriterTest {

    @ParameterizedTest
    @ValueSource(strings = {"conf/tandem.ini", "conf/examples/e1-4span-cpe.ini", "conf/examples/t1-ni2.ini"})
    void shouldWriteTheGoldenSystemConfForEveryShippedFile(String file) throws Exception {
        GatewayConfig c = ConfigLoader.parse(Files.readString(TestConfigs.ROOT.resolve(file)), file, List.of(),
                TestConfigs.options(true)).orThrow();
        // Loaded by its path relative to the repository so the header line is machine-independent.
        String text = SystemConfWriter.write(c);
        Path golden = TestConfigs.RESOURCES.resolve("golden")
                .resolve(Path.of(file).getFileName().toString().replace(".ini", ".system.conf"));
        if (Boolean.getBoolean("tandem.regenerate")) {
            Files.writeString(golden, text, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(golden), text);
    }
}
