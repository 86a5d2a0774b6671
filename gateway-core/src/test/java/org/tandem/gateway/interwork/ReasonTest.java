package org.tandem.gateway.interwork;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReasonTest {
    @Test
    void shouldBuildTheRfc3326FormWithTheCauseName() {
        assertEquals("Q.850;cause=17;text=\"User busy\"", Reason.q850(17).toHeaderValue());
    }

    @Test
    void shouldParseQ850AmongSeveralProtocols() {
        List<Reason> all = Reason.parseAll("SIP;cause=200;text=\"Call completed elsewhere\", "
                + "Q.850 ; cause=16 ; text=\"Normal, call clearing\"");
        assertEquals(2, all.size());
        assertEquals(new Reason("SIP", 200, "Call completed elsewhere"), all.get(0));
        assertEquals(16, Reason.firstQ850("SIP;cause=200, Q.850;cause=16").orElseThrow().cause());
        assertEquals("Normal, call clearing", all.get(1).text(), "comma inside quotes is not a separator");
    }

    @Test
    void shouldRoundTripEscapedQuotes() {
        Reason r = new Reason("Q.850", 21, "say \"no\"");
        assertEquals(r, Reason.parse(r.toHeaderValue()).orElseThrow());
    }

    @Test
    void shouldSkipBrokenValuesInsteadOfFailing() {
        assertTrue(Reason.parseAll("Q.850;cause=abc").isEmpty());
        assertTrue(Reason.parseAll("Q.850;cause=300").isEmpty());
        assertTrue(Reason.parseAll("Q.850").isEmpty());
        assertTrue(Reason.firstQ850(null).isEmpty());
    }
}
