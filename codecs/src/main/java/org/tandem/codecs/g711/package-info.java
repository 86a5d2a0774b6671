/**
 * ITU-T G.711 PCM: {@link org.tandem.codecs.g711.ALaw}, {@link org.tandem.codecs.g711.MuLaw} and
 * the direct {@link org.tandem.codecs.g711.ALawMuLawTranscoder}. Tables are computed at class load
 * from the laws; every code path is checked against spandsp on every input (see docs/CODECS.md).
 */
package org.tandem.codecs.g711;
