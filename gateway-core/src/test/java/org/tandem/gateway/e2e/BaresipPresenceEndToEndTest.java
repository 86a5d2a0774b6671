package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.sip.testing.SippRunner;

/**
 * A real softphone stack watching presence: baresip (the Debian package bin/setup-debian
 * installs) with its presence module subscribes to a contact through the gateway, answering the
 * digest challenge with its account's password, and reads our PIDF NOTIFYs; its {@code /contacts}
 * command shows the status it understood. Skipped where baresip is missing.
 *
 * <p>baresip 1.0 (libre) gives up on a challenge when any WWW-Authenticate names an algorithm it
 * lacks, so the gateway offers MD5 only here (docs/PRESENCE.md, interoperability).
 */
class BaresipPresenceEndToEndTest extends AbstractEndToEndTest {
    private static final Path STATE = tempDir();
    private static final Pattern ALICE = Pattern.compile("(Online|Offline|Busy|Away|Unknown)[^\\n]*Alice <sip:alice@");

    BaresipPresenceEndToEndTest() {
        super(Gateway.Options.defaults(), "registrar.algorithms=md5", "user.alice.password=alice-pw",
                "user.alice.numbers=1001", "user.carol.password=carol-pw",
                "registrar.bindings_file=" + STATE.resolve("bindings.txt"));
    }

    @AfterAll
    void removeState() {
        Scenarios.deleteTree(STATE);
    }

    @Test
    void shouldShowBaresipAUserOfflineThenOnlineThenBusyDuringACallThenOnlineAgain() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/baresip")) && Files.isExecutable(Path.of("/usr/bin/stdbuf")),
                "baresip (or stdbuf) is not installed");
        Path dir = Files.createTempDirectory("tandem-baresip");
        Process p = null;
        try {
            writeConfig(dir);
            // line-buffered, so the test reads each /contacts answer while baresip runs
            p = new ProcessBuilder("stdbuf", "-oL", "baresip", "-f", dir.toString(), "-t", "40")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
            OutputStream in = p.getOutputStream();
            awaitOutput(dir, "Subscribing to 1 contacts", 10_000);
            assertEquals("Offline", awaitStatus(in, dir, "Offline", 5_000), "alice is not registered yet");

            registerAlice();
            // RFC 3856 6.4: presence NOTIFYs come at most every 5 s, so each change may take that long
            assertEquals("Online", awaitStatus(in, dir, "Online", 8_000));

            SippRunner.Sipp call = gw.uac(Scenarios.file("call-from.xml"), "1004", rtp.port())
                    .option("-key", "caller", "1001").option("-d", "9000").start();
            assertEquals("Busy", awaitStatus(in, dir, "Busy", 8_000), "on-the-phone reads as busy");
            SippRunner.Result r = call.await();
            assertTrue(r.succeeded(), r::toString);
            assertEquals("Online", awaitStatus(in, dir, "Online", 8_000));
        } finally {
            if (p != null) {
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            Scenarios.deleteTree(dir);
        }
    }

    private void writeConfig(Path dir) throws IOException {
        int port = SippRunner.freePort();
        String gateway = "127.0.0.1:" + gw.sipPort;
        Files.writeString(dir.resolve("config"), String.join("\n",
                "sip_listen 127.0.0.1:" + port,
                "module_path /usr/lib/baresip/modules",
                "module stdio.so",
                "module g711.so",
                "module_app account.so",
                "module_app contact.so",
                "module_app presence.so",
                "module_app menu.so",
                "audio_player aufile,/dev/null",
                "audio_source aufile,/dev/null",
                ""), StandardCharsets.UTF_8);
        // regint=0: carol does not register; she only watches (SUBSCRIBE is authenticated on its own)
        Files.writeString(dir.resolve("accounts"), "<sip:carol@" + gateway + ">;auth_pass=carol-pw;regint=0\n",
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("contacts"), "\"Alice\" <sip:alice@" + gateway + ">;presence=p2p\n",
                StandardCharsets.UTF_8);
    }

    /** Asks baresip for its contacts until Alice shows {@code wanted} or the time is up; the last status seen. */
    private static String awaitStatus(OutputStream in, Path dir, String wanted, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        String last = "none";
        while (System.currentTimeMillis() < deadline) {
            in.write("/contacts\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
            Thread.sleep(500);
            Matcher m = ALICE.matcher(Files.readString(dir.resolve("out.log"), StandardCharsets.ISO_8859_1));
            while (m.find()) {
                last = m.group(1);
            }
            if (last.equals(wanted)) {
                break;
            }
        }
        return last;
    }

    private static void awaitOutput(Path dir, String text, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(dir.resolve("out.log"))
                    && Files.readString(dir.resolve("out.log"), StandardCharsets.ISO_8859_1).contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("baresip never said '" + text + "': "
                + Files.readString(dir.resolve("out.log"), StandardCharsets.ISO_8859_1));
    }

    private void registerAlice() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("FINAL", "200");
        values.put("CONTACT", "      Contact: <sip:alice@127.0.0.1:5093>");
        values.put("CHECKS", "");
        values.put("REFS", "");
        SippRunner.Result reg = SippRunner.scenario(Scenarios.fill("register.xml", values)).to(SippRunner.LOOPBACK,
                gw.sipPort).option("-key", "dom", "127.0.0.1").option("-key", "aor", "alice")
                .option("-cid_str", "reg-alice").option("-key", "cseq1", "1").option("-key", "cseq2", "2")
                .option("-key", "expires", "600").option("-au", "alice").option("-ap", "alice-pw").run();
        assertTrue(reg.succeeded(), reg::toString);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("tandem-baresip-state");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
