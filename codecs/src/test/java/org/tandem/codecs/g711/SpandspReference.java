package org.tandem.codecs.g711;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * spandsp's G.711 conversions for every input, obtained by compiling and running
 * {@code src/test/c/g711_reference.c} with gcc against the system's libspandsp. Built once per
 * test JVM. Missing gcc or spandsp is a test failure, not a skip: CI installs both.
 */
final class SpandspReference {
    private static final Path SOURCE = Path.of("src/test/c/g711_reference.c");
    private static final Path WORK = Path.of("target/spandsp-reference");
    private static final String HEADER = "/usr/include/spandsp/g711.h";
    private static final String SETUP_HINT = " -- install the test prerequisites with bin/setup-debian"
            + " (as root; it installs gcc and libspandsp-dev)";

    private static Map<String, int[]> tables;

    private SpandspReference() {
    }

    /** The named table indexed by input: linear + 32768 for the encoders, the code word otherwise. */
    static synchronized int[] table(String name) {
        if (tables == null) {
            tables = build();
        }
        int[] table = tables.get(name);
        if (table == null) {
            fail("reference program printed no table named " + name);
        }
        return table;
    }

    private static Map<String, int[]> build() {
        if (!Files.isRegularFile(Path.of(HEADER))) {
            fail(HEADER + " not found" + SETUP_HINT);
        }
        try {
            Files.createDirectories(WORK);
            Path binary = WORK.resolve("g711_reference");
            run(List.of("gcc", "-O2", "-o", binary.toString(), SOURCE.toString(), "-lspandsp"), "compile");
            Path output = WORK.resolve("g711_reference.txt");
            Process p = new ProcessBuilder(binary.toString())
                    .redirectOutput(output.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail(binary + " failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
            }
            return parse(Files.readAllLines(output, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            fail("could not build or run the spandsp reference (" + e + ")" + SETUP_HINT, e);
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void run(List<String> command, String what) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("cannot " + what + " the spandsp reference: " + command.get(0) + " not runnable (" + e.getMessage()
                    + ")" + SETUP_HINT);
            throw e;
        }
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", command) + " failed:\n" + log + SETUP_HINT);
        }
    }

    private static Map<String, int[]> parse(List<String> lines) {
        Map<String, int[]> result = new HashMap<>();
        int i = 0;
        while (i < lines.size()) {
            String[] head = lines.get(i++).split(" ");
            int count = Integer.parseInt(head[1]);
            int[] table = new int[count];
            int base = count == 65536 ? -32768 : 0;
            for (int k = 0; k < count; k++) {
                String[] f = lines.get(i++).split(" ");
                table[Integer.parseInt(f[0]) - base] = Integer.parseInt(f[1]);
            }
            result.put(head[0], table);
        }
        return result;
    }
}
