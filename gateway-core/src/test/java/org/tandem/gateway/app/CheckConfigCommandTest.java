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
import org.junit.jupiter.api.io.TempDir;

class CheckConfigCommandTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    private int run(String... args) {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldPrintOkAndASummaryForTheShippedDefault() {
        assertEquals(0, run("check-config", "-c", ROOT.resolve("conf/tandem.ini").toString()), err());
        assertTrue(out().startsWith("OK\n"), out());
        assertTrue(out().contains("spans     2 span(s), 60 B-channels"), out());
        assertTrue(out().contains("sip       127.0.0.1:5060 udp,tcp"), out());
    }

    @Test
    void shouldApplyRepeatedSetOverrides() {
        assertEquals(0, run("check-config", "-c", ROOT.resolve("conf/tandem.ini").toString(),
                "--set", "sip.listen=127.0.0.1:5070", "--set=rtp.ports=30000-30999"), err());
        assertTrue(out().contains("sip       127.0.0.1:5070"), out());
        assertTrue(out().contains("rtp       30000-30999"), out());
    }

    @Test
    void shouldPrintEveryErrorAndExitWith2() throws Exception {
        Path bad = dir.resolve("bad.ini");
        Files.writeString(bad, "[sip]\nlisen = 1.2.3.4:5060\n[rtp]\nptime = 25\n");
        assertEquals(2, run("check-config", "-c", bad.toString(), "--set", "nodot=1"));
        assertEquals(bad + ":2: [sip] lisen: unknown key; did you mean 'listen'? (accepted: listen,"
                + " transports, user_agent, t1_ms, t2_ms, t4_ms, session_expires_s, min_se_s, dscp, drop_user_agents, source_rate_limit, tcp_max_connections_per_source, tcp_max_connections, tcp_idle_timeout_s, tcp_message_timeout_s, tls_listen, tls_certificate, tls_key, tls_ca, tls_verify_clients)\n"
                + bad + ":4: [rtp] ptime: 25 is not allowed (accepted: 10, 20, 30)\n"
                + "--set nodot=1: 'nodot' does not name a section and a key (accepted: section.key=value,"
                + " e.g. sip.listen=127.0.0.1:5070 or span.1.timing=0)\n"
                + bad + ": 3 errors\n", err());
        assertEquals("", out());
    }

    @Test
    void shouldPrintWarningsOnStderrAndStillExit0() throws Exception {
        Path ini = dir.resolve("reg.ini");
        Files.writeString(ini, "[span 1]\ntype = e1\ngroup = pstn\n[group pstn]\n[snmp]\ncommunity = public\n"
                + "[trunk carrier]\nhost = 192.0.2.1\nusername = u\npassword = pw\nrealm = carrier.example\n");
        assertEquals(0, run("check-config", "-c", ini.toString()), err());
        assertTrue(out().startsWith("OK\n"), out());
        assertEquals(ini + ":11: warning: [trunk carrier] realm: accepted but not acted on yet: a digest challenge"
                + " of any realm is answered with this trunk's username and password\n", err());
    }

    @Test
    void shouldPassEveryShippedExampleWhenItsSecretsAreSet() throws Exception {
        // check-config reads the real environment; the examples' env: secrets are replaced by overrides.
        assertEquals(0, run("check-config", "-c", ROOT.resolve("conf/examples/t1-ni2.ini").toString(),
                "--set", "snmp.community=c", "--set", "general.backend=sim"), err());
        assertTrue(out().contains("spans     2 span(s), 46 B-channels"), out());
    }

    @Test
    void shouldRejectAnUnexpectedArgumentWithUsage() {
        assertEquals(2, run("check-config", "-c", "x.ini", "extra"));
        assertEquals("tandem check-config: unexpected argument 'extra'\n"
                + "usage: tandem check-config [-c FILE] [--set section.key=value ...]\n", err());
    }

    @Test
    void shouldReportAMissingFileByName() {
        assertEquals(2, run("check-config", "-c", "/nonexistent/x.ini"));
        assertTrue(err().startsWith("/nonexistent/x.ini: cannot read the configuration file"), err());
    }

    @Test
    void shouldRejectAMissingOptionArgumentWithUsage() {
        assertEquals(2, run("check-config", "--set"));
        assertTrue(err().contains("--set needs section.key=value"), err());
        assertTrue(err().contains("usage: tandem check-config"), err());
    }

    @Test
    void shouldDefaultToConfTandemIniUnderTandemHome() {
        assertEquals(ROOT.resolve("conf/tandem.ini"),
                withHome(ROOT.toString(), () -> ConfigOptions.parse(List.of()).config()));
    }

    private static <T> T withHome(String home, java.util.function.Supplier<T> body) {
        String old = System.getProperty("tandem.home");
        System.setProperty("tandem.home", home);
        try {
            return body.get();
        } finally {
            if (old == null) {
                System.clearProperty("tandem.home");
            } else {
                System.setProperty("tandem.home", old);
            }
        }
    }
}
