package org.tandem.gateway.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The qvalue grammar of RFC 3261 section 25.1. */
class QValueTest {
    @Test
    void shouldReadEveryGrammaticalQValueAsThousandths() {
        assertEquals(0, QValue.parseMillis("0"));
        assertEquals(0, QValue.parseMillis("0."));
        assertEquals(500, QValue.parseMillis("0.5"));
        assertEquals(50, QValue.parseMillis("0.05"));
        assertEquals(125, QValue.parseMillis("0.125"));
        assertEquals(1000, QValue.parseMillis("1"));
        assertEquals(1000, QValue.parseMillis("1.000"));
    }

    @Test
    void shouldRefuseWhatTheGrammarDoesNotAllow() {
        for (String bad : new String[] {"1.5", "1.001", "0.1234", ".5", "-0.5", "2", "0,5", "", "high"}) {
            assertEquals(-1, QValue.parseMillis(bad), bad);
        }
        assertEquals(-1, QValue.parseMillis(null));
    }

    @Test
    void shouldWriteThousandthsBackInTheShortestForm() {
        assertEquals("1.0", QValue.format(1000));
        assertEquals("0.5", QValue.format(500));
        assertEquals("0.05", QValue.format(50));
        assertEquals("0.125", QValue.format(125));
        assertEquals("0.0", QValue.format(0));
    }
}
