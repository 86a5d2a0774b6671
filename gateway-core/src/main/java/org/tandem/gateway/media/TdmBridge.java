package org.tandem.gateway.media;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.tandem.tdm.TdmLaw;

/**
 * Two B-channels connected to each other inside the gateway (attended transfer of two PSTN calls
 * when the exchange cannot join them itself): what one channel reads from its span is written to
 * the other, both ways, TDM to TDM, without RTP.
 *
 * <p>Each direction is a {@link Ring}: a single-producer single-consumer ring of blocks. The
 * producer is the agent thread of the channel that reads the block, the consumer the agent thread
 * of the channel that writes it; the two may be different {@link MediaAgent}s. Hand-off is by
 * the ring's two counters only (release/acquire through {@link AtomicLong#lazySet} and
 * {@link AtomicLong#get}): no lock, and no allocation once the rings exist. Both channels are
 * clocked by the card, so the rates match; the consumer keeps at most {@link #MAX_DELAY_BLOCKS}
 * blocks queued (older ones are skipped, counted as dropped) and writes the idle code when the
 * ring is empty (counted as underruns), so a late agent turn costs a block, never growing delay.
 */
public final class TdmBridge {
    /** Slots per direction (a power of two). */
    static final int SLOTS = 8;
    /** Blocks the consumer lets wait before skipping the oldest: bounded latency (2 x 20 ms). */
    static final int MAX_DELAY_BLOCKS = 2;

    final Ring aToB;
    final Ring bToA;

    TdmBridge(int blockSizeA, TdmLaw lawA, int blockSizeB, TdmLaw lawB) {
        int size = Math.max(blockSizeA, blockSizeB);
        this.aToB = new Ring(size, lawA, lawB);
        this.bToA = new Ring(size, lawB, lawA);
    }

    /** One direction: blocks read from one channel, to be written to the other. */
    static final class Ring {
        private final byte[] slots;
        private final int[] lengths = new int[SLOTS];
        private final int slotSize;
        private final TdmLaw fromLaw;
        private final TdmLaw toLaw;
        private final byte idle;
        /** Written by the producer only. */
        private final AtomicLong head = new AtomicLong();
        /** Written by the consumer only. */
        private final AtomicLong tail = new AtomicLong();
        // statistics, each written by one thread
        private volatile long droppedFull;   // producer: the consumer stopped taking
        private volatile long skipped;       // consumer: too far behind, oldest skipped
        private volatile long underruns;     // consumer: nothing to write, idle written

        Ring(int slotSize, TdmLaw fromLaw, TdmLaw toLaw) {
            this.slotSize = slotSize;
            this.slots = new byte[slotSize * SLOTS];
            this.fromLaw = fromLaw;
            this.toLaw = toLaw;
            this.idle = G711Audio.idleCode(toLaw);
        }

        /** Producer: the block just read ({@code len} bytes from index 0 of {@code block}). */
        void offer(ByteBuffer block, int len) {
            long h = head.get();
            if (h - tail.get() >= SLOTS) {
                droppedFull++;
                return;
            }
            int slot = (int) (h & (SLOTS - 1));
            int n = Math.min(len, slotSize);
            block.get(0, slots, slot * slotSize, n);
            lengths[slot] = n;
            head.lazySet(h + 1); // publishes the slot's bytes
        }

        /**
         * Consumer: fills {@code out} (its whole capacity from index 0) with the next block in the
         * writing channel's law, or idle when there is none.
         */
        void poll(ByteBuffer out) {
            int want = out.capacity();
            long h = head.get(); // acquire: the slots up to h are written
            long t = tail.get();
            if (h - t > MAX_DELAY_BLOCKS) {
                skipped += h - t - MAX_DELAY_BLOCKS;
                t = h - MAX_DELAY_BLOCKS;
            }
            if (t == h) {
                underruns++;
                for (int i = 0; i < want; i++) {
                    out.put(i, idle);
                }
                tail.lazySet(t);
                return;
            }
            int slot = (int) (t & (SLOTS - 1));
            int n = Math.min(lengths[slot], want);
            G711Audio.convert(fromLaw, slots, slot * slotSize, toLaw, out, 0, n);
            for (int i = n; i < want; i++) {
                out.put(i, idle);
            }
            tail.lazySet(t + 1); // frees the slot
        }

        long dropped() {
            return droppedFull + skipped;
        }

        long underruns() {
            return underruns;
        }
    }
}
