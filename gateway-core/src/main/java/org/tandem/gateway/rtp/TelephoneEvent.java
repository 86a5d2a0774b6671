package org.tandem.gateway.rtp;

import java.nio.ByteBuffer;

/**
 * RFC 4733 section 2.3 telephone-event payload, read and written in place.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     event     |E|R| volume    |          duration             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Events 0-9 are the digits, 10 '*', 11 '#', 12-15 'A'-'D' (RFC 4733 section 3.2). Volume is
 * the power level in -dBm0 (0..63); duration is in timestamp units from the event's start.
 */
public final class TelephoneEvent {
    public static final int LENGTH = 4;
    /** Duration field saturates here; a longer event is split (RFC 4733 section 2.5.1.3). */
    public static final int MAX_DURATION = 0xFFFF;

    private static final String DIGITS = "0123456789*#ABCD";

    private TelephoneEvent() {
    }

    public static int event(ByteBuffer buffer, int index) {
        return buffer.get(index) & 0xFF;
    }

    public static boolean end(ByteBuffer buffer, int index) {
        return (buffer.get(index + 1) & 0x80) != 0;
    }

    public static int volume(ByteBuffer buffer, int index) {
        return buffer.get(index + 1) & 0x3F;
    }

    public static int duration(ByteBuffer buffer, int index) {
        return buffer.getShort(index + 2) & 0xFFFF;
    }

    /** Writes one event block and returns {@link #LENGTH}. */
    public static int write(ByteBuffer buffer, int index, int event, boolean end, int volume, int duration) {
        buffer.put(index, (byte) event);
        buffer.put(index + 1, (byte) ((end ? 0x80 : 0) | (volume & 0x3F)));
        buffer.putShort(index + 2, (short) Math.min(duration, MAX_DURATION));
        return LENGTH;
    }

    /** Event code for a DTMF digit character, or -1 if it is not one. */
    public static int eventOfDigit(char digit) {
        return DIGITS.indexOf(Character.toUpperCase(digit));
    }

    /** DTMF digit character of an event code 0..15, or '?' for anything else. */
    public static char digitOfEvent(int event) {
        return event >= 0 && event < DIGITS.length() ? DIGITS.charAt(event) : '?';
    }
}
