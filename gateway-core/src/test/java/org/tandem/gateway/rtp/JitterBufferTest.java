package org.tandem.gateway.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.tandem.codecs.g711.CompandingLaw;

/**
 * The jitter buffer driven by a simulated peer and a simulated span, both on an injected clock:
 * no sleeping, an hour of frames runs in well under a second.
 */
class JitterBufferTest {
    private static final byte LOUD = (byte) 0xAA;  // A-law, about -6 dBm0: never "quiet"
    private static final byte QUIET = (byte) 0xD5; // A-law idle code
    private static final int[] MAGNITUDE = magnitudes();
    private final byte[] out = new byte[80];

    private static int[] magnitudes() {
        int[] m = new int[256];
        for (int c = 0; c < 256; c++) {
            m[c] = Math.abs(CompandingLaw.ALAW.decode((byte) c));
        }
        return m;
    }

    private static JitterBuffer buffer() {
        return new JitterBuffer(160, 40, 200, MAGNITUDE);
    }

    private static ByteBuffer payload(int slots, byte code) {
        ByteBuffer b = ByteBuffer.allocate(slots * 80);
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, code);
        }
        return b;
    }

    /** One block of the span: two slots. Returns how many came back MISSING. */
    private int pullBlock(JitterBuffer jb) {
        int missing = 0;
        for (int s = 0; s < 2; s++) {
            if (jb.pull(out, 0) == JitterBuffer.MISSING) {
                missing++;
            }
        }
        return missing;
    }

    /**
     * Peer sends 20 ms packets on its own clock (rate 1 + ppm), the network adds 0..jitterMs,
     * the span pulls every 20 ms. Talkspurts of 3 s alternate with 1 s of quiet audio (no DTX).
     */
    private static final class Run {
        long pulls;
        long missing;
        int maxLeadMs;
        int maxLeadLastHalfMs;
        int minLeadLastHalfMs = Integer.MAX_VALUE;
        long late;
        long leadSumLastHalfMs;
        long pullsLastHalf;

        double meanLeadLastHalfMs() {
            return leadSumLastHalfMs / (double) Math.max(1, pullsLastHalf);
        }
    }

    private Run simulate(JitterBuffer jb, double ppm, int jitterMs, double lossRate, long durationMs, long seed) {
        Random rnd = new Random(seed);
        PriorityQueue<long[]> net = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        ByteBuffer loud = payload(2, LOUD);
        ByteBuffer quiet = payload(2, QUIET);
        long peerPeriodNs = Math.round(20_000_000 / (1 + ppm * 1e-6));
        long nextSend = 3_000_000;
        long nextPull = 20_000_000;
        int seq = 0;
        Run r = new Run();
        long end = durationMs * 1_000_000L;
        while (nextPull < end) {
            long nextArrival = net.isEmpty() ? Long.MAX_VALUE : net.peek()[0];
            long t = Math.min(nextSend, Math.min(nextPull, nextArrival));
            if (t == nextSend) {
                if (rnd.nextDouble() >= lossRate) {
                    long delay = jitterMs == 0 ? 0 : (long) (rnd.nextDouble() * jitterMs * 1_000_000L);
                    net.add(new long[] {nextSend + delay, seq});
                }
                seq++;
                nextSend += peerPeriodNs;
            } else if (t == nextArrival) {
                long[] p = net.poll();
                int s = (int) p[1];
                boolean talk = (s % 200) < 150;
                jb.insert(0x1234, s * 160, false, talk ? loud : quiet, 0, 160);
            } else {
                r.missing += pullBlock(jb);
                r.pulls++;
                int lead = jb.delayMs();
                r.maxLeadMs = Math.max(r.maxLeadMs, lead);
                if (nextPull > end / 2) {
                    r.maxLeadLastHalfMs = Math.max(r.maxLeadLastHalfMs, lead);
                    r.minLeadLastHalfMs = Math.min(r.minLeadLastHalfMs, lead);
                    r.leadSumLastHalfMs += lead;
                    r.pullsLastHalf++;
                }
                nextPull += 20_000_000;
            }
        }
        r.late = jb.latePackets();
        return r;
    }

    @ParameterizedTest
    @ValueSource(ints = {100, -100})
    void shouldKeepDelayBoundedOverAnHourOfClockDrift(int ppm) {
        JitterBuffer jb = buffer();
        Run r = simulate(jb, ppm, 0, 0, 3_600_000, 1);
        // 100 ppm over an hour is 360 ms = 36 slots to absorb.
        long adjustments = jb.droppedSlots() + jb.insertedSlots();
        assertTrue(adjustments >= 30 && adjustments <= 60, "adjustments " + adjustments);
        assertTrue(ppm > 0 ? jb.droppedSlots() > jb.insertedSlots() : jb.insertedSlots() > jb.droppedSlots());
        assertTrue(r.maxLeadLastHalfMs <= jb.minDelayMs() + 40, "delay grew to " + r.maxLeadLastHalfMs + " ms");
        assertTrue(r.minLeadLastHalfMs >= 20, "delay fell to " + r.minLeadLastHalfMs + " ms");
        // Concealment only where slots were inserted (and the slot they replaced), never starvation.
        assertTrue(r.missing <= 2 * jb.insertedSlots() + 4, "missing " + r.missing);
        assertEquals(0, r.late);
    }

    @Test
    void shouldGrowDelayUnderJitterAndStayWithinTheMaximum() {
        JitterBuffer jb = buffer();
        Run r = simulate(jb, 0, 60, 0.05, 600_000, 2);
        assertTrue(r.maxLeadMs <= jb.maxDelayMs() + 40, "max lead " + r.maxLeadMs);
        assertTrue(r.meanLeadLastHalfMs() >= 50, "delay " + r.meanLeadLastHalfMs() + " ms cannot absorb 60 ms jitter");
        // 5% loss of 20 ms packets = 10% of slots concealed, plus a little lateness while adapting.
        double missingFraction = r.missing / (2.0 * r.pulls);
        assertTrue(missingFraction < 0.12, "missing " + missingFraction);
        assertTrue(r.late < r.pulls / 100, "late " + r.late);
    }

    @Test
    void shouldShrinkDelayAgainWhenJitterGoesAway() {
        JitterBuffer jb = buffer();
        simulate(jb, 0, 60, 0, 120_000, 3);
        int during = jb.delayMs();
        Run calm = new Run();
        // continue the same stream without jitter: a fresh simulation on the same buffer resyncs
        // nothing because timestamps continue from the same origin only if we keep going; emulate
        // with a long calm run on a new timeline of the same SSRC (the jump re-anchors at the
        // current delay, which then has to come down by itself).
        calm = simulate(jb, 0, 0, 0, 120_000, 4);
        assertTrue(during >= 60, "delay under jitter " + during);
        assertTrue(calm.maxLeadLastHalfMs <= jb.minDelayMs() + 30, "delay stayed at " + calm.maxLeadLastHalfMs);
    }

    /**
     * A step in the delay (the peer's packets, or our reading of them, suddenly 60 ms later and
     * then steady, as after a stalled thread on a loaded machine): the first late packet grows the
     * delay by how late it was, so the packets after it are on time again. Growing one slot per
     * 2 s window instead left every packet of the next seconds late.
     */
    @Test
    void shouldGrowTheDelayAtOnceByHowLateAPacketCame() {
        JitterBuffer jb = new JitterBuffer(160, 20, 200, MAGNITUDE);
        byte loud = 0;
        for (int c = 0; c < 256; c++) {
            if (MAGNITUDE[c] > 4 * JitterBuffer.QUIET_MAGNITUDE) {
                loud = (byte) c;
                break;
            }
        }
        int k = 0;
        for (int t = 0; t < 300; t++, k++) { // 6 s steady: packet k arrives just before block k
            jb.insert(9, k * 160, false, payload(2, loud), 0, 160);
            pullBlock(jb);
        }
        long lateBefore = jb.latePackets();
        assertEquals(0, lateBefore, "steady stream, nothing late");
        for (int t = 0; t < 3; t++) { // 60 ms in which nothing comes
            pullBlock(jb);
        }
        int concealedAfter = 0;
        for (int t = 0; t < 300; t++, k++) { // then the stream goes on, 60 ms behind
            jb.insert(9, k * 160, false, payload(2, loud), 0, 160);
            if (t >= 10) {
                concealedAfter += pullBlock(jb);
            } else {
                pullBlock(jb);
            }
        }
        long late = jb.latePackets() - lateBefore;
        assertTrue(late >= 1 && late <= 2, "late packets after the step: " + late);
        assertEquals(0, concealedAfter, "after the first late packets every slot is played");
        // the reader held for about the 60 ms the stream fell behind (less what the lead absorbed)
        assertTrue(jb.insertedSlots() >= 3 && jb.insertedSlots() <= 8, "slots inserted: " + jb.insertedSlots());
    }

    @Test
    void shouldPlayReorderedPacketsInOrder() {
        JitterBuffer jb = buffer();
        int[] order = {0, 2, 1, 3, 5, 4, 6, 7, 8, 9};
        for (int k : order) {
            ByteBuffer p = payload(2, (byte) (0x10 + k));
            jb.insert(7, k * 160, false, p, 0, 160);
        }
        int expectedCode = 0x10;
        int slots = 0;
        for (int i = 0; i < 40 && slots < 20; i++) {
            int st = jb.pull(out, 0);
            if (st == JitterBuffer.AUDIO) {
                assertEquals((byte) (expectedCode + slots / 2), out[0]);
                slots++;
            } else {
                assertEquals(0, slots, "gap after audio started");
            }
        }
        assertEquals(20, slots);
    }

    @Test
    void shouldSuppressDuplicates() {
        JitterBuffer jb = buffer();
        ByteBuffer p = payload(2, LOUD);
        assertEquals(JitterBuffer.RESYNCED, jb.insert(7, 0, true, p, 0, 160));
        assertEquals(JitterBuffer.INSERTED, jb.insert(7, 160, false, p, 0, 160));
        assertEquals(JitterBuffer.DUPLICATE, jb.insert(7, 160, false, p, 0, 160));
        assertEquals(1, jb.duplicates());
    }

    @Test
    void shouldReportMissingSlotsForALostPacketAndCarryOn() {
        JitterBuffer jb = buffer();
        ByteBuffer p = payload(2, LOUD);
        for (int k = 0; k < 10; k++) {
            if (k != 4) {
                jb.insert(7, k * 160, false, p, 0, 160);
            }
        }
        int audio = 0;
        int missingAfterStart = 0;
        for (int i = 0; i < 30; i++) {
            int st = jb.pull(out, 0);
            if (st == JitterBuffer.AUDIO) {
                audio++;
            } else if (audio > 0 && audio < 18) {
                missingAfterStart++;
            }
        }
        assertEquals(18, audio);
        assertEquals(2, missingAfterStart);
    }

    @Test
    void shouldResyncOnSsrcChangeAndOnTimestampJump() {
        JitterBuffer jb = buffer();
        ByteBuffer p = payload(2, LOUD);
        for (int k = 0; k < 5; k++) {
            jb.insert(7, k * 160, false, p, 0, 160);
            pullBlock(jb);
        }
        assertEquals(JitterBuffer.RESYNCED, jb.insert(8, 123_456, false, p, 0, 160));
        assertEquals(JitterBuffer.INSERTED, jb.insert(8, 123_456 + 160, false, p, 0, 160));
        assertEquals(JitterBuffer.RESYNCED, jb.insert(8, 123_456 + 8_000_000, false, p, 0, 160));
        assertEquals(JitterBuffer.RESYNCED, jb.insert(8, 5, false, p, 0, 160)); // not on a 10 ms grid
        assertEquals(3, jb.resyncs());
        int audio = 0;
        for (int i = 0; i < 10; i++) {
            if (jb.pull(out, 0) == JitterBuffer.AUDIO) {
                audio++;
            }
        }
        assertEquals(2, audio);
    }

    @Test
    void shouldReanchorAtTalkspurtStartAfterSilenceSuppression() {
        JitterBuffer jb = buffer();
        ByteBuffer p = payload(2, LOUD);
        for (int k = 0; k < 50; k++) {
            jb.insert(7, k * 160, k == 0, p, 0, 160);
            pullBlock(jb);
        }
        // The peer stops sending (DTX) for 2 s, then a talkspurt starts with the marker bit.
        for (int k = 0; k < 100; k++) {
            pullBlock(jb);
        }
        int ts = (50 + 100) * 160;
        assertEquals(JitterBuffer.INSERTED, jb.insert(7, ts, true, p, 0, 160));
        assertTrue(jb.delayMs() <= jb.minDelayMs() + 20, "delay " + jb.delayMs());
        int firstAudio = -1;
        for (int i = 0; i < 20 && firstAudio < 0; i++) {
            if (jb.pull(out, 0) == JitterBuffer.AUDIO) {
                firstAudio = i;
            }
        }
        assertTrue(firstAudio >= 0 && firstAudio * 10 <= jb.minDelayMs(), "first audio after " + firstAudio + " slots");
    }

    @Test
    void shouldAcceptThirtyMillisecondPacketsAgainstTwentyMillisecondBlocks() {
        JitterBuffer jb = buffer();
        ByteBuffer p = payload(3, LOUD);
        int audio = 0;
        int missing = 0;
        // 3 blocks of the span per 2 packets of the peer
        for (int k = 0; k < 300; k++) {
            if (k % 3 != 2) {
                jb.insert(9, (k - k / 3) * 240, false, p, 0, 240);
            }
            for (int s = 0; s < 2; s++) {
                int st = jb.pull(out, 0);
                if (st == JitterBuffer.AUDIO) {
                    audio++;
                } else if (audio > 0) {
                    missing++;
                }
            }
        }
        assertTrue(audio > 550, "audio slots " + audio);
        assertEquals(0, missing);
    }

    @Test
    void shouldRejectPayloadsThatAreNotWholeTenMillisecondFrames() {
        JitterBuffer jb = buffer();
        assertEquals(JitterBuffer.BAD_LENGTH, jb.insert(1, 0, false, payload(2, LOUD), 0, 100));
        assertEquals(JitterBuffer.BAD_LENGTH, jb.insert(1, 0, false, payload(2, LOUD), 0, 0));
        assertEquals(2, jb.badLengthPackets());
    }

    /**
     * The ring starts small and grows once: on random streams (ptime 10-120 ms, jitter up to 300 ms,
     * loss, reordering, duplicates, SSRC changes and timestamp jumps, random audio) a buffer that
     * starts small must return exactly what one built at full size returns, pull by pull: same
     * result codes, same bytes, same counters. A grown ring that lost or misplaced a slot fails here.
     */
    @Test
    void shouldPlayExactlyWhatTheFullSizeRingPlaysWhileStartingSmallAndGrowingOnce() {
        int grew = 0;
        int stayedSmall = 0;
        for (int seed = 1; seed <= 60; seed++) {
            Random rnd = new Random(seed);
            JitterBuffer small = new JitterBuffer(160, 20, 200, MAGNITUDE);
            JitterBuffer full = new JitterBuffer(160, 20, 200, MAGNITUDE, true);
            assertTrue(small.capacitySlots() < full.capacitySlots(), "starts small");
            int[] ptimes = {10, 20, 20, 20, 30, 40, 60, 120};
            int ptime = seed % 3 == 0 ? 20 : ptimes[rnd.nextInt(ptimes.length)];
            int maxJitter = seed % 3 == 0 ? 8 : rnd.nextInt(300);
            int ssrc = 7;
            int ts = rnd.nextInt();
            PriorityQueue<long[]> inFlight = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
            byte[] a = new byte[80];
            byte[] b = new byte[80];
            long sendAtMs = 0;
            for (long nowMs = 0; nowMs < 20_000; nowMs += 10) {
                while (sendAtMs <= nowMs) {
                    if (seed % 3 != 0 && rnd.nextInt(500) == 0) {
                        ssrc++;
                    }
                    if (seed % 3 != 0 && rnd.nextInt(700) == 0) {
                        ts += 80 * 1000;
                    }
                    if (rnd.nextInt(50) != 0) { // 2 % lost
                        long arrive = sendAtMs + rnd.nextInt(maxJitter + 1);
                        inFlight.add(new long[] {arrive, ssrc, ts, rnd.nextInt(20) == 0 ? 1 : 0, rnd.nextInt()});
                        if (rnd.nextInt(100) == 0) {
                            inFlight.add(new long[] {arrive + 5, ssrc, ts, 0, rnd.nextInt()}); // a duplicate
                        }
                    }
                    ts += ptime * 8;
                    sendAtMs += ptime;
                }
                while (!inFlight.isEmpty() && inFlight.peek()[0] <= nowMs) {
                    long[] p = inFlight.poll();
                    ByteBuffer body = ByteBuffer.allocate(ptime * 8);
                    Random audio = new Random(p[4]);
                    for (int k = 0; k < body.capacity(); k++) {
                        body.put(k, (byte) audio.nextInt(256));
                    }
                    int ra = small.insert((int) p[1], (int) p[2], p[3] == 1, body, 0, body.capacity());
                    int rb = full.insert((int) p[1], (int) p[2], p[3] == 1, body, 0, body.capacity());
                    assertEquals(rb, ra, "seed " + seed + " insert at " + nowMs + " ms");
                }
                int pa = small.pull(a, 0);
                int pb = full.pull(b, 0);
                assertEquals(pb, pa, "seed " + seed + " pull at " + nowMs + " ms");
                if (pa == JitterBuffer.AUDIO) {
                    assertTrue(java.util.Arrays.equals(a, b), "seed " + seed + " audio at " + nowMs + " ms");
                }
            }
            assertEquals(full.missingSlots(), small.missingSlots(), "seed " + seed);
            assertEquals(full.latePackets(), small.latePackets(), "seed " + seed);
            assertEquals(full.resyncs(), small.resyncs(), "seed " + seed);
            assertEquals(full.duplicates(), small.duplicates(), "seed " + seed);
            assertEquals(full.droppedSlots(), small.droppedSlots(), "seed " + seed);
            assertEquals(full.insertedSlots(), small.insertedSlots(), "seed " + seed);
            assertTrue(small.growths() <= 1, "grows once at most");
            if (small.growths() == 1) {
                assertEquals(full.capacitySlots(), small.capacitySlots());
                grew++;
            } else {
                stayedSmall++;
            }
        }
        assertTrue(grew > 10, "streams that needed the full ring: " + grew);
        assertTrue(stayedSmall > 10, "steady 20 ms streams with little jitter keep the small ring: " + stayedSmall);
    }
}
