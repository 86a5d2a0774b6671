package org.tandem.gateway.media;

import java.nio.ByteBuffer;
import org.tandem.codecs.dtmf.DtmfDetector;
import org.tandem.codecs.g711.CompandingLaw;
import org.tandem.codecs.dtmf.DtmfListener;
import org.tandem.gateway.rtp.TelephoneEvent;
import org.tandem.tdm.TdmLaw;

/**
 * Span -> SIP DTMF when telephone-event is negotiated: the codecs detector watches the span's
 * audio and each digit becomes RFC 4733 events (section 2.5.1): a first packet with the marker bit,
 * an update every packet interval with the growing duration, and the final packet sent three
 * times with the E bit. While a digit is held the channel sends events instead of audio, so the
 * peer never gets the digit twice.
 *
 * <p>The detector needs about 25 ms of tone before it recognises a digit; that much of the tone
 * has already left as audio. It is shorter than the 40 ms Q.24 minimum, so receivers do not take
 * it for a digit.
 */
final class DtmfToRtp implements DtmfListener {
    static final int END_PACKETS = 3;
    /** RFC 4733 volume field: -10 dBm0 (the detector does not measure it per digit). */
    static final int VOLUME = 10;

    private final DtmfDetector detector;
    private final CompandingLaw law;
    private final int packetSamples;
    private int measuredSamples;

    private char heldDigit;
    private boolean newDigit;
    private int event = -1;
    private int eventTimestamp;
    private int durationSamples;
    private boolean marker;
    private int endPacketsLeft;
    private boolean endPending;
    private int endedEvent = -1;
    private int lastDurationMs;
    private int digits;
    private boolean inEvent;

    DtmfToRtp(TdmLaw law, int packetSamples) {
        this.law = G711Audio.companding(law);
        this.detector = new DtmfDetector(this, this.law);
        this.packetSamples = packetSamples;
    }

    /**
     * Feeds one block of the span's audio. Returns the event code of a digit whose end packets are
     * now due (for the listener), else -1.
     */
    int analyse(byte[] block, int off, int len) {
        endedEvent = -1;
        detector.process(law, block, off, len);
        return endedEvent;
    }

    @Override
    public void onDigitStart(char digit, long startSample) {
        heldDigit = digit;
        newDigit = true;
    }

    @Override
    public void onDigitEnd(char digit, long startSample, long endSample) {
        if (inEvent || newDigit) {
            endPending = true;
            measuredSamples = (int) Math.min(TelephoneEvent.MAX_DURATION, endSample - startSample);
            endedEvent = TelephoneEvent.eventOfDigit(digit);
            lastDurationMs = measuredSamples / 8;
        }
        heldDigit = 0;
    }

    /** True while a digit is held: the span's audio must not go out. */
    boolean active() {
        return heldDigit != 0 || inEvent || newDigit;
    }

    boolean hasPackets() {
        return inEvent || newDigit || endPending;
    }

    /**
     * Prepares this packet interval's event packets; {@code rtpTimestamp} is where the interval
     * starts. Returns how many packets to send ({@link #writeNext} that many times).
     */
    int packetsDue(int rtpTimestamp) {
        if (!inEvent && newDigit) {
            newDigit = false;
            inEvent = true;
            event = TelephoneEvent.eventOfDigit(heldDigit != 0 ? heldDigit : '0');
            eventTimestamp = rtpTimestamp;
            durationSamples = 0;
            marker = true;
            digits++;
        }
        if (!inEvent) {
            endPending = false;
            return 0;
        }
        int elapsed = rtpTimestamp + packetSamples - eventTimestamp;
        if (elapsed > durationSamples) {
            durationSamples = Math.min(elapsed, TelephoneEvent.MAX_DURATION);
        }
        if (endPending) {
            if (measuredSamples > durationSamples) {
                durationSamples = measuredSamples;
            }
            endPacketsLeft = END_PACKETS;
            return END_PACKETS;
        }
        return 1;
    }

    boolean markerForNext() {
        return marker;
    }

    int eventTimestamp() {
        return eventTimestamp;
    }

    /** Writes the next event payload at {@code index}; returns its length. */
    int writeNext(ByteBuffer buffer, int index) {
        marker = false;
        boolean end = endPacketsLeft > 0;
        int len = TelephoneEvent.write(buffer, index, event, end, VOLUME, durationSamples);
        if (end && --endPacketsLeft == 0) {
            lastDurationMs = durationSamples / 8;
            inEvent = false;
            endPending = false;
            // A digit that started again right away (no gap) is picked up next interval.
        }
        return len;
    }

    /** The direction does not send: events of this interval are dropped, state kept consistent. */
    void discardPackets(int rtpTimestamp) {
        int n = packetsDue(rtpTimestamp);
        for (int i = 0; i < n; i++) {
            if (endPacketsLeft > 0 && --endPacketsLeft == 0) {
                inEvent = false;
                endPending = false;
            }
        }
    }

    int lastDurationMs() {
        return lastDurationMs;
    }

    int digits() {
        return digits;
    }
}
