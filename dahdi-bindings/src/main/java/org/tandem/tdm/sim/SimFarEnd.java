package org.tandem.tdm.sim;

import java.nio.ByteBuffer;

/**
 * What sits on the far side of a simulated span's B-channels (the simulated exchange, or a
 * test). The card's clock thread calls it once per block period for every B-channel, the way
 * a real E1 frame carries every timeslot at once.
 *
 * <p>Runs on the card's clock thread: must not block and should not allocate.
 */
@FunctionalInterface
public interface SimFarEnd {
    /**
     * @param chanpos     the B-channel's position in the span
     * @param fromGateway the block the gateway wrote for this period (position 0, limit =
     *                    block size); the idle code if the gateway wrote nothing (an underrun)
     * @param toGateway   to fill with exactly one block (position 0, limit = block size) that the
     *                    gateway will read in this period
     */
    void exchangeBlock(int chanpos, ByteBuffer fromGateway, ByteBuffer toGateway);
}
