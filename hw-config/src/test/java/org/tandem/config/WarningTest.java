package org.tandem.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Settings the gateway accepts but does not act on yet are reported, never silently taken. */
class WarningTest {
    private static final String TRUNK = "[trunk a]\nhost = 10.0.0.1\nusername = u\npassword = pw\n";

    @Test
    void shouldNotWarnAboutRegistrationNowThatTheGatewayRegisters() {
        LoadResult r = TestConfigs.parse(TestConfigs.MINIMAL + TRUNK + "register = yes\nregister_expires_s = 600\n");
        assertTrue(r.ok(), r::errorReport);
        assertEquals("", r.warningReport());
    }

    @Test
    void shouldNotWarnAboutAKeyWrittenWithItsDefault() {
        LoadResult r = TestConfigs.parse(TestConfigs.MINIMAL + TRUNK
                + "register = no\nregister_expires_s = 3600\n[sip]\nt1_ms = 500\nlisten = 127.0.0.1:5060\n");
        assertTrue(r.ok(), r::errorReport);
        assertEquals("", r.warningReport());
    }

    @Test
    void shouldWarnAboutOverridesAfterTheFileInOrder() {
        LoadResult r = TestConfigs.parse(TestConfigs.MINIMAL + TRUNK, "sip.t2_ms=8000", "trunk.a.realm=x");
        assertEquals(List.of("--set sip.t2_ms=8000: warning: [sip] t2_ms: accepted but not acted on yet: the SIP"
                + " stack runs its own RFC 3261 timers (T1 500 ms, T2 4 s, T4 5 s)",
                "--set trunk.a.realm=x: warning: [trunk a] realm: accepted but not acted on yet: a digest"
                        + " challenge of any realm is answered with this trunk's username and password"),
                r.warnings().stream().map(w -> w.format(true)).toList());
    }

    @Test
    void shouldKeepWarningsWhenTheFileAlsoHasErrors() {
        LoadResult r = TestConfigs.parse(TestConfigs.MINIMAL + TRUNK + "realm = x\n[rtp]\nptime = 25\n");
        assertFalse(r.ok());
        assertEquals(1, r.errors().size(), r::errorReport);
        assertEquals(1, r.warnings().size());
        assertFalse(r.errorReport().contains("warning"), "errors and warnings are reported apart");
    }

    @Test
    void shouldTakeTheRegisteringTrunksOfTheE1ExampleWithoutWarnings() {
        LoadResult r = ConfigLoader.load(TestConfigs.ROOT.resolve("conf/examples/e1-4span-cpe.ini"), List.of(),
                TestConfigs.options(true));
        assertTrue(r.ok(), r::errorReport);
        assertEquals("", r.warningReport());
    }

    @Test
    void shouldShipADefaultWithoutWarnings() {
        LoadResult r = ConfigLoader.load(TestConfigs.ROOT.resolve("conf/tandem.ini"), List.of(),
                TestConfigs.options(false));
        assertEquals("", r.warningReport());
    }
}
