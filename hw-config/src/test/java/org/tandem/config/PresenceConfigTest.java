package org.tandem.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code [presence]}: defaults, overrides and the cross-checks of its bounds. */
class PresenceConfigTest {
    private static LoadResult load(String text, String... overrides) {
        return ConfigLoader.parse(TestConfigs.MINIMAL + text, "p.ini", List.of(overrides),
                new LoadOptions(TestConfigs.RESOURCES, Map.<String, String>of()::get, p -> false));
    }

    @Test
    void shouldDefaultToEnabledWithTheRfcDefaultExpiry() {
        PresenceConfig p = load("").orThrow().presence();
        assertEquals(new PresenceConfig(true, 60, 3600, 3600, 1000, 50), p);
    }

    @Test
    void shouldReadEveryKey() {
        PresenceConfig p = load("[presence]\nenabled = no\nmin_expires_s = 30\nmax_expires_s = 600\n"
                + "default_expires_s = 300\nmax_subscriptions = 20\nmax_subscriptions_per_user = 5\n").orThrow()
                .presence();
        assertEquals(new PresenceConfig(false, 30, 600, 300, 20, 5), p);
    }

    @Test
    void shouldRefuseBoundsOutOfOrderNamingTheKey() {
        LoadResult r = load("", "presence.min_expires_s=900", "presence.default_expires_s=600");
        assertFalse(r.ok());
        assertTrue(r.errorReport().contains("min_expires_s 900 is above default_expires_s 600"), r::errorReport);
        r = load("", "presence.max_subscriptions=10", "presence.max_subscriptions_per_user=11");
        assertFalse(r.ok());
        assertTrue(r.errorReport().contains("max_subscriptions_per_user"), r::errorReport);
    }
}
