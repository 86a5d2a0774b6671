package org.tandem.gateway.media;

import java.nio.ByteBuffer;
import org.tandem.codecs.g711.CompandingLaw;
import org.tandem.codecs.plc.PacketLossConcealer;
import org.tandem.tdm.TdmLaw;

/**
 * Packet loss concealment on the way to the span, with the codecs module's G.711 Appendix I
 * concealer, used only around losses so that received audio otherwise passes bit-exact.
 *
 * <p>Appendix I delays its output by 3.75 ms (the look-ahead it needs). Running every frame
 * through it would cost a decode, a history shift and an encode per 10 ms on every channel and
 * would make A-law to A-law no longer a plain copy. Instead the last 60 ms actually written to the
 * span are kept as G.711 bytes; on the first missing frame they are replayed into the concealer to
 * rebuild its history, and the concealer's output is used until it has blended the first good
 * frame back in. On the next good frame the output cross-fades from the concealer's (delayed)
 * signal to the direct one over 10 ms. Cost: none while nothing is lost; at the start of a loss
 * 3.75 ms of the last good audio is heard twice (before the synthetic signal), and 3.75 ms is
 * skipped under the cross-fade when it ends.
 *
 * <p>The concealer and its work buffers (about 4.9 KB) are needed only during such an episode:
 * they are borrowed from the agent's {@link MediaBuffers} at the first missing frame (the replay of
 * the history rebuilds everything the concealer knows, so a cleared one is as good as one that saw
 * the whole call) and handed back when the episode ends, at {@link #reset} and at detach
 * ({@link #release}). Only the 60 ms history is per call.
 */
final class ConcealmentStage {
    static final int FRAME = PacketLossConcealer.FRAME;
    /** Enough history for Appendix I (3 x 120-sample pitch + overlap = 390 samples). */
    static final int HISTORY_FRAMES = 6;

    private final CompandingLaw law;
    private final MediaBuffers buffers;
    private final byte[] history = new byte[HISTORY_FRAMES * FRAME];
    private int historyFrames;
    private int historyHead;
    /** The borrowed concealer: non-null exactly while an episode lasts. */
    private MediaBuffers.Concealer lent;
    private boolean episode;

    ConcealmentStage(TdmLaw law, MediaBuffers buffers) {
        this.law = G711Audio.companding(law);
        this.buffers = buffers;
    }

    /** A received frame already written at {@code frame[index .. +80)}; may be rewritten during an episode. */
    void good(ByteBuffer frame, int index) {
        if (episode) {
            PacketLossConcealer plc = lent.plc;
            byte[] codes = lent.codes;
            short[] pcm = lent.pcm;
            short[] direct = lent.direct;
            frame.get(index, codes, 0, FRAME);
            law.decode(codes, 0, pcm, 0, FRAME);
            System.arraycopy(pcm, 0, direct, 0, FRAME);
            plc.goodFrame(pcm, 0, FRAME);
            if (plc.erasedUnits() == 0) {
                // The concealer has merged the loss into real audio: fade back to the direct path.
                for (int i = 0; i < FRAME; i++) {
                    double w = (i + 1) / (double) FRAME;
                    pcm[i] = (short) Math.round(pcm[i] * (1 - w) + direct[i] * w);
                }
                episode = false;
            }
            law.encode(pcm, 0, codes, 0, FRAME);
            frame.put(index, codes, 0, FRAME);
            if (!episode) {
                release();
            }
        }
        remember(frame, index);
    }

    /** A missing frame: writes the concealment at {@code frame[index .. +80)}. */
    void conceal(ByteBuffer frame, int index) {
        if (!episode) {
            episode = true;
            lent = buffers.takeConcealer();
            int start = historyFrames < HISTORY_FRAMES ? 0 : historyHead;
            for (int k = 0; k < historyFrames; k++) {
                int slot = (start + k) % HISTORY_FRAMES;
                law.decode(history, slot * FRAME, lent.pcm, 0, FRAME);
                lent.plc.goodFrame(lent.pcm, 0, FRAME);
            }
        }
        lent.plc.lostFrame(lent.pcm, 0, FRAME);
        law.encode(lent.pcm, 0, lent.codes, 0, FRAME);
        frame.put(index, lent.codes, 0, FRAME);
        remember(frame, index);
    }

    /** Nothing is being received (idle or on hold): forget the history. */
    void reset() {
        historyFrames = 0;
        historyHead = 0;
        episode = false;
        release();
    }

    /** Hands the concealer back if one is borrowed (end of an episode, reset, detach). */
    void release() {
        if (lent != null) {
            buffers.giveConcealer(lent);
            lent = null;
        }
        episode = false;
    }

    boolean concealing() {
        return episode;
    }

    private void remember(ByteBuffer frame, int index) {
        frame.get(index, history, historyHead * FRAME, FRAME);
        historyHead = (historyHead + 1) % HISTORY_FRAMES;
        if (historyFrames < HISTORY_FRAMES) {
            historyFrames++;
        }
    }
}
