package org.tandem.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code [trunk] redirection_headers}. */
class RedirectionHeadersConfigTest {

    @Test
    void shouldDefaultToDiversionAndAcceptEveryChoice() {
        GatewayConfig c = TestConfigs.parse(TestConfigs.MINIMAL + """
                [trunk plain]
                host = 192.0.2.1
                [trunk hi]
                host = 192.0.2.2
                redirection_headers = history-info
                [trunk both]
                host = 192.0.2.3
                redirection_headers = both
                [trunk none]
                host = 192.0.2.4
                redirection_headers = none
                """).orThrow();
        assertEquals(TrunkConfig.RedirectionHeaders.DIVERSION, c.trunks().get("plain").redirectionHeaders());
        assertEquals(TrunkConfig.RedirectionHeaders.HISTORY_INFO, c.trunks().get("hi").redirectionHeaders());
        assertEquals(TrunkConfig.RedirectionHeaders.BOTH, c.trunks().get("both").redirectionHeaders());
        assertEquals(TrunkConfig.RedirectionHeaders.NONE, c.trunks().get("none").redirectionHeaders());
    }

    @Test
    void shouldNameTheKeyAndTheChoicesOfABadValue() {
        LoadResult r = TestConfigs.parse(TestConfigs.MINIMAL + "[trunk t]\nhost = 192.0.2.1\n"
                + "redirection_headers = history_info\n");
        assertFalse(r.ok());
        assertTrue(r.errorReport().contains("redirection_headers: 'history_info' is not one of the choices"),
                r.errorReport());
        assertTrue(r.errorReport().contains("history-info"), r.errorReport());
    }
}
