package org.tandem.gateway.cdr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link CallRecord}s as CSV lines to daily files {@code cdr-YYYY-MM-DD.csv} (UTC date of
 * the moment of writing) under one directory, on its own thread.
 *
 * <p>Call control calls {@link #submit}, which only queues (never touches the disk, never
 * blocks). The writer thread takes a record and those that come until {@value #GATHER_MS} ms after
 * its previous write ended (a record after a quiet spell goes at once; at most {@value #MAX_BATCH}), turns each into one complete line and writes them with one
 * {@code write()} on a file opened for append, then {@code force}s the file to disk before taking
 * the next batch: a record counted {@link #written} survives a crash of the process or the
 * machine, and a crash can only lose the records queued or being written at that instant (at
 * most the last {@value #GATHER_MS} ms of them, plus any backlog) and cut short the last line
 * (docs/OPERATIONS.md "CDRs").
 *
 * <p>Such a cut-short line is repaired when a file is opened (at start-up, or when the day rolls
 * over to an existing file): the file must end with a line end; if it does not, the bytes after
 * the last line end are moved to {@code <file>.partial} (appended, for inspection) and removed
 * from the CSV, and a warning names the file and byte count. A new file starts with the header.
 *
 * <p>If the disk fails, the record's CSV line is logged at ERROR (so it is not lost) and the next
 * record tries again with a freshly opened file.
 */
public final class CdrWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CdrWriter.class);
    /** Queue bound: some minutes of a large gateway's call rate; beyond it records are logged. */
    private static final int QUEUE_CAPACITY = 100_000;
    /** Most records written with one write() and one fsync (about 50 KB of CSV). */
    static final int MAX_BATCH = 256;
    /**
     * Least time between two writes' ends: at most 50 fsyncs a second however many calls end; a
     * record is on disk at most this much later than without batching, and no later when the
     * writer has been idle that long.
     */
    static final long GATHER_MS = 20;
    private static final CallRecord STOP = new CallRecord("", org.tandem.gateway.ops.CallDirection
            .SIP_TO_PSTN, 0, 0, 0, "", "", "", "", 0, 0, "", "", 0, 0, Disposition.FAILED, "", 0,
            0, 0, 0);

    private final Path dir;
    private final Clock clock;
    private final BlockingQueue<CallRecord> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread thread;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean closed;

    // Writer-thread state.
    private FileChannel channel;
    private LocalDate channelDate;
    private final java.util.ArrayList<CallRecord> batch = new java.util.ArrayList<>(MAX_BATCH);
    /** Writer thread: when the last write ended (System.nanoTime); long ago at start. */
    private long lastWriteNs = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);
    private final StringBuilder lines = new StringBuilder(MAX_BATCH * 256);

    /**
     * Creates the directory if needed and checks it is writable, so a bad {@code [cdr] dir} is
     * reported at start-up rather than at the first call.
     *
     * @param dir the {@code [cdr] dir} directory
     * @param clock chooses the daily file (UTC); tests pass a clock they advance
     * @throws IOException when the directory cannot be created or written
     */
    public CdrWriter(Path dir, Clock clock) throws IOException {
        this.dir = dir;
        this.clock = clock;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("CDR directory " + dir + " cannot be created: " + e, e);
        }
        if (!Files.isWritable(dir)) {
            throw new IOException("CDR directory " + dir + " is not writable by this user");
        }
        this.thread = new Thread(this::run, "cdr-writer");
    }

    /** Starts the writer thread; repairs today's file, if any, at once. */
    public void start() {
        thread.start();
    }

    /**
     * Queues a record for writing; never blocks. Returns false (and logs the record's CSV line at
     * ERROR, so it is not lost) when the writer is closed or the queue is full.
     */
    public boolean submit(CallRecord record) {
        submitted.incrementAndGet();
        if (closed || !queue.offer(record)) {
            failed.incrementAndGet();
            LOG.error("CDR not queued ({}), record follows: {}", closed ? "writer closed"
                    : "queue full", CdrCsv.line(record).trim());
            return false;
        }
        return true;
    }

    /** Records submitted so far (written, failed, or still queued or being written). */
    public long submitted() {
        return submitted.get();
    }

    /** Records submitted but neither written nor failed yet: queued, or in the write under way. */
    public long pending() {
        return submitted.get() - written.get() - failed.get();
    }

    /** Records written and forced to disk so far. */
    public long written() {
        return written.get();
    }

    /** Records that could not be queued or written (each was logged at ERROR). */
    public long failed() {
        return failed.get();
    }

    /** The file records written now would go to. */
    public Path currentFile() {
        return fileFor(LocalDate.now(clock.withZone(ZoneOffset.UTC)));
    }

    Path fileFor(LocalDate date) {
        return dir.resolve("cdr-" + date + ".csv");
    }

    /**
     * Writes everything queued, then stops the thread and closes the file. Waits at most
     * {@code timeoutMillis} for the queue to drain.
     */
    public void close(long timeoutMillis) throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        if (thread.isAlive()) {
            while (!queue.offer(STOP, 100, TimeUnit.MILLISECONDS)) {
                if (!thread.isAlive()) {
                    break;
                }
            }
            LockSupport.unpark(thread); // a gather asleep (see gather) ends now, with STOP
            thread.join(timeoutMillis);
            if (thread.isAlive()) {
                LOG.error("CDR writer did not drain {} queued records within {} ms", queue.size(),
                        timeoutMillis);
            }
        } else {
            closeChannel();
        }
    }

    @Override
    public void close() throws InterruptedException {
        close(10_000);
    }

    private void run() {
        try {
            openFor(LocalDate.now(clock.withZone(ZoneOffset.UTC)));
        } catch (IOException e) {
            LOG.error("CDR file {} cannot be opened: {}", currentFile(), e.toString());
        }
        try {
            boolean stop = false;
            while (!stop) {
                gather(queue.take());
                stop = batch.remove(STOP);
                if (!batch.isEmpty()) {
                    write(batch);
                    lastWriteNs = System.nanoTime();
                }
                batch.clear();
            }
            // A submit racing close() may have queued its record behind STOP: written too.
            while (queue.drainTo(batch, MAX_BATCH) > 0) {
                write(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.error("CDR writer interrupted with {} records queued; they are logged now",
                    queue.size());
            for (CallRecord r = queue.poll(); r != null; r = queue.poll()) {
                if (r != STOP) {
                    failed.incrementAndGet();
                    LOG.error("CDR not written, record follows: {}", CdrCsv.line(r).trim());
                }
            }
        } finally {
            closeChannel();
        }
    }

    /**
     * The batch: {@code first} and what else comes until {@link #GATHER_MS} after the previous
     * write ended (at once when that is past: a lone record is not held back) (at most
     * {@link #MAX_BATCH}; STOP ends it at once). An fsync costs about as much CPU for one record as
     * for a hundred, and at a few hundred calls a second the records would otherwise each get one.
     */
    private void gather(CallRecord first) throws InterruptedException {
        batch.add(first);
        if (first == STOP) {
            return;
        }
        // Counted from the end of the previous write: a record after a quiet spell is written at
        // once (what is queued goes with it); under load the writes are GATHER_MS apart.
        long deadline = lastWriteNs + TimeUnit.MILLISECONDS.toNanos(GATHER_MS);
        while (batch.size() < MAX_BATCH) {
            int before = batch.size();
            queue.drainTo(batch, MAX_BATCH - batch.size());
            if (batch.subList(before, batch.size()).contains(STOP) || batch.size() >= MAX_BATCH) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            // Sleep out the window instead of waiting on the queue: a poll() waiting on it is woken
            // by every submit (a futex wake on call control's thread and a wake-up of this one per
            // record: two per call); asleep, a submit only queues, and the records of the window
            // are drained at its end. close() wakes this thread after queuing STOP.
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) {
                throw new InterruptedException("CDR writer interrupted while gathering");
            }
        }
    }

    /** The records as one write() and one fsync; on failure each record is logged at ERROR. */
    private void write(java.util.List<CallRecord> records) {
        lines.setLength(0);
        for (CallRecord r : records) {
            lines.append(CdrCsv.line(r));
        }
        try {
            LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
            if (channel == null || !today.equals(channelDate)) {
                openFor(today);
            }
            writeFully(ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8)));
            channel.force(false);
            written.addAndGet(records.size());
        } catch (IOException e) {
            failed.addAndGet(records.size());
            Path file = fileFor(channelDate == null ? LocalDate.now(clock.withZone(ZoneOffset.UTC)) : channelDate);
            for (CallRecord r : records) {
                LOG.error("CDR not written to {}: {}; record follows: {}", file, e.toString(),
                        CdrCsv.line(r).trim());
            }
            closeChannel();
        }
    }

    /** One write() for a regular file; the loop only guards against a short write. */
    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    private void openFor(LocalDate date) throws IOException {
        closeChannel();
        Path file = fileFor(date);
        boolean existed = Files.exists(file);
        if (existed) {
            repair(file);
        }
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        channelDate = date;
        if (channel.size() == 0) {
            writeFully(ByteBuffer.wrap((CdrCsv.HEADER + CdrCsv.EOL)
                    .getBytes(StandardCharsets.US_ASCII)));
            channel.force(true);
            if (!existed) {
                syncDirectory();
            }
        }
        LOG.info("CDRs go to {}", file);
    }

    /**
     * Cuts a trailing partial line (from a crash during a write) off {@code file}, keeping it in
     * {@code file.partial}. Returns the number of bytes removed.
     */
    static long repair(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size == 0) {
                return 0;
            }
            long keep = lengthThroughLastNewline(ch, size);
            if (keep == size) {
                return 0;
            }
            ByteBuffer tail = ByteBuffer.allocate((int) (size - keep));
            ch.read(tail, keep);
            tail.flip();
            Path aside = file.resolveSibling(file.getFileName() + ".partial");
            try (FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                while (tail.hasRemaining()) {
                    out.write(tail);
                }
                out.write(ByteBuffer.wrap("\n".getBytes(StandardCharsets.US_ASCII)));
                out.force(true);
            }
            ch.truncate(keep);
            ch.force(true);
            LOG.warn("CDR file {} ended with a partial record ({} bytes, from a crash during a"
                    + " write); removed it and kept the bytes in {}", file, size - keep, aside);
            return size - keep;
        }
    }

    private static long lengthThroughLastNewline(FileChannel ch, long size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        long end = size;
        while (end > 0) {
            long start = Math.max(0, end - buf.capacity());
            buf.clear().limit((int) (end - start));
            while (buf.hasRemaining()) {
                if (ch.read(buf, start + buf.position()) < 0) {
                    throw new IOException("file shrank while being read");
                }
            }
            for (int i = (int) (end - start) - 1; i >= 0; i--) {
                if (buf.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return 0;
    }

    /** Makes a new file's directory entry durable (fsync of the directory, as on Linux). */
    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("fsync of directory {} not supported: {}", dir, e.toString());
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("closing CDR file {}: {}", fileFor(channelDate), e.toString());
            }
            channel = null;
        }
    }
}
