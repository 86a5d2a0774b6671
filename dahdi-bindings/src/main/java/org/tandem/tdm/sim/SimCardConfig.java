package org.tandem.tdm.sim;

import java.util.function.LongSupplier;

/**
 * Settings of a {@link SimulatedCard}, validated once in {@link Builder#build()}.
 *
 * @param periodNs       block period (20 ms: one 160-byte G.711 block per channel)
 * @param blockSize      bytes per block per B-channel
 * @param idleCode       byte sent when there is nothing to send (0xD5: A-law silence)
 * @param rxQueueBlocks  blocks the gateway may leave unread before the card drops new ones
 *                       (counted as read overruns), like a card's receive buffers
 * @param maxCatchUp     periods ticked at once after a late wake-up before counting slips
 * @param clock          nanosecond clock ({@link System#nanoTime()} outside tests)
 */
public record SimCardConfig(long periodNs, int blockSize, byte idleCode, int rxQueueBlocks, int maxCatchUp,
                            LongSupplier clock) {
    public static final long DEFAULT_PERIOD_NS = 20_000_000L;
    public static final int DEFAULT_BLOCK_SIZE = 160;
    public static final byte DEFAULT_IDLE_CODE = (byte) 0xD5;
    public static final int DEFAULT_RX_QUEUE_BLOCKS = 8;

    public static SimCardConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private long periodNs = DEFAULT_PERIOD_NS;
        private int blockSize = DEFAULT_BLOCK_SIZE;
        private byte idleCode = DEFAULT_IDLE_CODE;
        private int rxQueueBlocks = DEFAULT_RX_QUEUE_BLOCKS;
        private int maxCatchUp = 10;
        private LongSupplier clock = System::nanoTime;

        public Builder periodNs(long v) {
            periodNs = v;
            return this;
        }

        public Builder blockSize(int v) {
            blockSize = v;
            return this;
        }

        public Builder idleCode(byte v) {
            idleCode = v;
            return this;
        }

        public Builder rxQueueBlocks(int v) {
            rxQueueBlocks = v;
            return this;
        }

        public Builder maxCatchUp(int v) {
            maxCatchUp = v;
            return this;
        }

        public Builder clock(LongSupplier v) {
            clock = v;
            return this;
        }

        public SimCardConfig build() {
            if (periodNs < 1_000_000L || periodNs > 1_000_000_000L) {
                throw new IllegalArgumentException("sim card period must be 1 ms..1 s, got " + periodNs + " ns");
            }
            if (blockSize < 16 || blockSize > 8192) {
                throw new IllegalArgumentException("sim card block size must be 16..8192 bytes (DAHDI's range), got "
                    + blockSize);
            }
            if (rxQueueBlocks < 1 || rxQueueBlocks > 64) {
                throw new IllegalArgumentException("sim card rx queue must be 1..64 blocks, got " + rxQueueBlocks);
            }
            if (maxCatchUp < 1) {
                throw new IllegalArgumentException("maxCatchUp must be >= 1, got " + maxCatchUp);
            }
            return new SimCardConfig(periodNs, blockSize, idleCode, rxQueueBlocks, maxCatchUp, clock);
        }
    }
}
