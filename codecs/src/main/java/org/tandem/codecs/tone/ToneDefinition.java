package org.tandem.codecs.tone;

/**
 * One call-progress tone: one or two frequencies, each at {@code levelDbm0}, switched by a cadence.
 *
 * @param frequency1Hz first frequency
 * @param frequency2Hz second frequency, or 0 for a single-frequency tone
 * @param levelDbm0    level of each frequency component
 * @param cadence      on/off pattern
 */
public record ToneDefinition(double frequency1Hz, double frequency2Hz, double levelDbm0, Cadence cadence) {
    public ToneDefinition {
        if (frequency1Hz <= 0 || frequency1Hz >= 4000 || frequency2Hz < 0 || frequency2Hz >= 4000) {
            throw new IllegalArgumentException("tone frequencies must lie in (0, 4000) Hz for 8 kHz audio, got "
                    + frequency1Hz + " and " + frequency2Hz);
        }
        if (levelDbm0 > 0) {
            throw new IllegalArgumentException("tone level must be at most 0 dBm0 per component, got " + levelDbm0);
        }
    }
}
