package org.tandem.gateway.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One owner changes the bindings; readers see whole snapshots, never a half-made change. */
class LocationServiceTest {
    static final long NOW = BindingFileTest.NOW;
    final UserDirectory users = new UserDirectory(List.of(RegistrarTest.ALICE, RegistrarTest.BOB), List.of("h"));
    final LocationService location = new LocationService(users);

    private static Binding b(String user, String contact, int q, long expiresInS, long registeredAgoS) {
        return new Binding(user, contact, q, NOW + expiresInS * 1000, NOW - registeredAgoS * 1000, "c", 1,
                new Flow("udp", "198.51.100.7", 5060), List.of(), null);
    }

    @Test
    void shouldPublishANewSnapshotPerCommitAndLeaveTheOldOneAsItWas() {
        LocationSnapshot empty = location.snapshot();
        location.replace("alice", List.of(b("alice", "sip:a@10.0.0.1", -1, 60, 0)));
        LocationSnapshot one = location.snapshot();
        assertNotSame(empty, one);
        assertEquals(0, empty.bindingCount(NOW));
        assertEquals(1, one.bindingCount(NOW));
        location.replace("alice", List.of());
        assertEquals(1, one.contactsOf("alice", NOW).size(), "a reader's snapshot never changes under it");
        assertEquals(0, location.snapshot().registeredUsers(NOW));
        assertTrue(location.dirty());
        location.markSaved();
        assertFalse(location.dirty());
    }

    @Test
    void shouldOrderEachUsersBindingsByPreferenceForSequentialForking() {
        location.replace("alice", List.of(b("alice", "sip:a@10.0.0.1", 500, 60, 0), b("alice", "sip:a@10.0.0.2", -1, 60, 10),
                b("alice", "sip:a@10.0.0.3", 1000, 60, 5), b("alice", "sip:a@10.0.0.4", 0, 60, 0)));
        assertEquals(List.of("sip:a@10.0.0.3", "sip:a@10.0.0.2", "sip:a@10.0.0.1", "sip:a@10.0.0.4"),
                location.snapshot().contactsForNumber("1001", NOW).stream().map(Binding::contactUri).toList(),
                "q 1.0 and no q tie, the more recent first; then 0.5, then 0");
    }

    @Test
    void shouldExpireOnlyWhatHasLapsedAndSayHowMany() {
        location.replace("alice", List.of(b("alice", "sip:a@10.0.0.1", -1, 60, 0), b("alice", "sip:a@10.0.0.2", -1, 120, 0)));
        location.replace("bob", List.of(b("bob", "sip:b@10.0.0.9", -1, 60, 0)));
        location.markSaved();
        assertEquals(0, location.expire(NOW + 59_999));
        assertFalse(location.dirty());
        assertEquals(2, location.expire(NOW + 60_000));
        assertTrue(location.dirty());
        assertEquals(Map.of("alice", List.of("sip:a@10.0.0.2")), Map.of("alice", location.snapshot()
                .all(NOW + 60_000).get("alice").stream().map(Binding::contactUri).toList()));
        assertEquals(1, location.snapshot().all(NOW + 60_000).size());
    }

    @Test
    void shouldRefuseToCommitOneUsersBindingAsAnothers() {
        assertThrows(IllegalArgumentException.class,
                () -> location.replace("bob", List.of(b("alice", "sip:a@10.0.0.1", -1, 60, 0))));
    }

    @Test
    void shouldDropTheBindingsOfAUserAReloadRemovedAndRouteItsNumberToTheNewOwner() {
        location.replace("alice", List.of(b("alice", "sip:a@10.0.0.1", -1, 60, 0)));
        location.replace("bob", List.of(b("bob", "sip:b@10.0.0.9", -1, 60, 0)));
        location.markSaved();
        // the reload: bob is gone, alice now also owns bob's number 1003
        users.replace(List.of(new org.tandem.config.UserConfig("alice", RegistrarTest.ALICE.password(),
                List.of("1001", "1003"), RegistrarTest.ALICE.fork(), 20, 3)));
        assertEquals(1, location.forgetRemovedUsers(), "bob's one binding");
        assertTrue(location.dirty(), "the file must follow");
        assertEquals(List.of("sip:a@10.0.0.1"), location.snapshot().contactsForNumber("1003", NOW).stream()
                .map(Binding::contactUri).toList());
        assertEquals(List.of(), location.snapshot().contactsOf("bob", NOW));
        assertTrue(users.byName("bob").isEmpty());
        assertEquals(0, location.forgetRemovedUsers(), "nothing more to drop");
    }
}
