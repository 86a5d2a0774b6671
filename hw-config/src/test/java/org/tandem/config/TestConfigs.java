package org.tandem.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Shared fixtures: a fixed environment, a machine without /dev/dahdi, paths to shipped files. */
public final class TestConfigs {
    /** The repository root (surefire runs in the module directory). */
    public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    public static final Path RESOURCES = Path.of("src/test/resources").toAbsolutePath();

    public static final Map<String, String> ENV = Map.of(
            "CARRIER_A_PASSWORD", "secret-a",
            "CARRIER_B_PASSWORD", "secret-b",
            "TANDEM_SNMP_AUTH", "auth-pass-phrase",
            "TANDEM_SNMP_PRIV", "priv-pass-phrase",
            "TANDEM_SNMP_COMMUNITY", "nms-community");

    private TestConfigs() {
    }

    public static LoadOptions options(boolean dahdiPresent) {
        return new LoadOptions(RESOURCES, ENV::get, p -> dahdiPresent);
    }

    public static LoadResult parse(String text, String... overrides) {
        return ConfigLoader.parse(text, "test.ini", List.of(overrides), options(false));
    }

    /** A small valid configuration that tests extend. */
    public static final String MINIMAL = """
            [span 1]
            type = e1
            group = pstn
            [group pstn]
            [snmp]
            community = public
            """;
}
