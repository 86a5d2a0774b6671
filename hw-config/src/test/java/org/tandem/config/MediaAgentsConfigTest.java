package org.tandem.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code [rtp] media_agents}: the number of media agent threads (0 = one per core). */
class MediaAgentsConfigTest {
    private static LoadResult load(String rtp, String... overrides) {
        return ConfigLoader.parse(TestConfigs.MINIMAL + rtp, "agents.ini", List.of(overrides),
                TestConfigs.options(false));
    }

    @Test
    void shouldDefaultToOnePerCoreWrittenAsZero() {
        LoadResult r = load("");
        assertTrue(r.ok(), r::errorReport);
        assertEquals(0, r.orThrow().rtp().mediaAgents());
        assertEquals("", r.warningReport());
    }

    @Test
    void shouldReadTheKeyFromTheFileAndFromAnOverride() {
        assertEquals(1, load("[rtp]\nmedia_agents = 1\n").orThrow().rtp().mediaAgents());
        assertEquals(1, load("[rtp]\nmedia_agents = 4\n", "rtp.media_agents=1").orThrow().rtp().mediaAgents());
        assertEquals(0, load("[rtp]\nmedia_agents = 0\n").orThrow().rtp().mediaAgents());
    }

    @Test
    void shouldRefuseANegativeValueNamingFileLineKeyAndTheRange() {
        // MINIMAL has 6 lines: [rtp] is line 7, the key line 8
        assertEquals("agents.ini:8: [rtp] media_agents: -1 is out of range (accepted: an integer 0-256)\n"
                + "agents.ini: 1 error\n", load("[rtp]\nmedia_agents = -1\n").errorReport());
    }

    @Test
    void shouldRefuseMoreThan256() {
        assertEquals("agents.ini:8: [rtp] media_agents: 257 is out of range (accepted: an integer 0-256)\n"
                + "agents.ini: 1 error\n", load("[rtp]\nmedia_agents = 257\n").errorReport());
    }

    @Test
    void shouldRefuseWhatIsNotANumber() {
        assertEquals("agents.ini:8: [rtp] media_agents: 'two' is not an integer (accepted: an integer 0-256)\n"
                + "agents.ini: 1 error\n", load("[rtp]\nmedia_agents = two\n").errorReport());
        LoadResult r = load("", "rtp.media_agents=2.5");
        assertFalse(r.ok());
        assertEquals("--set rtp.media_agents=2.5: [rtp] media_agents: '2.5' is not an integer (accepted: an integer"
                + " 0-256)\nagents.ini: 1 error\n", r.errorReport());
    }

    @Test
    void shouldWarnButAcceptMoreAgentsThanThisMachineHasCores() {
        int cores = Runtime.getRuntime().availableProcessors();
        assumeTrue(cores < 256, "a machine with 256 cores or more cannot be given more agents than cores");
        LoadResult r = load("[rtp]\nmedia_agents = " + (cores + 1) + "\n");
        assertTrue(r.ok(), r::errorReport);
        assertEquals(cores + 1, r.orThrow().rtp().mediaAgents());
        assertEquals(List.of("agents.ini:8: warning: [rtp] media_agents: media_agents " + (cores + 1)
                + " is more than the " + cores + " core(s) this machine offers: agents sharing a core take turns and"
                + " add no capacity (accepted: at most " + cores + ", or 0 for one agent per core)"),
                r.warnings().stream().map(w -> w.format(true)).toList());
        assertEquals("", load("[rtp]\nmedia_agents = " + cores + "\n").warningReport(), "as many as cores: fine");
    }
}
