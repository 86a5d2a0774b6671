package org.tandem.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tandem.config.dahdi.ExpectedChannel;
import org.tandem.config.dahdi.KernelSettingsCheck;
import org.tandem.config.dahdi.SystemConfWriter;

/** DAHDI numbers channels across spans in order; first_channel covers hosts where others come first. */
class SpanNumberingTest {
    private static final String TAIL = "[group pstn]\n[snmp]\ncommunity = public\n";

    @Test
    void shouldNumberChannelsAcrossSpansInOrder() {
        GatewayConfig c = TestConfigs.parse("[span 1]\ntype = t1\ngroup = pstn\n[span 2]\ntype = e1\ngroup = pstn\n"
                + "[span 3]\ntype = e1\ngroup = pstn\n" + TAIL).orThrow();
        assertEquals(List.of(1, 25, 56), c.spans().stream().map(SpanConfig::firstChannel).toList());
    }

    @Test
    void shouldStartAtFirstChannelWhenOtherSpansComeFirst() {
        GatewayConfig c = TestConfigs.parse("[span 3]\ntype = e1\ngroup = pstn\nfirst_channel = 63\n"
                + "[span 4]\ntype = e1\ngroup = pstn\n" + TAIL).orThrow();
        assertEquals(List.of(63, 94), c.spans().stream().map(SpanConfig::firstChannel).toList());
        String conf = SystemConfWriter.write(c);
        assertTrue(conf.contains("span=3,3,0,ccs,hdb3,crc4\nbchan=63-77,79-93\nhardhdlc=78\n"), conf);
        assertTrue(conf.contains("span=4,4,0,ccs,hdb3,crc4\nbchan=94-108,110-124\nhardhdlc=109\n"), conf);
        ExpectedChannel d = KernelSettingsCheck.expectedChannels(c).stream().filter(ExpectedChannel::dchannel)
                .findFirst().orElseThrow();
        assertEquals(new ExpectedChannel(78, 3, 16, org.tandem.config.dahdi.DahdiConstants.SIG_HARDHDLC, true), d);
    }

    @Test
    void shouldAskForFirstChannelWhenTheFirstSpanIsNotSpanOne() {
        LoadResult r = TestConfigs.parse("[span 2]\ntype = e1\ngroup = pstn\n" + TAIL);
        assertEquals("test.ini:1: [span 2]: span 2 is the first span, but span 1 is not configured: DAHDI numbers"
                + " channels across all spans in order, so where span 2's channels start depends on spans this"
                + " file does not describe (accepted: a [span 1] section, or first_channel = DAHDI's channel"
                + " number of span 2 timeslot 1 (dahdi_scan or /proc/dahdi/2 shows it; 1 + 31 per E1 and 24 per"
                + " T1 span before it))\ntest.ini: 1 error\n", r.errorReport());
    }

    @Test
    void shouldSetFirstChannelFromTheCommandLine() {
        GatewayConfig c = TestConfigs.parse("[span 5]\ntype = t1\ngroup = pstn\n" + TAIL,
                "span.5.first_channel=125").orThrow();
        assertEquals(125, c.spans().get(0).globalChannel(1));
    }
}
