package org.tandem.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OverrideTest {

    @Test
    void shouldReplaceAKeyGivenInTheFile() {
        GatewayConfig c = TestConfigs.parse(TestConfigs.MINIMAL + "[sip]\nlisten = 127.0.0.1:5060\n",
                "sip.listen=127.0.0.1:5070").orThrow();
        assertEquals(new HostPort("127.0.0.1", 5070), c.sip().listen());
    }

    @Test
    void shouldAddAKeyAndASingletonSectionTheFileDoesNotHave() {
        GatewayConfig c = TestConfigs.parse(TestConfigs.MINIMAL, "rtp.ports=40000-40999").orThrow();
        assertEquals(new PortRange(40000, 40999), c.rtp().ports());
    }

    @Test
    void shouldAddressNamedSectionsWithADotOrASpace() {
        GatewayConfig c = TestConfigs.parse(TestConfigs.MINIMAL, "span.1.timing=0", "span 1.lbo=3",
                "group.pstn.hunting=lru").orThrow();
        assertEquals(0, c.spans().get(0).timing());
        assertEquals(3, c.spans().get(0).lbo());
        assertEquals(ChannelGroupConfig.Hunting.LRU, c.groups().get("pstn").hunting());
    }

    @Test
    void shouldKeepDotsInCauseMapKeys() {
        GatewayConfig c = TestConfigs.parse(TestConfigs.MINIMAL + "[causes m]\n",
                "causes.m.q850.17=486").orThrow();
        assertEquals(486, c.causeMaps().get("m").q850ToSip().get(17));
    }

    @Test
    void shouldApplyTheLastOfTwoOverridesOfOneKey() {
        GatewayConfig c = TestConfigs.parse(TestConfigs.MINIMAL, "general.name=a", "general.name=b").orThrow();
        assertEquals("b", c.general().name());
    }

    @Test
    void shouldSwitchAHardwareConfigToTheSimulator() {
        String dahdi = "[general]\nbackend = dahdi\n" + TestConfigs.MINIMAL;
        assertFalse(TestConfigs.parse(dahdi).ok());
        LoadResult r = TestConfigs.parse(dahdi, "general.backend=sim");
        assertTrue(r.ok(), r::errorReport);
    }

    @Test
    void shouldNameTheOverrideInErrorsAboutItsValue() {
        LoadResult r = TestConfigs.parse(TestConfigs.MINIMAL, "rtp.ptime=25");
        assertEquals("--set rtp.ptime=25: [rtp] ptime: 25 is not allowed (accepted: 10, 20, 30)\n"
                + "test.ini: 1 error\n", r.errorReport());
    }
}
