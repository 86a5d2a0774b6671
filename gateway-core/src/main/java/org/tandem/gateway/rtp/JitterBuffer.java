package org.tandem.gateway.rtp;

import java.nio.ByteBuffer;

/**
 * Adaptive jitter buffer for G.711 (one byte per sample, 8 kHz), owned by one media agent thread.
 *
 * <p>The buffer is a ring of 10 ms slots (80 samples) on a playout timeline. Packets of any
 * ptime that is a multiple of 10 ms are cut into slots by timestamp; the TDM side pulls one slot
 * at a time ({@link #pull}), two per 20 ms block, and that pull is the only clock the buffer
 * knows: the span is the master clock and the peer's clock is whatever its timestamps say.
 *
 * <pre>
 *   readSlot                         highestSlotEnd
 *      v                                   v
 *  ... | s | s | - | s | s | s | - | s | s |  ...    s = slot with audio, - = missing
 *      |&lt;---------------- lead -----------&gt;|
 * </pre>
 *
 * <p>Delay control works on the <em>lead</em> (how far the newest audio is ahead of the reader,
 * measured at every pull). Over a window of pulls the smallest lead says how close to starving
 * the span we came; the controller keeps it at one block plus one slot of margin:
 * <ul>
 * <li>too much lead (peer clock faster than the span, or jitter that went away): drop one slot,
 *     preferably a quiet or missing one, or at a talkspurt start (marker bit), so drift never
 *     grows the delay;</li>
 * <li>too little lead or late packets (peer clock slower, jitter grew): hold the reader one slot,
 *     which the caller fills with concealment, preferably in silence;</li>
 * <li>the lead is kept within [min, max] delay from the configuration.</li>
 * </ul>
 * A new SSRC, a timestamp jump beyond the ring, or a misaligned timestamp re-anchors the timeline
 * (resync) at the current delay. Duplicates are detected per slot and counted.
 *
 * <p><b>The ring grows once, when needed.</b> It starts with room for the minimum delay plus two
 * blocks of jitter ({@link #initialCapacity}: 13 slots, 1 KB of audio, at the defaults) and grows
 * to the full size the maximum delay needs (38 slots, 3 KB) the first time a packet would not fit:
 * a jitter or a packet larger than that, or a resync at a larger delay. Slots keep their place on
 * the timeline (each is re-laid by its absolute slot number), so what is played is exactly what the
 * full ring would have played ({@code JitterBufferTest} compares the two on random streams). Most
 * calls on a LAN never grow: the ring was the largest heap item of a call (docs/BENCHMARKS.md
 * "Heap per call").
 *
 * <p>{@link #insert} and {@link #pull} allocate nothing but that one growth, and return status
 * codes.
 */
public final class JitterBuffer {
    public static final int SAMPLE_RATE = 8000;
    public static final int SLOT_SAMPLES = 80;
    public static final int SLOT_MS = 10;
    /** Longest packet accepted: 120 ms. */
    public static final int MAX_PACKET_SLOTS = 12;

    /** {@link #insert} results. */
    public static final int INSERTED = 0;
    public static final int DUPLICATE = 1;
    public static final int LATE = 2;
    public static final int RESYNCED = 3;
    public static final int BAD_LENGTH = -1;

    /** {@link #pull} results. */
    public static final int AUDIO = 0;
    /** No audio for this slot (lost, late or an inserted slot): the caller conceals. */
    public static final int MISSING = 1;
    /** Nothing received yet: the caller plays silence. */
    public static final int IDLE = 2;

    /** Pulls per control window: 2 s. */
    static final int WINDOW_SLOTS = 200;
    /** A pending adjustment waits at most this many windows for silence before it is forced. */
    static final int FORCE_AFTER_WINDOWS = 3;
    /** Max |linear| (16-bit) counted as quiet when choosing where to drop or insert. */
    static final int QUIET_MAGNITUDE = 500;
    private static final long EMPTY = Long.MIN_VALUE;

    private final int blockSlots;
    private final int minSlots;
    private final int maxSlots;
    /** Slots the ring holds once grown: what the configured delay needs (see the constructor). */
    private final int maxCapacity;
    /** Slots the ring holds now: {@link #initialCapacity} until a packet needs more, then {@link #maxCapacity}. */
    private int capacity;
    /** How far behind the reader a packet still counts as late rather than a timestamp jump. */
    private final int lateHorizon;
    private byte[] audio;
    private long[] slotTag;
    private boolean[] slotQuiet;
    private final int[] magnitudeOfCode;

    private boolean started;
    private int ssrc;
    private int refTs;
    private long refSlot;
    private long readSlot;
    private long highestSlotEnd;

    private int windowPulls;
    private long windowMinLead = Long.MAX_VALUE;
    private int windowLate;
    private int pendingAdjust;
    private int pendingWindows;
    /** The pending growth answers late packets: applied at once, not saved for silence. */
    private boolean attack;
    private long lastLead;

    private long inserted;
    private long duplicates;
    private long late;
    private long resyncs;
    private long droppedSlots;
    private long insertedSlots;
    private long missingSlots;
    private long badLength;
    private int growths;

    /**
     * @param blockSamples    samples the span reads per block (160 for 20 ms); a multiple of 80
     * @param minDelayMs      lower bound of the playout delay
     * @param maxDelayMs      upper bound of the playout delay
     * @param magnitudeOfCode |linear| of each of the 256 G.711 codes of the payload's law, to find
     *                        quiet slots (from the codecs module's decoder); kept, not copied:
     *                        it must not change afterwards
     */
    public JitterBuffer(int blockSamples, int minDelayMs, int maxDelayMs, int[] magnitudeOfCode) {
        this(blockSamples, minDelayMs, maxDelayMs, magnitudeOfCode, false);
    }

    /** {@code full}: the ring at its full size from the start (tests compare the two). */
    JitterBuffer(int blockSamples, int minDelayMs, int maxDelayMs, int[] magnitudeOfCode, boolean full) {
        if (blockSamples <= 0 || blockSamples % SLOT_SAMPLES != 0) {
            throw new IllegalArgumentException("block of " + blockSamples + " samples is not a multiple of "
                    + SLOT_SAMPLES + " (10 ms)");
        }
        if (minDelayMs < 0 || maxDelayMs < minDelayMs || maxDelayMs > 1000) {
            throw new IllegalArgumentException("jitter delay bounds [" + minDelayMs + ", " + maxDelayMs
                    + "] ms must satisfy 0 <= min <= max <= 1000");
        }
        if (magnitudeOfCode.length != 256) {
            throw new IllegalArgumentException("magnitude table needs 256 entries");
        }
        this.blockSlots = blockSamples / SLOT_SAMPLES;
        this.minSlots = Math.max(blockSlots + 1, (minDelayMs + SLOT_MS - 1) / SLOT_MS);
        this.maxSlots = Math.max(this.minSlots + 2, maxDelayMs / SLOT_MS);
        // The newest audio is at most the largest lead the controller lets stand (max delay plus a
        // block: beyond it slots are dropped at once) ahead of the reader, and a packet of up to
        // 120 ms starts there; a packet must end a block short of the ring (insert). One block of
        // margin on top. At the defaults (20 ms blocks, 200 ms max) 38 slots, 3 KB of audio (it was
        // twice the next power of two: 128 slots, 10 KB: docs/BENCHMARKS.md "Heap per call").
        this.maxCapacity = maxSlots + MAX_PACKET_SLOTS + 3 * blockSlots;
        this.capacity = full ? maxCapacity : initialCapacity(blockSlots, minSlots, maxCapacity);
        // Lateness is judged as before the ring shrank (a packet up to ~1.3 s behind is late, not
        // a new timeline): a late packet grows the delay, a resync would throw the buffer away.
        this.lateHorizon = Integer.highestOneBit((maxSlots + MAX_PACKET_SLOTS + blockSlots) * 2 - 1) << 1;
        this.audio = new byte[capacity * SLOT_SAMPLES];
        this.slotTag = new long[capacity];
        this.slotQuiet = new boolean[capacity];
        this.magnitudeOfCode = magnitudeOfCode; // shared per law, read only (not copied per call)
        reset();
    }

    /**
     * The ring's first size: the minimum delay plus two blocks of jitter, one-block packets, and the
     * block of margin an insert keeps ({@code slot + n <= readSlot + capacity - blockSlots}).
     */
    static int initialCapacity(int blockSlots, int minSlots, int maxCapacity) {
        return Math.min(maxCapacity, minSlots + 5 * blockSlots); // lead up to min + 2 blocks, 1-block packets, margins
    }

    /** Forgets everything (new call or new remote). Statistics are kept. */
    public void reset() {
        started = false;
        java.util.Arrays.fill(slotTag, EMPTY);
        windowPulls = 0;
        windowMinLead = Long.MAX_VALUE;
        windowLate = 0;
        pendingAdjust = 0;
        attack = false;
        pendingWindows = 0;
        readSlot = 0;
        highestSlotEnd = 0;
    }

    /**
     * Stores one packet's G.711 payload.
     *
     * @param src   payload bytes at absolute {@code index}, {@code length} a multiple of 80
     */
    public int insert(int packetSsrc, int timestamp, boolean marker, ByteBuffer src, int index, int length) {
        if (length <= 0 || length % SLOT_SAMPLES != 0 || length > MAX_PACKET_SLOTS * SLOT_SAMPLES) {
            badLength++;
            return BAD_LENGTH;
        }
        int n = length / SLOT_SAMPLES;
        int result = INSERTED;
        long slot;
        if (!started || packetSsrc != ssrc) {
            slot = anchor(packetSsrc, timestamp);
            result = RESYNCED;
        } else {
            int delta = timestamp - refTs;
            if (delta % SLOT_SAMPLES != 0) {
                slot = anchor(packetSsrc, timestamp);
                result = RESYNCED;
            } else {
                slot = refSlot + delta / SLOT_SAMPLES;
                if (slot + n > readSlot + capacity - blockSlots && slot + n <= readSlot + maxCapacity - blockSlots
                        && slot >= readSlot - lateHorizon) {
                    grow(); // fits the full ring: not a timestamp jump
                }
                if (slot + n > readSlot + capacity - blockSlots || slot < readSlot - lateHorizon) {
                    // Timestamp jump (forwards beyond the ring, or far backwards): a new timeline.
                    slot = anchor(packetSsrc, timestamp);
                    result = RESYNCED;
                } else if (slot + n <= readSlot) {
                    late++;
                    windowLate++;
                    growForLatePacket(readSlot - slot);
                    return LATE;
                } else if (marker && nothingBuffered()) {
                    // Talkspurt start with an empty buffer: re-anchor at the target delay, the
                    // cheapest moment to change the delay (RFC 3550 section 5.1, marker bit).
                    slot = anchor(packetSsrc, timestamp);
                }
            }
        }
        if (slot + n > readSlot + capacity - blockSlots) {
            grow(); // anchored at a delay (or for a packet) the small ring cannot hold: the full one can
        }
        boolean dup = false;
        for (int i = 0; i < n; i++) {
            long s = slot + i;
            if (s < readSlot) {
                continue;
            }
            int ring = ring(s);
            if (slotTag[ring] == s) {
                dup = true;
                continue;
            }
            int at = ring * SLOT_SAMPLES;
            int from = index + i * SLOT_SAMPLES;
            int peak = 0;
            for (int k = 0; k < SLOT_SAMPLES; k++) {
                byte code = src.get(from + k);
                audio[at + k] = code;
                int m = magnitudeOfCode[code & 0xFF];
                if (m > peak) {
                    peak = m;
                }
            }
            slotQuiet[ring] = peak < QUIET_MAGNITUDE;
            slotTag[ring] = s;
        }
        refTs = timestamp;
        refSlot = slot;
        if (slot + n > highestSlotEnd) {
            highestSlotEnd = slot + n;
        }
        if (dup && result == INSERTED) {
            duplicates++;
            return DUPLICATE;
        }
        inserted++;
        return result;
    }

    /**
     * Fast attack: a packet that came {@code behind} slots after the reader passed its first
     * slot asks for that much more delay now, not one slot at the end of the window. The reader
     * is concealing anyway (the late packet's slots were missing), so holding it for the next
     * missing slots costs no audio that would otherwise be heard; waiting would make every packet
     * of the next windows late too (a loaded machine: the delay stayed at 30 ms while half the
     * packets of a call came 20 to 100 ms late). Bounded by the maximum delay; shrinking stays
     * slow (one slot per window, preferably in silence).
     */
    private void growForLatePacket(long behind) {
        if (pendingAdjust < 0) {
            pendingAdjust = 0; // a pending shrink is wrong now
            pendingWindows = 0;
        }
        long lead = highestSlotEnd - readSlot;
        long grow = Math.min(behind, maxSlots - Math.max(lead, 0) - pendingAdjust);
        if (grow > 0) {
            pendingAdjust += (int) grow;
            attack = true;
        }
    }

    /** Maps {@code timestamp} to the slot at the current target delay ahead of the reader. */
    private long anchor(int packetSsrc, int timestamp) {
        if (started) {
            resyncs++;
        }
        java.util.Arrays.fill(slotTag, EMPTY);
        long lead = started ? Math.max(minSlots, Math.min(maxSlots, Math.max(lastLead, minSlots))) : minSlots;
        started = true;
        ssrc = packetSsrc;
        long slot = readSlot + lead - 1;
        refTs = timestamp;
        refSlot = slot;
        highestSlotEnd = slot;
        windowMinLead = Long.MAX_VALUE;
        return slot;
    }

    private boolean nothingBuffered() {
        for (long s = readSlot; s < highestSlotEnd; s++) {
            if (slotTag[ring(s)] == s) {
                return false;
            }
        }
        return true;
    }

    /**
     * Takes the next 10 ms slot into {@code dst[offset .. offset+80)} when it returns
     * {@link #AUDIO}; leaves {@code dst} untouched for {@link #MISSING} and {@link #IDLE}.
     */
    public int pull(byte[] dst, int offset) {
        if (!started) {
            return IDLE;
        }
        long lead = highestSlotEnd - readSlot;
        lastLead = lead;
        if (lead < windowMinLead) {
            windowMinLead = lead;
        }
        if (++windowPulls >= WINDOW_SLOTS) {
            endWindow();
        }
        int ring = ring(readSlot);
        boolean present = slotTag[ring] == readSlot;
        if (pendingAdjust != 0) {
            boolean quietHere = !present || slotQuiet[ring];
            boolean forced = pendingWindows >= FORCE_AFTER_WINDOWS || lead > maxSlots + blockSlots
                    || (pendingAdjust > 0 && (attack || lead < blockSlots));
            if (quietHere || forced) {
                if (pendingAdjust < 0) {
                    // Drop this slot: the reader skips 10 ms of (preferably quiet) audio.
                    slotTag[ring] = EMPTY;
                    readSlot++;
                    droppedSlots++;
                    pendingAdjust++;
                    ring = ring(readSlot);
                    present = slotTag[ring] == readSlot;
                } else {
                    // Insert a slot: the reader holds still and the caller conceals 10 ms.
                    insertedSlots++;
                    if (--pendingAdjust == 0) {
                        pendingWindows = 0;
                        attack = false;
                    }
                    return MISSING;
                }
                if (pendingAdjust == 0) {
                    pendingWindows = 0;
                    attack = false;
                }
            }
        }
        readSlot++;
        if (!present) {
            missingSlots++;
            return MISSING;
        }
        slotTag[ring] = EMPTY;
        System.arraycopy(audio, ring * SLOT_SAMPLES, dst, offset, SLOT_SAMPLES);
        return AUDIO;
    }

    /**
     * The ring at its full size: every slot held keeps its absolute slot number, so it lands where
     * the full ring would have had it (the held slots span less than the old capacity, so they stay
     * distinct). Once per call at most.
     */
    private void grow() {
        if (capacity == maxCapacity) {
            return;
        }
        byte[] a = new byte[maxCapacity * SLOT_SAMPLES];
        long[] tags = new long[maxCapacity];
        boolean[] quiet = new boolean[maxCapacity];
        java.util.Arrays.fill(tags, EMPTY);
        for (int i = 0; i < capacity; i++) {
            long t = slotTag[i];
            if (t != EMPTY) {
                int j = (int) (t % maxCapacity);
                System.arraycopy(audio, i * SLOT_SAMPLES, a, j * SLOT_SAMPLES, SLOT_SAMPLES);
                tags[j] = t;
                quiet[j] = slotQuiet[i];
            }
        }
        audio = a;
        slotTag = tags;
        slotQuiet = quiet;
        capacity = maxCapacity;
        growths++;
    }

    /** The ring index of a slot (slots handled are never negative: the reader starts at 0). */
    private int ring(long slot) {
        return (int) (slot % capacity);
    }

    /** Slots the ring holds now (small until a packet needed more, then sized from the maximum delay). */
    public int capacitySlots() {
        return capacity;
    }

    /** Times the ring grew to its full size (0 or 1). */
    public int growths() {
        return growths;
    }

    private void endWindow() {
        long minLead = windowMinLead;
        int target = Math.max(minSlots, blockSlots + 1);
        if (pendingAdjust != 0) {
            pendingWindows++;
        } else if (windowLate > 0 && minLead < maxSlots) {
            pendingAdjust = 1;
        } else if (minLead != Long.MAX_VALUE && minLead < target) {
            pendingAdjust = 1;
        } else if (minLead != Long.MAX_VALUE && minLead > target + 1) {
            pendingAdjust = -1;
        } else if (lastLead > maxSlots) {
            pendingAdjust = -1;
        }
        windowPulls = 0;
        windowMinLead = Long.MAX_VALUE;
        windowLate = 0;
    }

    /** Current lead of the newest audio over the reader, in ms (roughly the playout delay). */
    public int delayMs() {
        return (int) Math.max(0, lastLead * SLOT_MS);
    }

    public int minDelayMs() {
        return minSlots * SLOT_MS;
    }

    public int maxDelayMs() {
        return maxSlots * SLOT_MS;
    }

    public long insertedPackets() {
        return inserted;
    }

    public long duplicates() {
        return duplicates;
    }

    public long latePackets() {
        return late;
    }

    public long resyncs() {
        return resyncs;
    }

    /** Slots dropped to shrink the delay (drift or jitter that went away). */
    public long droppedSlots() {
        return droppedSlots;
    }

    /** Slots inserted (concealed) to grow the delay. */
    public long insertedSlots() {
        return insertedSlots;
    }

    /** Slots with no audio when their turn came (loss or lateness). */
    public long missingSlots() {
        return missingSlots;
    }

    public long badLengthPackets() {
        return badLength;
    }
}
