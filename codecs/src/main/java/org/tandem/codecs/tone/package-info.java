/**
 * Call-progress tones: national {@link org.tandem.codecs.tone.TonePlan}s as data, a cadenced
 * phase-continuous {@link org.tandem.codecs.tone.ToneGenerator}, and the 0 dBm0 test tones of
 * {@link org.tandem.codecs.tone.DigitalMilliwatt}.
 */
package org.tandem.codecs.tone;
