/**
 * DTMF (ITU-T Q.23 signals, Q.24 receiver figures): {@link org.tandem.codecs.dtmf.DtmfDetector} and
 * {@link org.tandem.codecs.dtmf.DtmfGenerator}.
 */
package org.tandem.codecs.dtmf;
