package org.tandem.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code [trunk] prack}: 100rel with the peer (RFC 3262). */
class PrackConfigTest {
    @Test
    void shouldSupportPrackByDefaultAndReadEachChoice() {
        GatewayConfig c = TestConfigs.parse(TestConfigs.MINIMAL + """
                [trunk plain]
                host = 192.0.2.1
                [trunk never]
                host = 192.0.2.2
                prack = off
                [trunk always]
                host = 192.0.2.3
                prack = required
                """).orThrow();
        assertEquals(TrunkConfig.Prack.SUPPORTED, c.trunks().get("plain").prack());
        assertEquals(TrunkConfig.Prack.OFF, c.trunks().get("never").prack());
        assertEquals(TrunkConfig.Prack.REQUIRED, c.trunks().get("always").prack());
    }

    @Test
    void shouldRefuseAnUnknownPrackChoiceNamingKeyAndChoices() {
        LoadResult r = TestConfigs.parse(TestConfigs.MINIMAL + "[trunk t]\nhost = 192.0.2.1\nprack = require\n");
        assertFalse(r.ok());
        assertTrue(r.errorReport().contains("prack: 'require' is not one of the choices; did you mean 'required'?"),
                r.errorReport());
    }
}
