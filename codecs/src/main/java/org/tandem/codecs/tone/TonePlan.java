package org.tandem.codecs.tone;

import java.util.EnumMap;
import java.util.Map;

/**
 * National call-progress tone plans as data. Frequencies and cadences:
 * <pre>
 *  plan  tone        Hz        cadence (ms)        level per component
 *  ETSI  dial        425       continuous          -10 dBm0   ETSI TR 101 041-2 / ES 201 970 (Europe)
 *  ETSI  ringback    425       1000 on, 4000 off   -10 dBm0
 *  ETSI  busy        425       500 on, 500 off     -10 dBm0
 *  ETSI  congestion  425       250 on, 250 off     -10 dBm0
 *  US    dial        350+440   continuous          -13 dBm0   ATIS-0300011 ("precise tone plan")
 *  US    ringback    440+480   2000 on, 4000 off   -19 dBm0
 *  US    busy        480+620   500 on, 500 off     -24 dBm0
 *  US    congestion  480+620   250 on, 250 off     -24 dBm0   ("reorder")
 * </pre>
 */
public enum TonePlan {
    ETSI(Map.of(
            CallProgressTone.DIAL, new ToneDefinition(425, 0, -10, Cadence.CONTINUOUS),
            CallProgressTone.RINGBACK, new ToneDefinition(425, 0, -10, Cadence.of(1000, 4000)),
            CallProgressTone.BUSY, new ToneDefinition(425, 0, -10, Cadence.of(500, 500)),
            CallProgressTone.CONGESTION, new ToneDefinition(425, 0, -10, Cadence.of(250, 250)))),
    US(Map.of(
            CallProgressTone.DIAL, new ToneDefinition(350, 440, -13, Cadence.CONTINUOUS),
            CallProgressTone.RINGBACK, new ToneDefinition(440, 480, -19, Cadence.of(2000, 4000)),
            CallProgressTone.BUSY, new ToneDefinition(480, 620, -24, Cadence.of(500, 500)),
            CallProgressTone.CONGESTION, new ToneDefinition(480, 620, -24, Cadence.of(250, 250))));

    private final Map<CallProgressTone, ToneDefinition> tones;

    TonePlan(Map<CallProgressTone, ToneDefinition> tones) {
        this.tones = new EnumMap<>(tones);
        for (CallProgressTone t : CallProgressTone.values()) {
            if (!this.tones.containsKey(t)) {
                throw new IllegalStateException("tone plan " + name() + " lacks " + t);
            }
        }
    }

    public ToneDefinition tone(CallProgressTone tone) {
        return tones.get(tone);
    }
}
