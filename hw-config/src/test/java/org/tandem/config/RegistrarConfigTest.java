package org.tandem.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code [registrar]} and {@code [user NAME]}: defaults, derived values and warnings. */
class RegistrarConfigTest {
    private static final String USERS = """
            [user alice]
            password = env:ALICE_PW
            numbers = 1001, +4930123456
            [user bob]
            password = bob-literal
            fork = sequential
            ring_time_s = 15
            max_contacts = 3
            """;

    private static LoadResult load(String text, String... overrides) {
        return ConfigLoader.parse(TestConfigs.MINIMAL + text, "r.ini", List.of(overrides),
                new LoadOptions(TestConfigs.RESOURCES, Map.of("ALICE_PW", "alice-secret")::get, p -> false));
    }

    @Test
    void shouldReadUsersWithTheirDefaultsAndResolveTheirSecrets() {
        GatewayConfig c = load(USERS).orThrow();
        assertEquals(List.of("alice", "bob"), List.copyOf(c.users().keySet()));
        UserConfig alice = c.users().get("alice");
        assertEquals("alice-secret", alice.password().value());
        assertEquals(List.of("1001", "+4930123456"), alice.numbers());
        assertEquals(UserConfig.Fork.PARALLEL, alice.fork());
        assertEquals(20, alice.ringTimeS());
        assertEquals(10, alice.maxContacts());
        UserConfig bob = c.users().get("bob");
        assertEquals(List.of(), bob.numbers());
        assertEquals(UserConfig.Fork.SEQUENTIAL, bob.fork());
        assertEquals(15, bob.ringTimeS());
        assertEquals(3, bob.maxContacts());
    }

    @Test
    void shouldServeTheSipListenHostAsDomainAndRealmWhenNothingElseIsSaid() {
        RegistrarConfig r = load(USERS + "[sip]\nlisten = 192.0.2.10:5060\n").orThrow().registrar();
        assertEquals(List.of("192.0.2.10"), r.domains());
        assertEquals("192.0.2.10", r.realm());
        assertEquals(60, r.minExpiresS());
        assertEquals(3600, r.maxExpiresS());
        assertEquals(3600, r.defaultExpiresS());
        assertEquals(TestConfigs.RESOURCES.resolve("var/lib/bindings.txt"), r.bindingsFile());
        assertEquals(List.of(RegistrarConfig.DigestAlgorithm.SHA256, RegistrarConfig.DigestAlgorithm.MD5),
                r.algorithms());
    }

    @Test
    void shouldTakeTheFirstConfiguredDomainAsRealm() {
        RegistrarConfig r = load(USERS + "[registrar]\ndomains = pbx.example.net, 192.0.2.10, pbx.example.net\n"
                + "algorithms = md5\n").orThrow().registrar();
        assertEquals(List.of("pbx.example.net", "192.0.2.10"), r.domains());
        assertEquals("pbx.example.net", r.realm());
        assertEquals(List.of(RegistrarConfig.DigestAlgorithm.MD5), r.algorithms());
    }

    @Test
    void shouldFindTheOneUserOwningANumber() {
        GatewayConfig c = load(USERS).orThrow();
        assertEquals("alice", c.userOwning("+4930123456").orElseThrow().name());
        assertTrue(c.userOwning("1003").isEmpty());
    }

    @Test
    void shouldNotWarnAboutNumbersNowThatCallsAreRoutedToTheirOwners() {
        LoadResult r = load(USERS);
        assertTrue(r.ok(), r::errorReport);
        assertEquals("", r.warningReport());
    }

    @Test
    void shouldRouteToOneUserOrToTheOwnerOfTheCalledNumber() {
        GatewayConfig c = load(USERS + """
                [route to-alice]
                direction = pstn-to-sip
                match_called = 1001
                target = user:alice
                failover = users
                """).orThrow();
        RouteConfig r = c.routes().stream().filter(x -> x.name().equals("to-alice")).findFirst().orElseThrow();
        assertEquals(new RouteTarget(RouteTarget.Kind.USER, "alice"), r.target());
        assertEquals(List.of(RouteTarget.USERS), r.failover());
        assertEquals("user:alice", r.target().toString());
        assertEquals("users", r.failover().get(0).toString());
    }

    @Test
    void shouldRefuseAnUnknownUserTargetNamingFileLineAndKey() {
        LoadResult r = load(USERS + """
                [route to-zed]
                direction = pstn-to-sip
                target = user:zed
                """);
        assertEquals("r.ini:17: [route to-zed] target: no [user zed] section for user:zed (accepted: one of"
                + " alice, bob)\nr.ini: 1 error\n", r.errorReport());
    }

    @Test
    void shouldRefuseTheUsersTargetWithoutAnyUser() {
        LoadResult r = load("""
                [route owners]
                direction = pstn-to-sip
                target = users
                """);
        assertTrue(r.errorReport().contains("[route owners] target: 'users' rings the registered owner of the"
                + " called number, but no [user NAME] section is configured"), r::errorReport);
    }

    @Test
    void shouldRefuseAUserTargetOnASipToPstnRoute() {
        LoadResult r = load(USERS + """
                [route out]
                direction = sip-to-pstn
                target = user:alice
                """);
        assertTrue(r.errorReport().contains("[route out] target: a sip-to-pstn route must target a channel"
                + " group, not user:alice"), r::errorReport);
    }

    @Test
    void shouldNeverShowAUserPasswordInTheRecord() {
        UserConfig bob = load(USERS).orThrow().users().get("bob");
        assertFalse(bob.toString().contains("bob-literal"), bob::toString);
    }

    @Test
    void shouldLetAnOverrideChangeAUserAndAddANumber() {
        GatewayConfig c = load(USERS, "user.bob.numbers=2001", "user.alice.fork=sequential").orThrow();
        assertEquals(List.of("2001"), c.users().get("bob").numbers());
        assertEquals(UserConfig.Fork.SEQUENTIAL, c.users().get("alice").fork());
    }

    @Test
    void shouldRefuseANumberOwnedTwiceFromAnOverrideNamingBothUsers() {
        LoadResult r = load(USERS, "user.bob.numbers=1001");
        assertEquals("--set user.bob.numbers=1001: [user bob] numbers: number 1001 is already owned by"
                + " [user alice] (r.ini:9); a number rings one user (accepted: numbers no other [user NAME]"
                + " owns)\nr.ini: 1 error\n", r.errorReport());
    }

    @Test
    void shouldSummariseTheUsersOnlyWhenThereAreSome() {
        assertTrue(ConfigSummary.format(load(USERS).orThrow()).contains(
                "users     2 (registrar 127.0.0.1, realm 127.0.0.1, expires 60-3600 s, 2 numbers)\n"));
        assertFalse(ConfigSummary.format(load("").orThrow()).contains("\nusers "));
    }
}
