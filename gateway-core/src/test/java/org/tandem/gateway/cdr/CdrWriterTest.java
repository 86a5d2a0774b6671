package org.tandem.gateway.cdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.gateway.ops.CallDirection;

class CdrWriterTest {
    @TempDir
    Path dir;

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        volatile Instant now;

        TestClock(String iso) {
            now = Instant.parse(iso);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static CallRecord record(String id, long start, long answer, long end) {
        return new CallRecord(id, CallDirection.SIP_TO_PSTN, start, answer, end, "1000", "1004",
                "1000", "01004", 1, 3, id + "@10.0.0.1", "10.0.0.1:5060", 16, 200,
                answer == 0 ? Disposition.CANCELLED : Disposition.ANSWERED, "sip", 100, 99, 1,
                1500);
    }

    static void awaitWritten(CdrWriter w, long n) throws InterruptedException {
        for (int i = 0; i < 1000 && w.written() + w.failed() < n; i++) {
            Thread.sleep(10);
        }
        assertEquals(n, w.written(), "records written");
    }

    @Test
    void shouldWriteHeaderThenOneLinePerRecordFlushedBeforeClose() throws Exception {
        TestClock clock = new TestClock("2025-03-01T10:00:00Z");
        CdrWriter w = new CdrWriter(dir, clock);
        w.start();
        long t = clock.now.toEpochMilli();
        assertTrue(w.submit(record("c1", t, t + 1500, t + 62_001)));
        assertTrue(w.submit(record("c2", t, 0, t + 4000)));
        awaitWritten(w, 2);
        // Visible on disk before close: each record is forced when written.
        List<String> lines = Files.readAllLines(dir.resolve("cdr-2025-03-01.csv"));
        assertEquals(3, lines.size());
        assertEquals(CdrCsv.HEADER, lines.get(0));
        assertEquals("c1,sip->pstn,2025-03-01T10:00:00.000Z,2025-03-01T10:00:01.500Z,"
                + "2025-03-01T10:01:02.001Z,63,61,1000,1004,1000,01004,1,3,c1@10.0.0.1,"
                + "10.0.0.1:5060,16,200,ANSWERED,sip,100,99,1,1500,", lines.get(1)); // user: none
        assertTrue(lines.get(2).startsWith("c2,sip->pstn,2025-03-01T10:00:00.000Z,,"), lines.get(2));
        assertTrue(lines.get(2).contains(",4,0,"), "duration 4 s, billable 0: " + lines.get(2));
        w.close();
        String raw = Files.readString(dir.resolve("cdr-2025-03-01.csv"));
        assertTrue(raw.endsWith("\r\n"), "RFC 4180 CRLF line ends");
    }

    @Test
    void shouldRollOverToANewFileWhenTheUtcDayChanges() throws Exception {
        TestClock clock = new TestClock("2025-03-01T23:59:59.900Z");
        CdrWriter w = new CdrWriter(dir, clock);
        w.start();
        long t = clock.now.toEpochMilli();
        w.submit(record("before", t - 5000, 0, t));
        awaitWritten(w, 1);
        clock.now = Instant.parse("2025-03-02T00:00:00.100Z");
        w.submit(record("after", t - 5000, 0, clock.now.toEpochMilli()));
        awaitWritten(w, 2);
        w.close();
        List<String> day1 = Files.readAllLines(dir.resolve("cdr-2025-03-01.csv"));
        List<String> day2 = Files.readAllLines(dir.resolve("cdr-2025-03-02.csv"));
        assertEquals(2, day1.size());
        assertTrue(day1.get(1).startsWith("before,"));
        assertEquals(CdrCsv.HEADER, day2.get(0), "each day's file starts with the header");
        assertTrue(day2.get(1).startsWith("after,"));
    }

    @Test
    void shouldAppendToTodaysFileAfterARestartWithoutASecondHeader() throws Exception {
        TestClock clock = new TestClock("2025-03-01T10:00:00Z");
        long t = clock.now.toEpochMilli();
        for (String id : new String[] {"first", "second"}) {
            CdrWriter w = new CdrWriter(dir, clock);
            w.start();
            w.submit(record(id, t, 0, t));
            awaitWritten(w, 1);
            w.close();
        }
        List<String> lines = Files.readAllLines(dir.resolve("cdr-2025-03-01.csv"));
        assertEquals(List.of(CdrCsv.HEADER), lines.subList(0, 1));
        assertEquals(3, lines.size());
        assertTrue(lines.get(2).startsWith("second,"));
    }

    @Test
    void shouldRepairARecordCutShortByACrashAndKeepItsBytesAside() throws Exception {
        TestClock clock = new TestClock("2025-03-01T10:00:00Z");
        long t = clock.now.toEpochMilli();
        Path file = dir.resolve("cdr-2025-03-01.csv");
        String whole = CdrCsv.line(record("whole", t, 0, t));
        String cut = CdrCsv.line(record("cut", t, 0, t)).substring(0, 25);
        Files.writeString(file, CdrCsv.HEADER + "\r\n" + whole + cut, StandardCharsets.UTF_8);

        CdrWriter w = new CdrWriter(dir, clock);
        w.start();
        w.submit(record("next", t, 0, t));
        awaitWritten(w, 1);
        w.close();

        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size(), "header, whole, next: " + lines);
        assertTrue(lines.get(1).startsWith("whole,"));
        assertTrue(lines.get(2).startsWith("next,"), "new record on a line of its own");
        assertEquals(cut + "\n", Files.readString(dir.resolve("cdr-2025-03-01.csv.partial")));
    }

    @Test
    void shouldLeaveACompleteFileUntouched() throws IOException {
        Path file = dir.resolve("cdr-2025-03-01.csv");
        Files.writeString(file, CdrCsv.HEADER + "\r\n");
        assertEquals(0, CdrWriter.repair(file));
        assertFalse(Files.exists(dir.resolve("cdr-2025-03-01.csv.partial")));
    }

    @Test
    void shouldWriteABurstOfRecordsInBatchesCompleteAndInOrder() throws Exception {
        // More records than one batch, queued faster than one fsync: they go in several batches
        // (one write and one fsync each), every one a complete line, in the order submitted.
        TestClock clock = new TestClock("2025-03-01T10:00:00Z");
        CdrWriter w = new CdrWriter(dir, clock);
        w.start();
        long t = clock.now.toEpochMilli();
        int n = CdrWriter.MAX_BATCH * 3 + 17;
        for (int i = 0; i < n; i++) {
            assertTrue(w.submit(record("b" + i, t, t + 1000, t + 2000)));
        }
        awaitWritten(w, n);
        List<String> lines = Files.readAllLines(dir.resolve("cdr-2025-03-01.csv"));
        assertEquals(n + 1, lines.size());
        assertEquals(CdrCsv.HEADER, lines.get(0));
        for (int i = 0; i < n; i++) {
            assertEquals(CdrCsv.line(record("b" + i, t, t + 1000, t + 2000)).trim(), lines.get(i + 1));
        }
        w.close();
        assertEquals(0, w.failed());
    }

    @Test
    void shouldWriteEverythingQueuedBeforeCloseReturns() throws Exception {
        TestClock clock = new TestClock("2025-03-01T10:00:00Z");
        CdrWriter w = new CdrWriter(dir, clock);
        w.start();
        long t = clock.now.toEpochMilli();
        for (int i = 0; i < 500; i++) {
            assertTrue(w.submit(record("q" + i, t, 0, t + 10)));
        }
        w.close();
        assertEquals(500, w.written());
        assertEquals(501, Files.readAllLines(dir.resolve("cdr-2025-03-01.csv")).size());
    }

    @Test
    void shouldRefuseRecordsAfterCloseAndCountThem() throws Exception {
        CdrWriter w = new CdrWriter(dir, new TestClock("2025-03-01T10:00:00Z"));
        w.start();
        w.close();
        assertFalse(w.submit(record("late", 0, 0, 0)));
        assertEquals(1, w.failed());
    }
}
