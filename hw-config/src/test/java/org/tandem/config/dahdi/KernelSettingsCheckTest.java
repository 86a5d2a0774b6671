package org.tandem.config.dahdi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tandem.config.GatewayConfig;
import org.tandem.config.TestConfigs;

class KernelSettingsCheckTest {
    private final GatewayConfig config = TestConfigs.parse("""
            [general]
            backend = sim
            [span 1]
            type = e1
            group = g
            [span 2]
            type = t1
            group = g
            [group g]
            [snmp]
            community = c
            """).orThrow();

    /** What a kernel configured from our own system.conf reports. */
    private List<ObservedChannel> agreeingChannels() {
        List<ObservedChannel> out = new ArrayList<>();
        for (ExpectedChannel e : KernelSettingsCheck.expectedChannels(config)) {
            out.add(new ObservedChannel(e.channo(), true, e.spanno(), e.chanpos(), e.sigtype()));
        }
        return out;
    }

    private final List<ObservedSpan> agreeingSpans = List.of(
            new ObservedSpan(1, "E1", DahdiConstants.CONFIG_CCS | DahdiConstants.CONFIG_HDB3
                    | DahdiConstants.CONFIG_CRC4 | 3, 31),
            new ObservedSpan(2, "T1", DahdiConstants.CONFIG_ESF | DahdiConstants.CONFIG_B8ZS, 24));

    @Test
    void shouldExpectClearBChannelsAndAnHdlcDChannelPerSpanWithGlobalNumbers() {
        List<ExpectedChannel> e = KernelSettingsCheck.expectedChannels(config);
        assertEquals(30 + 1 + 23 + 1, e.size());
        assertEquals(new ExpectedChannel(16, 1, 16, DahdiConstants.SIG_HARDHDLC, true), e.get(15));
        assertEquals(new ExpectedChannel(32, 2, 1, DahdiConstants.SIG_CLEAR, false), e.get(31));
        assertEquals(new ExpectedChannel(55, 2, 24, DahdiConstants.SIG_HARDHDLC, true), e.get(e.size() - 1));
    }

    @Test
    void shouldFindNoDifferenceWhenTheKernelAgrees() {
        assertEquals(List.of(), KernelSettingsCheck.compare(config, agreeingSpans, agreeingChannels()));
    }

    @Test
    void shouldSayExactlyWhatDiffers() {
        List<ObservedChannel> channels = agreeingChannels();
        channels.set(15, new ObservedChannel(16, true, 1, 16, DahdiConstants.SIG_CLEAR));
        channels.set(31, new ObservedChannel(32, false, 0, 0, 0));
        List<ObservedSpan> spans = List.of(
                new ObservedSpan(1, "E1", DahdiConstants.CONFIG_CCS | DahdiConstants.CONFIG_HDB3, 31),
                new ObservedSpan(2, "E1", DahdiConstants.CONFIG_ESF | DahdiConstants.CONFIG_B8ZS, 31));
        String fix = " (run 'tandem dahdi-conf > /etc/dahdi/system.conf' and 'dahdi_cfg', or correct test.ini)";
        assertEquals(List.of(
                "span 1: INI says line config ccs,hdb3,crc4, kernel has ccs,hdb3" + fix,
                "span 2: INI says T1, kernel span type is E1 (set the card's E1/T1 mode, e.g. the driver's"
                        + " default_linemode)",
                "channel 16 (span 1 timeslot 16, D-channel): INI expects HARDHDLC (hardhdlc), kernel has"
                        + " CLEAR (bchan)" + fix,
                "channel 32 (span 2 timeslot 1): does not exist in the kernel" + fix),
                KernelSettingsCheck.compare(config, spans, channels));
    }
}
