/** Packet loss concealment for G.711 (ITU-T G.711 Appendix I): {@link org.tandem.codecs.plc.PacketLossConcealer}. */
package org.tandem.codecs.plc;
