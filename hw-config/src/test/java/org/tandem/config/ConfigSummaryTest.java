package org.tandem.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigSummaryTest {
    @Test
    void shouldFitOnOneScreenAndNameSpansChannelsGroupsTrunksAndRoutes() {
        GatewayConfig c = ConfigLoader.load(TestConfigs.ROOT.resolve("conf/examples/e1-4span-cpe.ini"), List.of(),
                TestConfigs.options(true)).orThrow();
        String s = ConfigSummary.format(c);
        assertTrue(s.lines().count() <= 24, s);
        assertTrue(s.contains("spans     4 span(s), 120 B-channels"), s);
        assertTrue(s.contains("  span 3   e1 ccs/hdb3/crc4 pri_cpe euroisdn alaw  B 1-15,17-31  D 16  group pstn"), s);
        assertTrue(s.contains("  pstn         spans 1,2,3,4, 120 channels, hunting roundrobin"), s);
        assertTrue(s.contains("  carrier-a    sip1.carrier.example:5060 udp, register yes, trusted 198.51.100.0/28"), s);
        assertTrue(s.contains("  pstn-to-sip   10 in           called [0-9]+ -> trunk:carrier-a then trunk:carrier-b"), s);
        assertTrue(!s.contains("secret-a"), s);
    }
}
