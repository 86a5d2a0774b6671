package org.tandem.gateway.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tandem.config.ChannelGroupConfig.Hunting;

class ChannelTableTest {
    private final ChannelTable table = new ChannelTable();

    @BeforeEach
    void twoSpansOfThreeChannels() {
        List<int[]> channels = new ArrayList<>();
        for (int span = 1; span <= 2; span++) {
            for (int ts = 1; ts <= 3; ts++) {
                channels.add(new int[] {span, ts});
            }
        }
        table.addGroup("pstn", Hunting.ASCENDING, channels);
        table.setDChannelUp(1, true);
        table.setDChannelUp(2, true);
    }

    @Test
    void shouldHuntTheLowestFreeChannelAndGiveItBackWhenFreed() {
        Object a = new Object();
        ChannelTable.Channel c = table.seize("pstn", a);
        assertEquals("1/1", c.toString());
        assertSame(a, c.occupant());
        assertEquals("1/2", table.seize("pstn", new Object()).toString());
        table.free(c, a);
        assertEquals("1/1", table.seize("pstn", new Object()).toString());
        assertEquals(2, table.occupiedCount(), "1/1 and 1/2 busy again");
    }

    @Test
    void shouldNeverOfferAChannelOnASpanWhoseDChannelIsDown() {
        table.setDChannelUp(1, false);
        assertEquals(3, table.availableCount("pstn"));
        assertEquals(2, table.seize("pstn", new Object()).span());
    }

    @Test
    void shouldNeverOfferAChannelOnASpanOutOfServiceByAlarm() {
        table.setInService(2, false);
        for (int i = 0; i < 3; i++) {
            assertEquals(1, table.seize("pstn", new Object()).span());
        }
        assertNull(table.seize("pstn", new Object()), "cause 34: only span 2 has free channels, in alarm");
        table.setInService(2, true);
        assertEquals(2, table.seize("pstn", new Object()).span());
    }

    @Test
    void shouldNeverOfferABlockedChannelAndKeepItBlockedAfterItsCallEnds() {
        Object call = new Object();
        ChannelTable.Channel c = table.seize("pstn", call);
        table.setBlocked(c, true);
        table.free(c, call);
        assertNull(c.occupant());
        assertTrue(c.isBlocked());
        assertEquals(5, table.availableCount("pstn"));
        assertEquals("1/2", table.seize("pstn", new Object()).toString());
    }

    @Test
    void shouldOnlyFreeAChannelForItsOwnOccupant() {
        Object ours = new Object();
        Object network = new Object();
        ChannelTable.Channel c = table.seize("pstn", ours);
        // glare: the network's SETUP takes the channel; our late release must not free it
        table.free(c, ours);
        assertTrue(table.occupy(c, network));
        table.free(c, ours);
        assertSame(network, c.occupant());
        assertFalse(table.occupy(c, new Object()));
    }
}
