package org.tandem.gateway.sdp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 4566 text <-> {@link SessionDescription}. The parser is strict about what the gateway needs
 * (v=0 first, o=, well-formed c= and m= lines) and lenient about the rest: unknown lines and
 * attributes are kept or skipped, LF-only line ends are accepted (seen from real peers).
 */
final class SdpCodec {
    private SdpCodec() {
    }

    static SessionDescription parse(String text) throws SdpParseException {
        if (text == null || text.isBlank()) {
            throw new SdpParseException("SDP body is empty");
        }
        String[] lines = SdpSplit.lines(text);
        String originUser = null;
        long sessionId = 0;
        long sessionVersion = 0;
        String originAddress = null;
        String sessionName = "-";
        String sessionConnection = null;
        Direction sessionDirection = null;
        List<MediaDescription> media = new ArrayList<>();
        MediaBuilder current = null;
        boolean sawVersion = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            int lineNo = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw new SdpParseException("SDP line " + lineNo + " is not <type>=<value>: " + line);
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (!sawVersion) {
                if (type != 'v' || !value.equals("0")) {
                    throw new SdpParseException("SDP must start with v=0, line " + lineNo + " is " + line);
                }
                sawVersion = true;
                continue;
            }
            switch (type) {
                case 'o' -> {
                    String[] f = SdpSplit.fields(value, 0);
                    if (f.length != 6) {
                        throw new SdpParseException("SDP line " + lineNo + ": o= needs 6 fields: " + line);
                    }
                    originUser = f[0];
                    sessionId = parseLong(f[1], lineNo, "o= sess-id");
                    sessionVersion = parseLong(f[2], lineNo, "o= sess-version");
                    originAddress = f[5];
                }
                case 's' -> sessionName = value;
                case 'c' -> {
                    String address = parseConnection(value, lineNo);
                    if (current != null) {
                        current.connection = address;
                    } else {
                        sessionConnection = address;
                    }
                }
                case 'm' -> {
                    if (current != null) {
                        media.add(current.build());
                    }
                    current = parseMediaLine(value, lineNo);
                }
                case 'a' -> {
                    int colon = value.indexOf(':');
                    String name = colon < 0 ? value : value.substring(0, colon);
                    String attr = colon < 0 ? null : value.substring(colon + 1).strip();
                    Direction d = Direction.fromAttribute(name);
                    if (current == null) {
                        if (d != null) {
                            sessionDirection = d;
                        }
                    } else {
                        current.attribute(name, attr, d, lineNo);
                    }
                }
                default -> {
                    // t=, b=, i=, u=, e=, p=, r=, z=, k=: not needed for a G.711 gateway.
                }
            }
        }
        if (current != null) {
            media.add(current.build());
        }
        if (originUser == null) {
            throw new SdpParseException("SDP has no o= line");
        }
        return new SessionDescription(originUser, sessionId, sessionVersion, originAddress, sessionName,
                sessionConnection, sessionDirection, media);
    }

    static String encode(SessionDescription sd) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("v=0\r\n");
        sb.append("o=").append(sd.originUser()).append(' ').append(sd.sessionId()).append(' ')
                .append(sd.sessionVersion()).append(" IN ").append(addrType(sd.originAddress())).append(' ')
                .append(sd.originAddress()).append("\r\n");
        sb.append("s=").append(sd.sessionName()).append("\r\n");
        if (sd.connectionAddress() != null) {
            sb.append("c=IN ").append(addrType(sd.connectionAddress())).append(' ')
                    .append(sd.connectionAddress()).append("\r\n");
        }
        sb.append("t=0 0\r\n");
        if (sd.direction() != null) {
            sb.append("a=").append(sd.direction().attribute()).append("\r\n");
        }
        for (MediaDescription m : sd.media()) {
            sb.append("m=").append(m.media()).append(' ').append(m.port()).append(' ').append(m.protocol());
            for (String f : m.formats()) {
                sb.append(' ').append(f);
            }
            sb.append("\r\n");
            if (m.connectionAddress() != null) {
                sb.append("c=IN ").append(addrType(m.connectionAddress())).append(' ')
                        .append(m.connectionAddress()).append("\r\n");
            }
            for (int f : m.payloadTypes()) {
                RtpMap r = m.rtpMap(f);
                if (r != null) {
                    sb.append("a=rtpmap:").append(r.attributeValue()).append("\r\n");
                }
                String fmtp = m.fmtps().get(f);
                if (fmtp != null) {
                    sb.append("a=fmtp:").append(f).append(' ').append(fmtp).append("\r\n");
                }
            }
            if (m.ptimeMs() > 0) {
                sb.append("a=ptime:").append(m.ptimeMs()).append("\r\n");
            }
            for (String a : m.otherAttributes()) {
                sb.append("a=").append(a).append("\r\n");
            }
            if (m.direction() != null) {
                sb.append("a=").append(m.direction().attribute()).append("\r\n");
            }
        }
        return sb.toString();
    }

    private static String addrType(String address) {
        return address.indexOf(':') >= 0 ? "IP6" : "IP4";
    }

    private static String parseConnection(String value, int lineNo) throws SdpParseException {
        String[] f = SdpSplit.fields(value, 0);
        if (f.length != 3 || !f[0].equals("IN") || !(f[1].equals("IP4") || f[1].equals("IP6"))) {
            throw new SdpParseException("SDP line " + lineNo + ": c= must be 'IN IP4|IP6 <address>': c=" + value);
        }
        String address = f[2];
        int slash = address.indexOf('/');
        return slash < 0 ? address : address.substring(0, slash); // multicast TTL: not supported, ignored
    }

    private static MediaBuilder parseMediaLine(String value, int lineNo) throws SdpParseException {
        String[] f = SdpSplit.fields(value, 0);
        if (f.length < 4) {
            throw new SdpParseException("SDP line " + lineNo + ": m= needs media, port, proto and formats: m=" + value);
        }
        MediaBuilder b = new MediaBuilder();
        b.media = f[0];
        String port = f[1];
        int slash = port.indexOf('/');
        b.port = (int) parseLong(slash < 0 ? port : port.substring(0, slash), lineNo, "m= port");
        if (b.port < 0 || b.port > 65535) {
            throw new SdpParseException("SDP line " + lineNo + ": m= port " + b.port + " is out of range");
        }
        b.protocol = f[2];
        for (int i = 3; i < f.length; i++) {
            b.formats.add(f[i]);
            try {
                RtpMap s = RtpMap.staticFor(Integer.parseInt(f[i]));
                if (s != null) {
                    b.rtpMaps.put(s.payloadType(), s);
                }
            } catch (NumberFormatException e) {
                // e.g. "m=image 0 udptl t38": a non-RTP format, kept as a token
            }
        }
        return b;
    }

    private static long parseLong(String s, int lineNo, String what) throws SdpParseException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new SdpParseException("SDP line " + lineNo + ": " + what + " is not a number: " + s);
        }
    }

    private static final class MediaBuilder {
        String media;
        int port;
        String protocol;
        final List<String> formats = new ArrayList<>();
        String connection;
        final Map<Integer, RtpMap> rtpMaps = new LinkedHashMap<>();
        final Map<Integer, String> fmtps = new HashMap<>();
        int ptime;
        Direction direction;
        final List<String> other = new ArrayList<>();

        void attribute(String name, String value, Direction d, int lineNo) throws SdpParseException {
            if (d != null) {
                direction = d;
                return;
            }
            switch (name) {
                case "rtpmap" -> {
                    String[] f = value == null ? new String[0] : SdpSplit.fields(value, 2);
                    if (f.length != 2) {
                        throw new SdpParseException("SDP line " + lineNo + ": bad a=rtpmap:" + value);
                    }
                    int pt = (int) parseLong(f[0], lineNo, "rtpmap payload type");
                    String[] enc = f[1].split("/");
                    if (enc.length < 2) {
                        // "a=rtpmap:31 LPC" (RFC 3261's and RFC 4475's examples) has no clock rate:
                        // not RFC 4566 grammar, but no reason to refuse the whole offer. The map is
                        // ignored; the payload type keeps its static meaning, if any.
                        other.add(name + ":" + value);
                        return;
                    }
                    int clock = (int) parseLong(enc[1], lineNo, "rtpmap clock rate");
                    int channels = enc.length > 2 ? (int) parseLong(enc[2], lineNo, "rtpmap channels") : 1;
                    rtpMaps.put(pt, new RtpMap(pt, enc[0], clock, channels));
                }
                case "fmtp" -> {
                    String[] f = value == null ? new String[0] : SdpSplit.fields(value, 2);
                    if (f.length == 2) {
                        fmtps.put((int) parseLong(f[0], lineNo, "fmtp payload type"), f[1]);
                    }
                }
                case "ptime" -> ptime = (int) parseLong(value == null ? "" : value.strip(), lineNo, "ptime");
                default -> other.add(value == null ? name : name + ":" + value);
            }
        }

        MediaDescription build() {
            // rtpmaps for payload types not in the m= line are ignored (RFC 4566 section 6).
            rtpMaps.keySet().removeIf(pt -> !formats.contains(String.valueOf(pt)));
            return new MediaDescription(media, port, protocol, formats,
                    connection, rtpMaps, fmtps, ptime, direction, other);
        }
    }
}
