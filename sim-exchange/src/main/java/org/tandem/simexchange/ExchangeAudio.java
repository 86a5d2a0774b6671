package org.tandem.simexchange;

import org.tandem.codecs.dtmf.DtmfDetector;
import org.tandem.codecs.dtmf.DtmfGenerator;
import org.tandem.codecs.dtmf.DtmfListener;
import org.tandem.codecs.g711.CompandingLaw;
import org.tandem.codecs.tone.CallProgressTone;
import org.tandem.codecs.tone.DigitalMilliwatt;
import org.tandem.codecs.tone.ToneGenerator;
import org.tandem.codecs.tone.TonePlan;
import org.tandem.tdm.sim.SimFarEnd;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The exchange's side of every B-channel of one span: what it sends towards the gateway and what
 * it does with what it receives, per channel, in the card's clock thread.
 *
 * <p>Hand-off without locks: the signalling thread only writes {@link #setMode} (a volatile int per
 * channel, plus a volatile sequence number so a new mode restarts its tone from phase 0); the clock
 * thread reads it once per block and owns the generators and buffers. No allocation per block.
 *
 * <p>Work per block only where it has an effect: a line with no call (IDLE) gets the idle code and
 * nothing else; the DTMF detector runs on a line in a call only while someone listens for digits
 * ({@link SimExchange#addDigitListener}), and starts from a reset state when the first listener
 * comes, as if the line had just been seized; blocks move with bulk copies.
 */
final class ExchangeAudio implements SimFarEnd {
    private static final ChannelMode[] MODES = ChannelMode.values();

    private final byte idleCode;
    private final CompandingLaw law;
    private final int maxChannel;
    private final int[] mode;
    private final int[] modeSeq;
    private volatile int publish;
    /** Digits to play, handed from any thread to the clock thread. */
    private final AtomicReferenceArray<String> toPlay;
    final List<DigitListener> digitListeners = new CopyOnWriteArrayList<>();
    static final int DTMF_ON_MS = 80;
    static final int DTMF_OFF_SAMPLES = 80 * 8;

    // ---- clock thread
    private final int[] seenSeq;
    private final ToneGenerator[] milliwatt;
    private final ToneGenerator[] ringback;
    private final ToneGenerator[] busy;
    private final ToneGenerator[] congestion;
    private final short[] scratch = new short[8192];
    private final byte[] block = new byte[8192];
    private final long[] blocksIn;
    private final DtmfDetector[] detectors;
    /** Whether the line's detector saw the previous block (clock thread). */
    private final boolean[] detecting;
    private final DtmfGenerator[] dtmf;
    private final String[] playing;
    private final int[] playIndex;
    private final int[] gapLeft;
    private final byte[] dtmfBlock = new byte[8192];
    private final byte[] idleBlock = new byte[8192];

    ExchangeAudio(CompandingLaw law, TonePlan plan, int maxChannel) {
        this.law = law;
        this.idleCode = law.encode((short) 0);
        java.util.Arrays.fill(idleBlock, idleCode);
        this.maxChannel = maxChannel;
        this.mode = new int[maxChannel + 1];
        this.modeSeq = new int[maxChannel + 1];
        this.seenSeq = new int[maxChannel + 1];
        this.milliwatt = new ToneGenerator[maxChannel + 1];
        this.ringback = new ToneGenerator[maxChannel + 1];
        this.busy = new ToneGenerator[maxChannel + 1];
        this.congestion = new ToneGenerator[maxChannel + 1];
        this.blocksIn = new long[maxChannel + 1];
        this.toPlay = new AtomicReferenceArray<>(maxChannel + 1);
        this.detectors = new DtmfDetector[maxChannel + 1];
        this.detecting = new boolean[maxChannel + 1];
        this.dtmf = new DtmfGenerator[maxChannel + 1];
        this.playing = new String[maxChannel + 1];
        this.playIndex = new int[maxChannel + 1];
        this.gapLeft = new int[maxChannel + 1];
        for (int ch = 1; ch <= maxChannel; ch++) {
            milliwatt[ch] = DigitalMilliwatt.testTone1004Hz(law);
            ringback[ch] = new ToneGenerator(plan.tone(CallProgressTone.RINGBACK), law);
            busy[ch] = new ToneGenerator(plan.tone(CallProgressTone.BUSY), law);
            congestion[ch] = new ToneGenerator(plan.tone(CallProgressTone.CONGESTION), law);
            final int chanpos = ch;
            detectors[ch] = new DtmfDetector(new DtmfListener() {
                @Override
                public void onDigitStart(char digit, long startSample) {
                    for (DigitListener l : digitListeners) {
                        l.onDigit(chanpos, digit);
                    }
                }

                @Override
                public void onDigitEnd(char digit, long startSample, long endSample) {
                }
            }, law);
            dtmf[ch] = new DtmfGenerator(law);
        }
    }

    /** Signalling thread: what channel {@code ch} plays from the next block on. */
    void setMode(int ch, ChannelMode m) {
        if (ch < 1 || ch > maxChannel) {
            return;
        }
        mode[ch] = m.ordinal();
        modeSeq[ch]++;
        publish++; // volatile write: publishes mode[] and modeSeq[] to the clock thread
    }

    ChannelMode mode(int ch) {
        int p = publish; // volatile read before the plain reads
        return ch < 1 || ch > maxChannel || p < 0 ? ChannelMode.IDLE : MODES[mode[ch]];
    }

    /** Any thread: plays these DTMF digits (80 ms tone, 80 ms pause) over the channel's audio. */
    void playDigits(int ch, String digits) {
        if (ch >= 1 && ch <= maxChannel) {
            toPlay.accumulateAndGet(ch, digits, (a, b) -> a == null ? b : a + b);
        }
    }

    long blocksReceived(int ch) {
        return blocksIn[ch];
    }

    @Override
    public void exchangeBlock(int chanpos, ByteBuffer fromGateway, ByteBuffer toGateway) {
        int n = toGateway.remaining();
        if (chanpos < 1 || chanpos > maxChannel || n > block.length) {
            fill(toGateway, idleCode, n);
            return;
        }
        int p = publish; // volatile read: see the latest mode
        ChannelMode m = p < 0 ? ChannelMode.IDLE : MODES[mode[chanpos]];
        int seq = modeSeq[chanpos];
        boolean restart = seq != seenSeq[chanpos];
        seenSeq[chanpos] = seq;
        blocksIn[chanpos]++;
        if (restart) {
            detectors[chanpos].reset();
            playing[chanpos] = null;
        }
        if (m != ChannelMode.IDLE && fromGateway.remaining() <= block.length && !digitListeners.isEmpty()) {
            if (!detecting[chanpos]) {
                detecting[chanpos] = true;
                if (!restart) {
                    detectors[chanpos].reset(); // blocks went by undetected: start afresh
                }
            }
            int len = fromGateway.remaining();
            fromGateway.get(fromGateway.position(), block, 0, len);
            detectors[chanpos].process(law, block, 0, len);
        } else {
            detecting[chanpos] = false;
        }
        produce(m, chanpos, restart, fromGateway, toGateway, n);
        if (m != ChannelMode.IDLE) {
            overlayDtmf(chanpos, toGateway, n);
        }
    }

    /** Replaces the block with the DTMF digit being played, if any. */
    private void overlayDtmf(int ch, ByteBuffer dst, int n) {
        if (playing[ch] == null) {
            String next = toPlay.getAndSet(ch, null);
            if (next == null || next.isEmpty()) {
                return;
            }
            playing[ch] = next;
            playIndex[ch] = 0;
            gapLeft[ch] = 0;
            dtmf[ch].start(next.charAt(0), DTMF_ON_MS, -6, 2);
        }
        DtmfGenerator g = dtmf[ch];
        if (g.remainingSamples() > 0) {
            g.generate(dtmfBlock, 0, n, scratch);
        } else {
            for (int i = 0; i < n; i++) {
                dtmfBlock[i] = idleCode;
            }
            gapLeft[ch] += n;
            if (gapLeft[ch] >= DTMF_OFF_SAMPLES) {
                gapLeft[ch] = 0;
                playIndex[ch]++;
                if (playIndex[ch] >= playing[ch].length()) {
                    playing[ch] = null;
                } else {
                    g.start(playing[ch].charAt(playIndex[ch]), DTMF_ON_MS, -6, 2);
                }
            }
        }
        dst.put(dst.position(), dtmfBlock, 0, n);
    }

    private void produce(ChannelMode m, int chanpos, boolean restart, ByteBuffer fromGateway, ByteBuffer toGateway,
                         int n) {
        switch (m) {
            case LOOPBACK: {
                int len = Math.min(n, fromGateway.remaining());
                toGateway.put(toGateway.position(), fromGateway, fromGateway.position(), len);
                fill(toGateway, len, idleCode, n - len);
                return;
            }
            case MILLIWATT:
                tone(milliwatt[chanpos], restart, toGateway, n);
                return;
            case RINGBACK:
                tone(ringback[chanpos], restart, toGateway, n);
                return;
            case BUSY:
                tone(busy[chanpos], restart, toGateway, n);
                return;
            case CONGESTION:
                tone(congestion[chanpos], restart, toGateway, n);
                return;
            default:
                fill(toGateway, idleCode, n);
        }
    }

    private void tone(ToneGenerator g, boolean restart, ByteBuffer dst, int n) {
        if (restart) {
            g.reset();
        }
        g.generate(law, block, 0, n, scratch);
        dst.put(dst.position(), block, 0, n);
    }

    private void fill(ByteBuffer dst, byte code, int n) {
        fill(dst, 0, code, n);
    }

    /** {@code n} bytes of {@code code} from {@code dst}'s position + {@code at}; in bulk for the idle code. */
    private void fill(ByteBuffer dst, int at, byte code, int n) {
        int pos = dst.position() + at;
        if (code == idleCode && n <= idleBlock.length) {
            dst.put(pos, idleBlock, 0, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            dst.put(pos + i, code);
        }
    }
}
