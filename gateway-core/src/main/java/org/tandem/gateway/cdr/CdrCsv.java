package org.tandem.gateway.cdr;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * CSV form of a {@link CallRecord}: RFC 4180 (comma separated, CRLF line ends, a field that holds
 * a comma or a double quote is enclosed in double quotes with inner quotes doubled). CR and LF
 * inside a field (which no number or Call-ID legally holds) are written as spaces, so that one
 * record is always exactly one line: that is what lets {@link CdrWriter} recognise a record cut
 * short by a crash. The column order is {@link #HEADER}; new columns are only ever appended.
 */
public final class CdrCsv {
    /** Header line without its line end. */
    public static final String HEADER = String.join(",", "call_id", "direction", "start_utc",
            "answer_utc", "end_utc", "duration_s", "billable_s", "calling_in", "called_in",
            "calling_out", "called_out", "span", "channel", "sip_call_id", "sip_peer",
            "q850_cause", "sip_status", "disposition", "released_by", "rtp_sent", "rtp_received",
            "rtp_lost", "rtp_max_jitter_us", "user");

    static final String EOL = "\r\n";

    private static final DateTimeFormatter UTC_MS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private CdrCsv() {
    }

    /** The record as one complete CSV line, line end included. */
    public static String line(CallRecord r) {
        StringBuilder b = new StringBuilder(256);
        field(b, r.callId()).append(',');
        b.append(r.direction().label()).append(',');
        b.append(time(r.startMillis())).append(',');
        b.append(r.answered() ? time(r.answerMillis()) : "").append(',');
        b.append(time(r.endMillis())).append(',');
        b.append(r.durationSeconds()).append(',');
        b.append(r.billableSeconds()).append(',');
        field(b, r.callingIn()).append(',');
        field(b, r.calledIn()).append(',');
        field(b, r.callingOut()).append(',');
        field(b, r.calledOut()).append(',');
        b.append(r.span()).append(',');
        b.append(r.channel()).append(',');
        field(b, r.sipCallId()).append(',');
        field(b, r.sipPeer()).append(',');
        b.append(r.q850Cause()).append(',');
        b.append(r.sipStatus()).append(',');
        b.append(r.disposition().name()).append(',');
        field(b, r.releasedBy()).append(',');
        b.append(r.rtpPacketsSent()).append(',');
        b.append(r.rtpPacketsReceived()).append(',');
        b.append(r.rtpPacketsLost()).append(',');
        b.append(r.rtpMaxJitterMicros()).append(',');
        field(b, r.user());
        return b.append(EOL).toString();
    }

    /** Epoch milliseconds as {@code 2025-01-31T23:59:59.123Z}. */
    public static String time(long epochMillis) {
        return UTC_MS.format(Instant.ofEpochMilli(epochMillis));
    }

    /** Appends one field, quoted when RFC 4180 section 2 rule 6 requires it. */
    static StringBuilder field(StringBuilder b, String value) {
        boolean quote = false;
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"';
        }
        if (quote) {
            b.append('"');
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                b.append('"');
            }
            b.append(c == '\r' || c == '\n' ? ' ' : c);
        }
        return quote ? b.append('"') : b;
    }
}
