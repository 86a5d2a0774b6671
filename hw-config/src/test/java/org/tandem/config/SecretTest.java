package org.tandem.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretTest {
    @TempDir
    Path home;

    private LoadResult load(String trunk, Map<String, String> env) {
        return ConfigLoader.parse(TestConfigs.MINIMAL + "[trunk t]\nhost = 10.0.0.1\nusername = u\n" + trunk,
                "s.ini", List.of(), new LoadOptions(home, env::get, p -> false));
    }

    @Test
    void shouldReadASecretFromTheEnvironment() {
        Secret s = load("password = env:T_PASS\n", Map.of("T_PASS", "hunter22")).orThrow()
                .trunks().get("t").password();
        assertEquals("hunter22", s.value());
        assertEquals("env:T_PASS", s.reference());
    }

    @Test
    void shouldReadTheFirstLineOfASecretFileRelativeToTheHome() throws Exception {
        Files.writeString(home.resolve("pass"), "from-file\nignored\n");
        Secret s = load("password = file:pass\n", Map.of()).orThrow().trunks().get("t").password();
        assertEquals("from-file", s.value());
    }

    @Test
    void shouldNeverPrintTheSecretValue() {
        Secret s = load("password = literal-pw\n", Map.of()).orThrow().trunks().get("t").password();
        assertFalse(s.toString().contains("literal-pw"));
        assertFalse(load("password = literal-pw\n", Map.of()).orThrow().trunks().get("t").toString()
                .contains("literal-pw"));
    }

    @Test
    void shouldNameTheMissingVariable() {
        LoadResult r = load("password = env:NOPE\n", Map.of());
        assertTrue(r.errorReport().contains("[trunk t] password: environment variable NOPE is not set"),
                r.errorReport());
    }

    @Test
    void shouldRejectAnEmptySecretFile() throws Exception {
        Files.writeString(home.resolve("empty"), "");
        LoadResult r = load("password = file:empty\n", Map.of());
        assertTrue(r.errorReport().contains("[trunk t] password: file:empty is empty"), r.errorReport());
    }

    @Test
    void shouldCheckButNotReadSecretsWhenLoadedOffline() {
        LoadResult r = ConfigLoader.parse(TestConfigs.MINIMAL + "[trunk t]\nhost = 10.0.0.1\nusername = u\n"
                + "password = env:NOPE\n[snmp-user nms]\nauth_key = file:missing\npriv_key = env:NOPE_TOO\n",
                "s.ini", List.of(), new LoadOptions(home, v -> null, p -> false).withoutSecrets());
        assertTrue(r.ok(), r::errorReport);
        Secret s = r.orThrow().trunks().get("t").password();
        assertEquals("env:NOPE", s.reference());
        assertEquals(null, s.value());
    }

    @Test
    void shouldStillRejectASecretReferenceWithoutANameOffline() {
        LoadResult r = ConfigLoader.parse(TestConfigs.MINIMAL + "[trunk t]\nhost = 10.0.0.1\nusername = u\n"
                + "password = env:\n", "s.ini", List.of(), new LoadOptions(home, v -> null, p -> false)
                .withoutSecrets());
        assertTrue(r.errorReport().contains("[trunk t] password: 'env:' names no variable"), r.errorReport());
    }
}
