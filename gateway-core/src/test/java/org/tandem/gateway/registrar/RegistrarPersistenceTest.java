package org.tandem.gateway.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.config.RegistrarConfig;

/** The registrar saves its bindings on its tick, and a restarted one finds them again. */
class RegistrarPersistenceTest {
    @TempDir
    Path dir;

    final TestClock clock = new TestClock(1_700_000_000_000L);
    final UserDirectory users = new UserDirectory(List.of(RegistrarTest.ALICE, RegistrarTest.BOB),
            RegistrarTest.CONFIG.domains());

    private Registrar start(BindingFile file) {
        RegistrarConfig c = RegistrarTest.CONFIG;
        Registrar r = new Registrar(c, users, new RegisterAuthenticator(c.realm(), c.algorithms(), users,
                new byte[32]), new LocationService(users), file, clock);
        r.restore();
        return r;
    }

    @Test
    void shouldFindTheBindingsOfTheLastRunAfterARestartWithTheTimeTheyHadLeft() {
        BindingFile file = new BindingFile(dir.resolve("bindings.txt"));
        Registrar first = start(file);
        Phone alice = new Phone("alice", "alice-pw");
        assertEquals(200, alice.send(first, () -> alice.register("600", RequestContact.of("sip:alice@10.0.0.5"))).status());
        assertEquals(1, first.tick(), "saved on the first tick after the change");
        assertEquals(0, first.tick(), "nothing changed since");
        clock.advanceSeconds(100);
        Registrar second = start(file);
        List<Binding> back = second.location().snapshot().contactsForNumber("1001", clock.getAsLong());
        assertEquals(List.of("sip:alice@10.0.0.5"), back.stream().map(Binding::contactUri).toList());
        assertEquals(500, back.get(0).remainingSeconds(clock.getAsLong()));
        Phone again = new Phone("alice", "alice-pw");
        again.cseq = alice.cseq - 2; // its challenged try, then alice's last CSeq again: a delayed copy
        assertEquals(500, again.send(second, () -> again.register("600", RequestContact.of("sip:alice@10.0.0.5"))).status(),
                "Call-ID and CSeq survive the restart, so an old REGISTER stays out of order");
    }

    @Test
    void shouldSaveABurstOfChangesOncePerIntervalAndTheRestAtClose() throws Exception {
        BindingFile file = new BindingFile(dir.resolve("bindings.txt"));
        Registrar r = start(file);
        Phone alice = new Phone("alice", "alice-pw");
        Phone bob = new Phone("bob", "bob-pw");
        alice.send(r, () -> alice.register("600", RequestContact.of("sip:alice@10.0.0.5")));
        assertEquals(1, r.tick());
        bob.send(r, () -> bob.register("600", RequestContact.of("sip:bob@10.0.0.9")));
        clock.advanceMillis(Registrar.SAVE_INTERVAL_MS - 1);
        assertEquals(0, r.tick(), "saved less than an interval ago");
        assertEquals(1, file.load(clock.getAsLong(), users).bindings().size());
        r.close();
        assertEquals(2, file.load(clock.getAsLong(), users).bindings().size());
    }

    @Test
    void shouldMoveAnUnreadableFileAsideAndStartWithoutRegistrations() throws Exception {
        Path p = dir.resolve("bindings.txt");
        Files.writeString(p, "not bindings\n");
        Registrar r = start(new BindingFile(p));
        assertEquals(0, r.location().all().size());
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(x -> x.getFileName().toString()).toList();
            assertEquals(1, names.size(), names::toString);
            assertTrue(names.get(0).startsWith("bindings.txt.corrupt-"), names::toString);
        }
        Phone alice = new Phone("alice", "alice-pw");
        alice.send(r, () -> alice.register("600", RequestContact.of("sip:alice@10.0.0.5")));
        r.close();
        assertEquals(1, new BindingFile(p).load(clock.getAsLong(), users).bindings().size());
    }

    @Test
    void shouldKeepRunningAndRetryWhenASaveFails() throws Exception {
        Path p = dir.resolve("bindings.txt");
        Registrar r = start(new BindingFile(p));
        Phone alice = new Phone("alice", "alice-pw");
        alice.send(r, () -> alice.register("600", RequestContact.of("sip:alice@10.0.0.5")));
        Files.createDirectories(dir.resolve("bindings.txt.tmp/blocker"));
        assertEquals(0, r.tick());
        assertEquals(1, r.counters().saveFailures.get());
        Files.delete(dir.resolve("bindings.txt.tmp/blocker"));
        Files.delete(dir.resolve("bindings.txt.tmp"));
        clock.advanceMillis(Registrar.SAVE_INTERVAL_MS);
        assertEquals(1, r.tick(), "still dirty: saved on the next interval");
        assertEquals(1, new BindingFile(p).load(clock.getAsLong(), users).bindings().size());
    }
}
