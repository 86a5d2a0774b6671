package org.tandem.gateway.e2e;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Malformed INVITEs from one valid one, deterministic for a seed: each message mutates one part
 * (the request line, one header, or one SDP line) with one operator, in the spirit of the OUSPG
 * PROTOS c07-sip anomaly classes. Every message has a Call-ID and branch of its own (unless the
 * mutation is of those), so none is taken for a retransmission of another; Content-Length is
 * recomputed unless it is the header mutated.
 *
 * <p>The classes ({@link Anomaly}): overflows (long strings up to 64 KiB), format strings, integer
 * boundaries, NUL bytes, octets that are not UTF-8, CR/LF and white-space anomalies, a mandatory
 * header missing or doubled, a bad Content-Length, multipart bodies, SDP with m= before c=, long
 * URIs, malformed Contact, a part deleted or truncated.
 */
final class SipFuzzer {
    /** The anomaly classes, one per message, in turn. */
    enum Anomaly {
        OVERFLOW, FORMAT_STRING, INTEGER_BOUNDARY, NUL, NON_UTF8, CRLF_WS, MISSING_MANDATORY,
        DUPLICATE_MANDATORY, CONTENT_LENGTH, MULTIPART, SDP_ORDER, LONG_URI, MALFORMED_CONTACT,
        DELETE_OR_TRUNCATE
    }

    private static final String[] FORMAT = {"%s%s%s%s%s%s%s%s", "%n%n%n%n", "%x%x%x%x%x%x", "%99999999d",
        "%.1024d", "%s%p%x%d", "${jndi:ldap://127.0.0.1/x}", "{0}{1}{2}"};
    private static final String[] INTEGERS = {"0", "-1", "-0", "1", "255", "256", "65535", "65536", "2147483647",
        "2147483648", "-2147483649", "4294967295", "4294967296", "9223372036854775807", "9223372036854775808",
        "18446744073709551616", "99999999999999999999999999999999", "0x10", "1e10", "+1", "00000000000000000000001",
        ""};
    private static final String[] MANDATORY = {"Via", "From", "To", "Call-ID", "CSeq", "Max-Forwards", "Contact"};

    private final Random random;
    private final String host;
    private final int port;
    private final String called;
    private long n;

    /**
     * @param seed   the whole sequence follows from it
     * @param host   the sender's address (the Via, Contact and SDP name it)
     * @param port   the sender's port
     * @param called the Request-URI user of the valid INVITE
     */
    SipFuzzer(long seed, String host, int port, String called) {
        this.random = new Random(seed);
        this.host = host;
        this.port = port;
        this.called = called;
    }

    /** The valid INVITE of message {@code id}, as lines: request line, headers, "", SDP lines. */
    List<String> valid(String id, String transport) {
        List<String> l = new ArrayList<>(List.of(
                "INVITE sip:" + called + "@127.0.0.1 SIP/2.0",
                "Via: SIP/2.0/" + transport + " " + host + ":" + port + ";branch=z9hG4bK-fz-" + id + ";rport",
                "Max-Forwards: 70",
                "From: \"Fuzz\" <sip:5550100@" + host + ">;tag=fz" + id,
                "To: <sip:" + called + "@127.0.0.1>",
                "Call-ID: fz-" + id + "@" + host,
                "CSeq: 1 INVITE",
                "Contact: <sip:5550100@" + host + ":" + port + ">",
                "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS",
                "Supported: timer",
                "User-Agent: tandem-fuzz",
                "Content-Type: application/sdp",
                "Content-Length: 0",
                ""));
        l.addAll(List.of("v=0", "o=- 1 1 IN IP4 " + host, "s=-", "c=IN IP4 " + host, "t=0 0",
                "m=audio 40000 RTP/AVP 8 0 101", "a=rtpmap:8 PCMA/8000", "a=rtpmap:0 PCMU/8000",
                "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-15", "a=ptime:20", "a=sendrecv"));
        return l;
    }

    /** The next message: which anomaly, where, and the octets. */
    record Case(long index, Anomaly anomaly, String where, byte[] bytes) {
    }

    Case next(String transport) {
        long i = n++;
        String id = Long.toString(i, 36) + "-" + Integer.toHexString(random.nextInt());
        List<String> lines = valid(id, transport);
        Anomaly a = Anomaly.values()[(int) (i % Anomaly.values().length)];
        int blank = lines.indexOf("");
        // the part mutated: the request line, a header, or an SDP line
        int target = pickTarget(lines, blank);
        String where = target == 0 ? "request line" : target < blank ? name(lines.get(target)) : "SDP " + lines.get(target);
        boolean keepLength = false;
        byte[] raw = null;
        switch (a) {
            case OVERFLOW -> lines.set(target, grow(lines.get(target), 1 << (6 + random.nextInt(11))));
            case FORMAT_STRING -> lines.set(target, replaceValue(lines.get(target), target, pick(FORMAT)));
            case INTEGER_BOUNDARY -> lines.set(target, integers(lines.get(target)));
            case NUL -> raw = inject(lines, target, new byte[] {0}, blank);
            case NON_UTF8 -> raw = inject(lines, target, nonUtf8(), blank);
            case CRLF_WS -> raw = crlfWs(lines, target, blank);
            case MISSING_MANDATORY -> {
                String h = pick(MANDATORY);
                where = "no " + h;
                lines.removeIf(l -> lines.indexOf(l) < blank && name(l).equalsIgnoreCase(h));
            }
            case DUPLICATE_MANDATORY -> {
                String h = pick(MANDATORY);
                where = "two " + h;
                for (int k = 1; k < lines.indexOf(""); k++) {
                    if (name(lines.get(k)).equalsIgnoreCase(h)) {
                        String copy = lines.get(k).replace("fz", "fy");
                        lines.add(k + 1, copy);
                        break;
                    }
                }
            }
            case CONTENT_LENGTH -> {
                keepLength = true;
                String v = pick(new String[] {"-1", "0", "1", "99999", "2147483648", "abc", "", "12 34", "0x20",
                    "-999", "150 ; x"});
                where = "Content-Length: " + v;
                lines.set(lines.indexOf("Content-Length: 0"), "Content-Length: " + v);
            }
            case MULTIPART -> {
                where = "multipart body";
                raw = multipart(lines, id);
            }
            case SDP_ORDER -> {
                where = "m= before c=";
                int m = lines.indexOf("m=audio 40000 RTP/AVP 8 0 101");
                String c = "c=IN IP4 " + host;
                lines.remove(c);
                lines.add(lines.indexOf("m=audio 40000 RTP/AVP 8 0 101") + 1, c);
                if (random.nextBoolean()) {
                    lines.add(m, "m=video 40002 RTP/AVP 31"); // and a second stream before any c=
                }
            }
            case LONG_URI -> {
                String u = "sip:" + "9".repeat(64 << random.nextInt(10)) + "@127.0.0.1" + ";x=" + "y".repeat(random.nextInt(2000));
                where = "long Request-URI";
                lines.set(0, "INVITE " + u + " SIP/2.0");
            }
            case MALFORMED_CONTACT -> {
                String v = pick(new String[] {"<sip:", "<>", "*", "<sip:a@b;expires=->", "\"unclosed <sip:x@y>",
                    "<sip:x@[::1>", "<sip:x@host:99999>", "<tel:>", "<sip:@>", ",,,,", "<sip:x@y>;q=2.5",
                    "<sip:x@y" + ">".repeat(50), "<" + "sip:".repeat(200) + ">", "<sip:x@y?Route=%3Csip:z%3E>"});
                where = "Contact: " + v;
                lines.set(lines.indexOf("Contact: <sip:5550100@" + host + ":" + port + ">"), "Contact: " + v);
            }
            case DELETE_OR_TRUNCATE -> {
                String l = lines.get(target);
                if (random.nextBoolean() && target != 0) {
                    lines.remove(target);
                    where = "deleted " + where;
                } else {
                    lines.set(target, l.substring(0, random.nextInt(Math.max(1, l.length()))));
                    where = "truncated " + where;
                }
            }
        }
        byte[] bytes = raw != null ? raw : assemble(lines, keepLength);
        return new Case(i, a, where, bytes);
    }

    private int pickTarget(List<String> lines, int blank) {
        int r = random.nextInt(10);
        if (r == 0) {
            return 0;
        }
        if (r <= 6) {
            return 1 + random.nextInt(blank - 1);
        }
        return blank + 1 + random.nextInt(lines.size() - blank - 1);
    }

    private String pick(String[] from) {
        return from[random.nextInt(from.length)];
    }

    private static String name(String headerLine) {
        int c = headerLine.indexOf(':');
        return c < 0 ? headerLine : headerLine.substring(0, c).trim();
    }

    private String grow(String line, int size) {
        String filler = pick(new String[] {"A", "9", "%", ";", ",", " ", "<", "\"", "a=b;", "sip:"});
        int at = random.nextInt(line.length() + 1);
        StringBuilder b = new StringBuilder(line.substring(0, at));
        while (b.length() < at + size) {
            b.append(filler);
        }
        return b.append(line.substring(at)).toString();
    }

    private String replaceValue(String line, int target, String value) {
        if (target == 0) {
            String[] p = line.split(" ");
            p[random.nextInt(p.length)] = value;
            return String.join(" ", p);
        }
        int c = line.indexOf(line.contains(":") && !line.startsWith("m=") ? ':' : '=');
        return c < 0 ? value : line.substring(0, c + 1) + " " + value;
    }

    private String integers(String line) {
        // every number in the line, or the first one, becomes a boundary value
        String v = pick(INTEGERS);
        return random.nextBoolean() ? line.replaceAll("\\d+", v) : line.replaceFirst("\\d+", v);
    }

    private byte[] nonUtf8() {
        byte[][] choices = {{(byte) 0xff}, {(byte) 0xc0, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xe2, (byte) 0x82},
            {(byte) 0xfe, (byte) 0xff}, {(byte) 0x80}};
        return choices[random.nextInt(choices.length)];
    }

    private byte[] inject(List<String> lines, int target, byte[] what, int blank) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] body = body(lines, blank);
        for (int k = 0; k < blank; k++) {
            byte[] l = lengthLine(lines.get(k), body.length).getBytes(StandardCharsets.ISO_8859_1);
            if (k == target) {
                int at = random.nextInt(l.length + 1);
                out.write(l, 0, at);
                for (int rep = 1 + random.nextInt(3); rep > 0; rep--) {
                    out.writeBytes(what);
                }
                out.write(l, at, l.length - at);
            } else {
                out.writeBytes(l);
            }
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        out.writeBytes(new byte[] {'\r', '\n'});
        if (target > blank) {
            // in the SDP: the Content-Length above counted the body without the octets added
            int at = random.nextInt(body.length + 1);
            out.write(body, 0, at);
            out.writeBytes(what);
            out.write(body, at, body.length - at);
        } else {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private byte[] crlfWs(List<String> lines, int target, int blank) {
        String[] endings = {"\n", "\r", "\r\r\n", "\n\r", " \r\n", "\t\r\n", "\r\n\r\n", "\r\n \r\n", "\r\n\t"};
        String odd = pick(endings);
        StringBuilder b = new StringBuilder();
        String body = new String(body(lines, blank), StandardCharsets.ISO_8859_1);
        for (int k = 0; k < blank; k++) {
            String l = lengthLine(lines.get(k), body.length());
            if (k == target && random.nextBoolean()) {
                l = l.replace(": ", random.nextBoolean() ? " :\r\n  " : ":" + " ".repeat(random.nextInt(200)));
            }
            b.append(l).append(k == target ? odd : "\r\n");
        }
        int mode = random.nextInt(3);
        b.append(mode == 0 ? "" : mode == 1 ? "\r\n" : "\n");
        b.append(body);
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private byte[] multipart(List<String> lines, String id) {
        String boundary = random.nextBoolean() ? "b-" + id : pick(new String[] {"", "\"", "--", "x".repeat(5000)});
        int blank = lines.indexOf("");
        String sdp = new String(body(lines, blank), StandardCharsets.ISO_8859_1);
        StringBuilder body = new StringBuilder();
        int parts = random.nextInt(4);
        for (int p = 0; p < parts; p++) {
            body.append("--").append(boundary).append("\r\n");
            body.append(random.nextBoolean() ? "Content-Type: application/sdp\r\n\r\n" + sdp
                    : "Content-Type: application/octet-stream\r\n\r\n\u0000\u00ff\u0000binary\r\n");
        }
        if (random.nextBoolean()) {
            body.append("--").append(boundary).append("--\r\n");
        }
        for (int k = 0; k < blank; k++) {
            if (lines.get(k).startsWith("Content-Type:")) {
                lines.set(k, "Content-Type: multipart/" + pick(new String[] {"mixed", "alternative", "related", "x"})
                        + (random.nextInt(4) == 0 ? "" : ";boundary=" + boundary));
            }
        }
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < blank; k++) {
            b.append(lengthLine(lines.get(k), body.length())).append("\r\n");
        }
        return b.append("\r\n").append(body).toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] body(List<String> lines, int blank) {
        StringBuilder b = new StringBuilder();
        for (String l : lines.subList(blank + 1, lines.size())) {
            b.append(l).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String lengthLine(String line, int length) {
        return line.equals("Content-Length: 0") ? "Content-Length: " + length : line;
    }

    private static byte[] assemble(List<String> lines, boolean keepLength) {
        int blank = lines.indexOf("");
        if (blank < 0) {
            blank = lines.size();
        }
        byte[] body = blank < lines.size() ? body(lines, blank) : new byte[0];
        StringBuilder b = new StringBuilder();
        for (String l : lines.subList(0, blank)) {
            b.append(keepLength ? l : lengthLine(l, body.length)).append("\r\n");
        }
        b.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(b.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        return out.toByteArray();
    }
}
