package org.tandem.gateway.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tandem.config.ChannelGroupConfig.Hunting;

class ChannelHunterTest {

    @Test
    void shouldHuntLowestFreeChannelWhenAscending() {
        ChannelHunter h = new ChannelHunter(Hunting.ASCENDING, 4);
        assertEquals(0, h.hunt());
        assertEquals(1, h.hunt());
        h.markAvailable(0);
        assertEquals(0, h.hunt());
    }

    @Test
    void shouldHuntHighestFreeChannelWhenDescending() {
        ChannelHunter h = new ChannelHunter(Hunting.DESCENDING, 4);
        assertEquals(3, h.hunt());
        assertEquals(2, h.hunt());
    }

    @Test
    void shouldContinueAfterLastChoiceAndWrapWhenRoundRobin() {
        ChannelHunter h = new ChannelHunter(Hunting.ROUNDROBIN, 3);
        assertEquals(0, h.hunt());
        h.markAvailable(0);
        assertEquals(1, h.hunt());
        h.markAvailable(1);
        assertEquals(2, h.hunt());
        h.markAvailable(2);
        assertEquals(0, h.hunt());
    }

    @Test
    void shouldPreferChannelReleasedLongestAgoWhenLru() {
        ChannelHunter h = new ChannelHunter(Hunting.LRU, 3);
        assertEquals(0, h.hunt());
        assertEquals(1, h.hunt());
        assertEquals(2, h.hunt());
        h.markAvailable(2);
        h.markAvailable(0);
        h.markAvailable(1);
        assertEquals(2, h.hunt());
        assertEquals(0, h.hunt());
    }

    @Test
    void shouldNeverOfferUnavailableChannelsAndReportExhaustion() {
        ChannelHunter h = new ChannelHunter(Hunting.ASCENDING, 2);
        h.markUnavailable(0);
        assertEquals(1, h.hunt());
        assertEquals(-1, h.hunt());
        assertEquals(0, h.availableCount());
    }
}
