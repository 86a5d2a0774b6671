package org.tandem.gateway.ops;

/**
 * A span, or one B-channel of it, as the console names it: {@code 1} or {@code 1/5}.
 *
 * @param span span number
 * @param chanpos channel position, or 0 for the whole span
 */
public record ChannelRef(int span, int chanpos) {

    public boolean wholeSpan() {
        return chanpos == 0;
    }

    /** Parses {@code SPAN} or {@code SPAN/CHANNEL}. */
    public static ChannelRef parse(String text) {
        int slash = text.indexOf('/');
        try {
            if (slash < 0) {
                return new ChannelRef(positive(text), 0);
            }
            return new ChannelRef(positive(text.substring(0, slash)),
                    positive(text.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text
                    + "' is not SPAN or SPAN/CHANNEL (e.g. 1 or 1/5)");
        }
    }

    private static int positive(String s) {
        int v = Integer.parseInt(s.trim());
        if (v < 1) {
            throw new NumberFormatException(s);
        }
        return v;
    }

    @Override
    public String toString() {
        return wholeSpan() ? Integer.toString(span) : span + "/" + chanpos;
    }
}
