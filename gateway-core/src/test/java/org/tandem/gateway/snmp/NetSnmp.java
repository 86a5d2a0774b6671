package org.tandem.gateway.snmp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs net-snmp's command-line tools and finds the MIB files they and smilint need. */
public final class NetSnmp {
    /** The repository's mibs/ directory (tests run in gateway-core/). */
    public static final Path REPO_MIBS = Path.of("..", "mibs").toAbsolutePath().normalize();

    private NetSnmp() {
    }

    public record Result(int exit, String out, String err) {
    }

    /** Runs a tool to completion (bounded at 20 s), without MIB loading unless args ask. */
    public static Result run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("MIBS", "");
        pb.environment().remove("MIBDIRS");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    public static List<String> v2c(String tool, String community, int port, String... args) {
        List<String> cmd = new ArrayList<>(List.of(tool, "-v2c", "-c", community, "-On", "-t", "1",
                "-r", "0", "-m", ""));
        cmd.add("udp:127.0.0.1:" + port);
        cmd.addAll(List.of(args));
        return cmd;
    }

    public static List<String> v3(String tool, String user, String auth, String authPass, String privPass,
            int port, String... args) {
        List<String> cmd = new ArrayList<>(List.of(tool, "-v3", "-l", "authPriv", "-u", user, "-a",
                auth, "-A", authPass, "-x", "AES", "-X", privPass, "-On", "-t", "1", "-r", "0",
                "-m", ""));
        cmd.add("udp:127.0.0.1:" + port);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * A directory with the IETF base modules (SNMPv2-SMI, SNMPv2-TC, SNMPv2-CONF) that
     * TANDEM-GATEWAY-MIB imports, or null. Debian ships them in erlang-snmp (and, from non-free,
     * snmp-mibs-downloader); TANDEM_IETF_MIBS overrides.
     */
    public static Path baseMibDir() throws IOException {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("TANDEM_IETF_MIBS");
        if (env != null) {
            candidates.add(Path.of(env));
        }
        candidates.add(Path.of("/usr/share/snmp/mibs/ietf"));
        Path erlang = Path.of("/usr/lib/erlang/lib");
        if (Files.isDirectory(erlang)) {
            try (Stream<Path> dirs = Files.list(erlang)) {
                dirs.filter(d -> d.getFileName().toString().startsWith("snmp-"))
                        .map(d -> d.resolve("mibs")).sorted().forEach(candidates::add);
            }
        }
        for (Path d : candidates) {
            if (Files.exists(d.resolve("SNMPv2-SMI.mib")) || Files.exists(d.resolve("SNMPv2-SMI"))
                    || Files.exists(d.resolve("SNMPv2-SMI.txt"))) {
                return d;
            }
        }
        return null;
    }
}
