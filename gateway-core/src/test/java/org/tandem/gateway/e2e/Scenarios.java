package org.tandem.gateway.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.tandem.gateway.sip.testing.SippRunner;

/** sipp scenarios of the end-to-end tests (src/test/resources/e2e), some filled in from templates. */
final class Scenarios {
    private Scenarios() {
    }

    /** Deletes a directory tree made by a test (bounded: temporary directories only). */
    static void deleteTree(Path dir) {
        if (dir == null || !dir.startsWith(Path.of(System.getProperty("java.io.tmpdir")))) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a leftover temporary directory is harmless
        }
    }

    static Path file(String name) {
        return SippRunner.resource("/e2e/" + name);
    }

    /** A template with {@code @KEY@} placeholders replaced, written to a temporary file. */
    static Path fill(String name, Map<String, String> values) {
        try {
            String xml = Files.readString(file(name), StandardCharsets.ISO_8859_1);
            for (Map.Entry<String, String> e : values.entrySet()) {
                xml = xml.replace("@" + e.getKey() + "@", e.getValue());
            }
            Path out = Files.createTempFile("tandem-e2e-", "-" + name);
            Files.writeString(out, xml, StandardCharsets.ISO_8859_1);
            out.toFile().deleteOnExit();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
