package org.tandem.gateway.sdp;

import java.util.ArrayList;

/**
 * The two splits the SDP parser needs, {@code Pattern.compile("\r?\n").split(text)} and
 * {@code Pattern.compile(" +").split(value, limit)}, without the regex engine: every INVITE's and
 * every answer's SDP is split into lines and fields, and the regex matcher was half of the parse
 * (docs/BENCHMARKS.md "Per-call cuts"). Same results as {@code Pattern.split}, which
 * {@code SdpSplitTest} checks input by input: a separator at the start gives a leading empty
 * string, with limit 0 trailing empty strings are dropped, with limit 2 the second part is the
 * rest after the first run of spaces, and text without a separator is returned whole.
 */
final class SdpSplit {
    private SdpSplit() {
    }

    /** Lines of {@code text}, split at LF or CRLF ({@code "\r?\n"}, limit 0). */
    static String[] lines(String text) {
        ArrayList<String> out = new ArrayList<>(16);
        int index = 0;
        int from = 0;
        boolean matched = false;
        while (true) {
            int lf = text.indexOf('\n', from);
            if (lf < 0) {
                break;
            }
            int start = lf > index && text.charAt(lf - 1) == '\r' ? lf - 1 : lf;
            out.add(text.substring(index, start));
            index = lf + 1;
            from = index;
            matched = true;
        }
        return finish(text, out, index, matched, 0);
    }

    /** Fields of {@code value} between runs of spaces ({@code " +"}); {@code limit} 0 or 2. */
    static String[] fields(String value, int limit) {
        if (limit != 0 && limit != 2) {
            throw new IllegalArgumentException("limit 0 or 2, not " + limit);
        }
        ArrayList<String> out = new ArrayList<>(8);
        int index = 0;
        int from = 0;
        boolean matched = false;
        int n = value.length();
        while (true) {
            int sp = value.indexOf(' ', from);
            if (sp < 0) {
                break;
            }
            int end = sp + 1;
            while (end < n && value.charAt(end) == ' ') {
                end++;
            }
            matched = true;
            if (limit == 2 && out.size() == 1) {
                break; // the rest, from index, is the second part
            }
            out.add(value.substring(index, sp));
            index = end;
            from = end;
        }
        return finish(value, out, index, matched, limit);
    }

    private static String[] finish(String input, ArrayList<String> out, int index, boolean matched, int limit) {
        if (!matched) {
            return new String[] {input};
        }
        out.add(input.substring(index));
        int size = out.size();
        if (limit == 0) {
            while (size > 0 && out.get(size - 1).isEmpty()) {
                size--;
            }
        }
        return out.subList(0, size).toArray(new String[0]);
    }
}
