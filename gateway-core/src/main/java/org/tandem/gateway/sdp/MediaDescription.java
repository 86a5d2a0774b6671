package org.tandem.gateway.sdp;

import java.util.List;
import java.util.Map;

/**
 * One {@code m=} section.
 *
 * @param formats the m= line's format tokens as written (payload type numbers for RTP, other
 *                tokens such as "t38" for non-RTP streams)
 * @param connectionAddress the media-level {@code c=} address, or null to use the session's
 * @param rtpMaps rtpmap per payload type, including static types that had no rtpmap line
 * @param fmtps fmtp parameters per payload type
 * @param ptimeMs the {@code a=ptime}, or 0 when absent
 * @param direction the media-level direction attribute, or null when absent
 * @param otherAttributes attributes this class does not model, kept as "name[:value]"
 */
public record MediaDescription(String media, int port, String protocol, List<String> formats,
        String connectionAddress, Map<Integer, RtpMap> rtpMaps, Map<Integer, String> fmtps, int ptimeMs,
        Direction direction, List<String> otherAttributes) {

    public MediaDescription {
        formats = List.copyOf(formats);
        rtpMaps = Map.copyOf(rtpMaps);
        fmtps = Map.copyOf(fmtps);
        otherAttributes = List.copyOf(otherAttributes);
    }

    /** The record's text with SDES keys redacted: an SDP in a log line must not leak them. */
    @Override
    public String toString() {
        return CryptoAttribute.redact("MediaDescription[media=" + media + ", port=" + port + ", protocol=" + protocol
                + ", formats=" + formats + ", c=" + connectionAddress + ", rtpMaps=" + rtpMaps.values()
                + ", ptime=" + ptimeMs + ", direction=" + direction + ", attributes=" + otherAttributes + "]");
    }

    public boolean isAudio() {
        return "audio".equals(media);
    }

    /** True for a stream the peer rejected or disabled (port 0, RFC 3264 section 6). */
    public boolean isDisabled() {
        return port == 0;
    }

    /** The numeric formats (RTP payload types), in the peer's order of preference. */
    public List<Integer> payloadTypes() {
        List<Integer> out = new java.util.ArrayList<>(formats.size());
        for (String f : formats) {
            try {
                out.add(Integer.parseInt(f));
            } catch (NumberFormatException e) {
                // a non-RTP format token: not a payload type
            }
        }
        return out;
    }

    /** The {@code a=crypto} lines (RFC 4568), in the peer's order of preference. */
    public List<CryptoAttribute> cryptos() {
        List<CryptoAttribute> out = new java.util.ArrayList<>(2);
        for (String a : otherAttributes) {
            if (a.startsWith("crypto:")) {
                CryptoAttribute c = CryptoAttribute.parse(a.substring("crypto:".length()));
                if (c != null) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /** RTP/SAVP (RFC 3711): the stream is SRTP or nothing. */
    public boolean isSavp() {
        return "RTP/SAVP".equals(protocol);
    }

    public RtpMap rtpMap(int pt) {
        return rtpMaps.get(pt);
    }
}
