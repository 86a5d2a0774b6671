/**
 * Speech codecs and DSP for 8 kHz telephony audio: G.711 ({@code g711}), DTMF ({@code dtmf}), call-progress tones ({@code tone}) and packet loss concealment ({@code plc}). No dependencies; hot-path methods allocate nothing.
 */
package org.tandem.codecs;
