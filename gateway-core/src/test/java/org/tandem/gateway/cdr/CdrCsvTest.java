package org.tandem.gateway.cdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tandem.gateway.ops.CallDirection;

class CdrCsvTest {

    private static String field(String v) {
        return CdrCsv.field(new StringBuilder(), v).toString();
    }

    @Test
    void shouldLeavePlainFieldsUnquoted() {
        assertEquals("+4930123456", field("+4930123456"));
        assertEquals("", field(""));
    }

    @Test
    void shouldQuoteCommasAndDoubleInnerQuotesPerRfc4180() {
        assertEquals("\"a,b\"", field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", field("say \"hi\""));
    }

    @Test
    void shouldNeverLetAFieldBreakTheLine() {
        assertEquals("a b", field("a\r\nb".replace("\r\n", "\n")));
        assertEquals("\"x, y z\"", field("x, y\rz"));
    }

    @Test
    void shouldRoundBothUpSoBillableNeverExceedsDuration() {
        CallRecord r = new CallRecord("c", CallDirection.PSTN_TO_SIP, 1000, 2000, 3001, "", "", "",
                "", 0, 0, "", "", 16, 200, Disposition.ANSWERED, "pstn", 0, 0, 0, 0);
        assertEquals(3, r.durationSeconds(), "2.001 s from start is 3 started seconds");
        assertEquals(2, r.billableSeconds(), "1.001 s answered is billed as 2 s");
        // answered 40 ms after the start, 5.01 s of talk: rounding duration down gave 5 < billable 6
        CallRecord quick = new CallRecord("c", CallDirection.PSTN_TO_SIP, 1000, 1040, 6050, "", "",
                "", "", 0, 0, "", "", 16, 200, Disposition.ANSWERED, "pstn", 0, 0, 0, 0);
        assertEquals(6, quick.billableSeconds());
        assertEquals(6, quick.durationSeconds());
        assertTrue(quick.billableSeconds() <= quick.durationSeconds());
    }

    @Test
    void shouldRejectTimesOutOfOrder() {
        assertThrows(IllegalArgumentException.class, () -> new CallRecord("c",
                CallDirection.PSTN_TO_SIP, 2000, 1000, 3000, "", "", "", "", 0, 0, "", "", 16, 200,
                Disposition.ANSWERED, "pstn", 0, 0, 0, 0));
    }

    @Test
    void shouldMapUnansweredCausesToDispositions() {
        assertEquals(Disposition.BUSY, Disposition.fromUnansweredCause(17));
        assertEquals(Disposition.NO_ANSWER, Disposition.fromUnansweredCause(19));
        assertEquals(Disposition.UNROUTABLE, Disposition.fromUnansweredCause(1));
        assertEquals(Disposition.CONGESTION, Disposition.fromUnansweredCause(34));
        assertEquals(Disposition.FAILED, Disposition.fromUnansweredCause(38));
    }

    @Test
    void shouldAppendTheRegisteredUserAsTheLastColumnSoEarlierColumnsKeepTheirPositions() {
        CallRecord r = new CallRecord("c7", CallDirection.PSTN_TO_SIP, 1000, 2000, 3000, "5550100", "1001", "5550100",
                "1001", 1, 1, "abc@gw", "127.0.0.1:5071", 16, 200, Disposition.ANSWERED, "sip", 1, 2, 0, 0,
                "alice");
        String[] header = CdrCsv.HEADER.split(",");
        String[] fields = CdrCsv.line(r).trim().split(",", -1);
        assertEquals(24, header.length);
        assertEquals("rtp_max_jitter_us", header[22], "the columns before it did not move");
        assertEquals("user", header[23]);
        assertEquals("alice", fields[23]);
        CallRecord none = new CallRecord("c8", CallDirection.SIP_TO_PSTN, 1000, 0, 3000, "", "", "", "", 0, 0, "",
                "", 17, 486, Disposition.BUSY, "pstn", 0, 0, 0, 0);
        assertTrue(CdrCsv.line(none).endsWith(",0,\r\n"), "empty user for a call to no user");
    }
}
