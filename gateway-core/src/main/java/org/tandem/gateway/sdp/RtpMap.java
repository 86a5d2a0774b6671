package org.tandem.gateway.sdp;

import java.util.Locale;

/** An {@code a=rtpmap:<pt> <encoding>/<clock>[/<channels>]} entry (RFC 4566 section 6). */
public record RtpMap(int payloadType, String encoding, int clockRate, int channels) {
    /** The RFC 3551 static assignments the gateway understands without an rtpmap line. */
    static RtpMap staticFor(int pt) {
        return switch (pt) {
            case 0 -> new RtpMap(0, "PCMU", 8000, 1);
            case 8 -> new RtpMap(8, "PCMA", 8000, 1);
            case 9 -> new RtpMap(9, "G722", 8000, 1);
            case 18 -> new RtpMap(18, "G729", 8000, 1);
            default -> null;
        };
    }

    public boolean is(String name, int clock) {
        return encoding.equalsIgnoreCase(name) && clockRate == clock;
    }

    String attributeValue() {
        return payloadType + " " + encoding + "/" + clockRate + (channels > 1 ? "/" + channels : "");
    }

    @Override
    public String toString() {
        return attributeValue().toUpperCase(Locale.ROOT);
    }
}
