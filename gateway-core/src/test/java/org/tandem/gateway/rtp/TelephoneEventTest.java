package org.tandem.gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class TelephoneEventTest {
    @Test
    void shouldDecodeAnEndPacketFromAnnotatedHex() {
        String hex = """
                0b        # event 11 = '#'
                8a        # E=1 R=0 volume 10 (-10 dBm0)
                0320      # duration 800 = 100 ms
                """;
        ByteBuffer b = Hex.buffer(hex);
        assertEquals(11, TelephoneEvent.event(b, 4));
        assertTrue(TelephoneEvent.end(b, 4));
        assertEquals(10, TelephoneEvent.volume(b, 4));
        assertEquals(800, TelephoneEvent.duration(b, 4));
        assertEquals('#', TelephoneEvent.digitOfEvent(11));
    }

    @Test
    void shouldEncodeAndSaturateDuration() {
        ByteBuffer b = ByteBuffer.allocate(8);
        TelephoneEvent.write(b, 2, TelephoneEvent.eventOfDigit('d'), false, 63, 100_000);
        assertEquals(15, TelephoneEvent.event(b, 2));
        assertFalse(TelephoneEvent.end(b, 2));
        assertEquals(63, TelephoneEvent.volume(b, 2));
        assertEquals(0xFFFF, TelephoneEvent.duration(b, 2));
        assertEquals(-1, TelephoneEvent.eventOfDigit('x'));
    }
}
