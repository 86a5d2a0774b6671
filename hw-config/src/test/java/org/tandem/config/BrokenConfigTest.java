package org.tandem.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The corpus under {@code src/test/resources/broken/}: each {@code NAME.ini} (with optional
 * {@code NAME.args}, one {@code --set} per line) must fail with exactly the text in
 * {@code NAME.expected}. Run with {@code -Dtandem.regenerate=true} to rewrite the expected files
 * after a deliberate message change, then review the diff.
 */
class BrokenConfigTest {
    private static final Path DIR = TestConfigs.RESOURCES.resolve("broken");

    @TestFactory
    Stream<DynamicTest> shouldReportExactlyTheExpectedErrorsForEveryBrokenFile() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".ini")).sorted().toList();
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    private static void check(Path ini) throws IOException {
        String base = ini.getFileName().toString().replaceFirst("\\.ini$", "");
        Path args = DIR.resolve(base + ".args");
        List<String> overrides = Files.exists(args)
                ? Files.readAllLines(args).stream().filter(l -> !l.isBlank()).toList() : List.of();
        LoadResult r = ConfigLoader.parse(Files.readString(ini), base + ".ini", overrides,
                TestConfigs.options(false));
        assertFalse(r.ok(), base + " was accepted");
        Path expected = DIR.resolve(base + ".expected");
        if (Boolean.getBoolean("tandem.regenerate")) {
            Files.writeString(expected, r.errorReport(), StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(expected), r.errorReport(), base);
    }
}
