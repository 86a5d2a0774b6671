package org.tandem.codecs.dtmf;

/**
 * Receives digits from a {@link DtmfDetector}, on the detector's thread, from inside
 * {@code process}. Timestamps count samples since the detector was created or reset; an RFC 4733
 * sender uses the start for the event's timestamp and end - start for its duration.
 */
public interface DtmfListener {
    /** A digit has been recognised; {@code startSample} is when its tone began (about +-3 ms). */
    void onDigitStart(char digit, long startSample);

    /** The digit's tone has stopped; {@code endSample} (exclusive) is when (about +-3 ms). */
    void onDigitEnd(char digit, long startSample, long endSample);
}
