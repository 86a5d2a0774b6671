package org.tandem.config.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestTest {
    private static final List<String> KEYS = List.of("listen", "transports", "user_agent", "t1_ms", "t2_ms");

    @Test
    void shouldSuggestTheKeyOneTypoAway() {
        assertEquals("listen", Suggest.nearest("lisen", KEYS));
        assertEquals("listen", Suggest.nearest("litsen", KEYS));
        assertEquals("transports", Suggest.nearest("transport", KEYS));
        assertEquals("user_agent", Suggest.nearest("useragent", KEYS));
    }

    @Test
    void shouldSuggestNothingForAnUnrelatedWord() {
        assertNull(Suggest.nearest("codec", KEYS));
    }

    @Test
    void shouldCountATranspositionAsOneEdit() {
        assertEquals(1, Suggest.distance("sapn", "span"));
    }
}
