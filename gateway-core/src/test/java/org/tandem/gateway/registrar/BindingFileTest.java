package org.tandem.gateway.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.config.Secret;
import org.tandem.config.UserConfig;

/** Bindings survive a restart; a damaged file loses only its damaged lines. */
class BindingFileTest {
    static final long NOW = 1_700_000_000_000L;
    static final UserConfig CAROL = new UserConfig("carol", new Secret("literal", "pw"), List.of("2001"),
            UserConfig.Fork.PARALLEL, 20, 2);
    final UserDirectory users = new UserDirectory(List.of(RegistrarTest.ALICE, RegistrarTest.BOB, CAROL),
            List.of("pbx.example.net"));

    @TempDir
    Path dir;

    static Binding binding(String user, String contact, long expiresInS) {
        return new Binding(user, contact, -1, NOW + expiresInS * 1000, NOW - 5000, "cid@10.0.0.5", 7,
                new Flow("udp", "198.51.100.7", 40212), List.of(), null);
    }

    private BindingFile file() {
        return new BindingFile(dir.resolve("var/lib/bindings.txt"));
    }

    private List<String> lines() throws IOException {
        return Files.readAllLines(dir.resolve("var/lib/bindings.txt"));
    }

    private void write(List<String> lines) throws IOException {
        Files.writeString(dir.resolve("var/lib/bindings.txt"), String.join("\n", lines) + "\n");
    }

    @Test
    void shouldReadBackEveryFieldOfWhatItSaved() throws Exception {
        Binding odd = new Binding("alice", "sip:alice@[2001:db8::5]:5070;transport=tcp;line=a%2Cb", 250,
                NOW + 600_000, NOW - 1000, "weird\tcall,id%\n@x", 4_000_000_000L, new Flow("tcp", "2001:db8::5", 5070),
                List.of("<sip:edge1.example.net;lr>", "<sip:p,2.example.net;lr>"), "Ünïcode Phone\t2.0");
        Binding plain = binding("bob", "sip:bob@10.0.0.9", 3600);
        file().save(List.of(odd, plain));
        BindingFile.Loaded loaded = file().load(NOW, users);
        assertEquals(List.of(), loaded.skipped());
        assertEquals(0, loaded.expired());
        assertEquals(List.of(odd, plain).stream().sorted(java.util.Comparator.comparing(Binding::user)).toList(),
                loaded.bindings().stream().sorted(java.util.Comparator.comparing(Binding::user)).toList());
        assertEquals(BindingFile.HEADER, lines().get(0));
        assertEquals(3, lines().size(), "one line per binding, however odd its fields");
    }

    @Test
    void shouldStartEmptyWithoutAFile() throws Exception {
        BindingFile.Loaded loaded = file().load(NOW, users);
        assertEquals(List.of(), loaded.bindings());
        assertEquals(List.of(), loaded.skipped());
    }

    @Test
    void shouldDropBindingsThatLapsedWhileTheGatewayWasDown() throws Exception {
        file().save(List.of(binding("alice", "sip:alice@10.0.0.5", 60), binding("bob", "sip:bob@10.0.0.9", 3600)));
        BindingFile.Loaded loaded = file().load(NOW + 61_000, users);
        assertEquals(List.of("sip:bob@10.0.0.9"), loaded.bindings().stream().map(Binding::contactUri).toList());
        assertEquals(1, loaded.expired());
        assertEquals(List.of(), loaded.skipped());
    }

    @Test
    void shouldSkipADamagedLineAndKeepEveryOther() throws Exception {
        file().save(List.of(binding("alice", "sip:alice@10.0.0.5", 600), binding("bob", "sip:bob@10.0.0.9", 600),
                binding("carol", "sip:carol@10.0.0.7", 600)));
        List<String> l = new ArrayList<>(lines());
        l.set(2, l.get(2).replace("10.0.0.9", "10.0.0.8")); // a flipped byte: the checksum no longer fits
        l.add(3, "garbage that was never a binding");
        write(l);
        BindingFile.Loaded loaded = file().load(NOW, users);
        assertEquals(List.of("sip:alice@10.0.0.5", "sip:carol@10.0.0.7"),
                loaded.bindings().stream().map(Binding::contactUri).sorted().toList());
        assertEquals(List.of("line 3: checksum mismatch (damaged), skipped", "line 4: no checksum, skipped"),
                loaded.skipped());
    }

    @Test
    void shouldSkipATruncatedLastLineAndKeepTheLinesBefore() throws Exception {
        file().save(List.of(binding("alice", "sip:alice@10.0.0.5", 600), binding("bob", "sip:bob@10.0.0.9", 600)));
        byte[] all = Files.readAllBytes(dir.resolve("var/lib/bindings.txt"));
        Files.write(dir.resolve("var/lib/bindings.txt"), java.util.Arrays.copyOf(all, all.length - 20));
        BindingFile.Loaded loaded = file().load(NOW, users);
        assertEquals(1, loaded.bindings().size());
        assertEquals(List.of("line 3: truncated (no end of line), skipped"), loaded.skipped());
    }

    @Test
    void shouldSkipBindingsOfUsersNoLongerConfiguredAndCutToALoweredMaxContacts() throws Exception {
        file().save(List.of(binding("dave", "sip:dave@10.0.0.1", 600), binding("carol", "sip:carol@10.0.0.1", 600),
                binding("carol", "sip:carol@10.0.0.2", 600), binding("carol", "sip:carol@10.0.0.3", 600)));
        BindingFile.Loaded loaded = file().load(NOW, users);
        assertEquals(2, loaded.bindings().size(), "carol's max_contacts is 2");
        assertEquals(List.of("line 2: user dave is no longer configured, skipped",
                "carol: 3 bindings but max_contacts is 2, kept the 2 most preferred"), loaded.skipped());
    }

    @Test
    void shouldKeepTheNewerOfTwoLinesForTheSameContact() throws Exception {
        Binding older = binding("alice", "sip:alice@10.0.0.5", 600);
        Binding newer = new Binding("alice", "sip:%61lice@10.0.0.5", -1, // the same URI by RFC 3261 19.1.4
                NOW + 900_000, NOW, "cid2", 1, older.flow(), List.of(), null);
        file().save(List.of(older, newer));
        BindingFile.Loaded loaded = file().load(NOW, users);
        assertEquals(List.of(newer), loaded.bindings());
        assertEquals(List.of("line 3: same contact of user alice as line 2, kept this one"), loaded.skipped());
    }

    @Test
    void shouldRefuseAFileThatIsNotABindingsFileNamingItAndWhatItHolds() throws Exception {
        Path p = dir.resolve("var/lib/bindings.txt");
        Files.createDirectories(p.getParent());
        Files.writeString(p, "<?xml version=\"1.0\"?>\n<bindings/>\n");
        assertEquals("bindings file " + p + " is not a Tandem bindings file: its first line is"
                + " '<?xml version=\"1.0\"?>' (expected the line 'tandem-bindings 1')",
                assertThrows(BindingFileException.class, () -> file().load(NOW, users)).getMessage());
        Files.writeString(p, "");
        assertEquals("bindings file " + p + " is empty (expected the line 'tandem-bindings 1')",
                assertThrows(BindingFileException.class, () -> file().load(NOW, users)).getMessage());
        Files.writeString(p, "tandem-bindings 2\n");
        assertEquals("bindings file " + p + " is of version '2'; this Tandem reads version 1 (expected the line"
                + " 'tandem-bindings 1')", assertThrows(BindingFileException.class, () -> file().load(NOW, users))
                .getMessage());
    }

    @Test
    void shouldReplaceTheFileWholeLeavingNoTemporaryFileAndReadableByItsOwnerOnly() throws Exception {
        file().save(List.of(binding("alice", "sip:alice@10.0.0.5", 600)));
        file().save(List.of(binding("bob", "sip:bob@10.0.0.9", 600)));
        assertEquals(List.of("bob"), file().load(NOW, users).bindings().stream().map(Binding::user).toList());
        try (Stream<Path> s = Files.list(dir.resolve("var/lib"))) {
            assertEquals(List.of("bindings.txt"), s.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("var/lib/bindings.txt"))));
    }

    @Test
    void shouldKeepTheOldFileWhenASaveFails() throws Exception {
        file().save(List.of(binding("alice", "sip:alice@10.0.0.5", 600)));
        Files.createDirectories(dir.resolve("var/lib/bindings.txt.tmp/blocker")); // the temp file cannot be made
        IOException e = assertThrows(IOException.class, () -> file().save(List.of(binding("bob", "sip:bob@10.0.0.9", 600))));
        assertTrue(e.getMessage().startsWith("saving bindings to " + dir.resolve("var/lib/bindings.txt") + " failed"),
                e.getMessage());
        assertEquals(List.of("alice"), file().load(NOW, users).bindings().stream().map(Binding::user).toList());
    }

    @Test
    void shouldIgnoreATemporaryFileLeftByACrashDuringASave() throws Exception {
        file().save(List.of(binding("alice", "sip:alice@10.0.0.5", 600)));
        Files.writeString(dir.resolve("var/lib/bindings.txt.tmp"), "tandem-bindings 1\nhalf a li", StandardCharsets.UTF_8);
        assertEquals(1, file().load(NOW, users).bindings().size());
        file().save(List.of(binding("bob", "sip:bob@10.0.0.9", 600)));
        assertFalse(Files.exists(dir.resolve("var/lib/bindings.txt.tmp")));
    }
}
