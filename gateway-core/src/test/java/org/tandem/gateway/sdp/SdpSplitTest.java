package org.tandem.gateway.sdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written splits give exactly what the regexes they replace gave. */
class SdpSplitTest {
    private static final Pattern LINES = Pattern.compile("\r?\n");
    private static final Pattern SPACES = Pattern.compile(" +");

    private static final List<String> CASES = List.of("", " ", "  ", "\n", "\r\n", "\r", "\n\n", "a", "a b",
            " a", "a ", "  a  b  ", "a  b   c", "v=0\r\no=- 1 2 IN IP4 10.0.0.1\r\ns=-\r\n",
            "v=0\no=x\n\nm=audio 4000 RTP/AVP 0 8\n", "\r\r\n\r", "a\n\r\nb", "rtpmap:0 PCMU/8000",
            "101 0-15", "0", "IN IP4 10.0.0.1", "IN  IP4 10.0.0.1 ", "a\r\n", "\na", "\r\na\r\n\r\n");

    @Test
    void linesAreTheRegexLines() {
        for (String s : CASES) {
            assertArrayEquals(LINES.split(s), SdpSplit.lines(s), () -> "lines of " + s.replace("\r", "\\r")
                    .replace("\n", "\\n"));
        }
    }

    @Test
    void fieldsAreTheRegexFieldsWithLimitZeroAndTwo() {
        for (String s : CASES) {
            assertArrayEquals(SPACES.split(s), SdpSplit.fields(s, 0), () -> "fields of '" + s + "'");
            assertArrayEquals(SPACES.split(s, 2), SdpSplit.fields(s, 2), () -> "2 fields of '" + s + "'");
        }
    }

    @Test
    void randomTextSplitsAsTheRegexDoes() {
        Random random = new Random(14);
        char[] alphabet = {'a', 'b', ' ', ' ', '\r', '\n', '='};
        for (int i = 0; i < 20_000; i++) {
            char[] c = new char[random.nextInt(12)];
            for (int j = 0; j < c.length; j++) {
                c[j] = alphabet[random.nextInt(alphabet.length)];
            }
            String s = new String(c);
            assertArrayEquals(LINES.split(s), SdpSplit.lines(s), s);
            assertArrayEquals(SPACES.split(s), SdpSplit.fields(s, 0), s);
            assertArrayEquals(SPACES.split(s, 2), SdpSplit.fields(s, 2), s);
        }
    }
}
