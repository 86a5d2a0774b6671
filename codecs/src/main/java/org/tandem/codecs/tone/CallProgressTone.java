package org.tandem.codecs.tone;

/** The call-progress tones every tone plan provides. */
public enum CallProgressTone {
    DIAL, RINGBACK, BUSY, CONGESTION
}
