package org.tandem.tdm.sim;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.tandem.jna.libc.LibC;
import org.tandem.jna.libc.Posix;
import org.tandem.tdm.SpanAlarms;
import org.tandem.tdm.SpanType;
import org.tandem.tdm.TdmBackend;
import org.tandem.tdm.TdmException;
import org.tandem.tdm.TdmLaw;
import org.tandem.tdm.TdmSpan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A software E1/T1 card. Whoever starts the {@code sim} backend creates one, hands
 * {@link #backend()} to the gateway, and keeps the card for the far side: the D-channel far end
 * ({@link #farDChannelFd}), the B-channels' far end ({@link #attachFarEnd}), faults and counters.
 *
 * <p><b>Threads.</b> One clock thread ("sim-card-clock") owns every card-side descriptor and
 * ticks every {@link SimCardConfig#periodNs()}: for every B-channel it takes the block the
 * gateway wrote, calls the span's {@link SimFarEnd}, and delivers one block to the gateway. The
 * D-channel is one socketpair whose ends belong to the two libpri instances ({@link SimDChannel}). Structural changes (open/close) are commands run on
 * that thread; fault injection and counters are safe from any thread.
 */
public final class SimulatedCard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedCard.class);
    private static final long COMMAND_TIMEOUT_MS = 5_000;

    private final SimCardConfig config;
    private final Posix posix;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    /** Written under this card's monitor; read from any thread (a far end may look up spans on the clock thread). */
    private final Map<Integer, SimSpan> spans = new ConcurrentSkipListMap<>();
    private final SimBackend backend = new SimBackend(this);
    private final Thread clockThread;
    private volatile SimSpan[] ticking = new SimSpan[0];
    private volatile boolean running = true;
    private int nextChanno = 1;

    private volatile long periods;
    private volatile long slips;
    private volatile long catchUpTicks;

    /** Starts a card with default settings (20 ms, 160-byte blocks) on the real C library. */
    public SimulatedCard() {
        this(SimCardConfig.defaults(), Posix.system());
    }

    public SimulatedCard(SimCardConfig config) {
        this(config, Posix.system());
    }

    /** Starts the clock thread at once. */
    public SimulatedCard(SimCardConfig config, Posix posix) {
        this.config = config;
        this.posix = posix;
        this.clockThread = new Thread(this::runClock, "sim-card-clock");
        this.clockThread.setDaemon(true);
        this.clockThread.start();
        LOG.info("simulated card started: {} ms period, {}-byte blocks, rx queue {} blocks",
            config.periodNs() / 1_000_000.0, config.blockSize(), config.rxQueueBlocks());
    }

    /** The {@code sim} {@link TdmBackend} over this card. */
    public TdmBackend backend() {
        return backend;
    }

    public SimCardConfig config() {
        return config;
    }

    Posix posix() {
        return posix;
    }

    // ------------------------------------------------------------------ spans

    /**
     * Creates the span or returns the open one with the same layout. B-channel numbers (channo)
     * are given in creation order, like DAHDI numbers channels in span registration order.
     *
     * @throws TdmException if the layout is invalid or differs from the open span's
     */
    public synchronized TdmSpan openSpan(int spanNumber, SpanType type, int dChannelPos, int[] bChannelPositions) {
        if (!running) {
            throw new TdmException("sim span " + spanNumber + ": the simulated card is closed");
        }
        validate(spanNumber, type, dChannelPos, bChannelPositions);
        SimSpan existing = spans.get(spanNumber);
        if (existing != null && !existing.isClosed()) {
            if (!existing.matches(type, dChannelPos, bChannelPositions)) {
                throw new TdmException("sim span " + spanNumber + " is already open with another layout: " + existing);
            }
            return existing;
        }
        SimSpan span = new SimSpan(this, spanNumber, type, dChannelPos, bChannelPositions, nextChanno);
        nextChanno += type.timeslots();
        spans.put(spanNumber, span);
        execute(() -> ticking = append(ticking, span));
        LOG.info("sim span {} opened: {} D-channel {} and {} B-channels", spanNumber, type, dChannelPos,
            bChannelPositions.length);
        return span;
    }

    private static void validate(int spanNumber, SpanType type, int dpos, int[] bpos) {
        String where = "sim span " + spanNumber + ": ";
        if (spanNumber < 1 || spanNumber > 128) {
            throw new TdmException(where + "span number must be 1..128");
        }
        if (type == null) {
            throw new TdmException(where + "span type missing");
        }
        if (dpos < 1 || dpos > type.timeslots()) {
            throw new TdmException(where + "D-channel position " + dpos + " outside 1.." + type.timeslots());
        }
        boolean[] seen = new boolean[type.timeslots() + 1];
        seen[dpos] = true;
        for (int p : bpos) {
            if (p < 1 || p > type.timeslots()) {
                throw new TdmException(where + "B-channel position " + p + " outside 1.." + type.timeslots());
            }
            if (seen[p]) {
                throw new TdmException(where + "position " + p + " used twice (or is the D-channel)");
            }
            seen[p] = true;
        }
    }

    synchronized void closeSpan(SimSpan span) {
        if (span.isClosed()) {
            return;
        }
        execute(() -> {
            ticking = remove(ticking, span);
            span.closeFds();
        });
        spans.remove(span.spanNumber(), span);
        LOG.info("sim span {} closed", span.spanNumber());
    }

    private SimSpan span(int spanNumber) {
        SimSpan s = spans.get(spanNumber);
        if (s == null || s.isClosed()) {
            throw new TdmException("sim span " + spanNumber + " is not open");
        }
        return s;
    }

    private SimBChannel channel(int spanNumber, int chanpos) {
        SimBChannel c = span(spanNumber).simBChannel(chanpos);
        if (c == null) {
            throw new TdmException("sim span " + spanNumber + " has no B-channel at position " + chanpos);
        }
        return c;
    }

    // ------------------------------------------------------------------ far side

    /**
     * The far end of the span's D-channel (non-blocking SEQPACKET, the other end of the gateway's
     * socketpair): what the simulated exchange's libpri reads and writes. Owned by the card:
     * closed when the span or the card closes.
     */
    public int farDChannelFd(int spanNumber) {
        return span(spanNumber).simDChannel().farFd();
    }

    /** Attaches (or with null detaches) what answers on the span's B-channels; called on the clock thread. */
    public void attachFarEnd(int spanNumber, SimFarEnd farEnd) {
        span(spanNumber).farEnd = farEnd;
    }

    // ------------------------------------------------------------------ faults

    /** Raises alarm bits (e.g. {@link SpanAlarms#RED}, {@link SpanAlarms#YELLOW}); queues ALARM. */
    public void raiseAlarm(int spanNumber, int alarmBits) {
        SimSpan s = span(spanNumber);
        s.setAlarms(s.alarms | alarmBits);
        LOG.info("sim span {}: alarm raised, now {}", spanNumber, SpanAlarms.describe(s.alarms));
    }

    /** Clears every alarm; queues NOALARM if there was one. */
    public void clearAlarms(int spanNumber) {
        span(spanNumber).setAlarms(SpanAlarms.NONE);
        LOG.info("sim span {}: alarms cleared", spanNumber);
    }

    /** Drops D-channel frames both ways without an alarm (libpri notices through its timers). */
    public void setDChannelLost(int spanNumber, boolean lost) {
        span(spanNumber).dChannelLost = lost;
        LOG.info("sim span {}: D-channel {}", spanNumber, lost ? "lost" : "restored");
    }

    /** A stuck channel: its blocks stop arriving at the gateway (what the gateway writes is still taken). */
    public void setStuck(int spanNumber, int chanpos, boolean stuck) {
        channel(spanNumber, chanpos).stuck = stuck;
        LOG.info("sim span {} channel {}: {}", spanNumber, chanpos, stuck ? "stuck" : "unstuck");
    }

    /**
     * A broken channel: every per-call setting the gateway makes on it (law, audio mode, echo
     * canceller) fails with an I/O error, what DAHDI's ioctls return on a channel of a faulty card.
     * Its blocks still flow.
     */
    public void setBroken(int spanNumber, int chanpos, boolean broken) {
        channel(spanNumber, chanpos).broken = broken;
        LOG.info("sim span {} channel {}: {}", spanNumber, chanpos, broken ? "broken" : "repaired");
    }

    // ------------------------------------------------------------------ per-call settings

    /**
     * What the gateway last set on this channel with {@link org.tandem.tdm.BChannel#setLaw},
     * {@link org.tandem.tdm.BChannel#setAudioMode} and
     * {@link org.tandem.tdm.BChannel#setEchoCanceller}: the card converts nothing and cancels no
     * echo, but tests can check the gateway configures each call as it would on DAHDI.
     */
    public ChannelSettings channelSettings(int spanNumber, int chanpos) {
        SimBChannel c = channel(spanNumber, chanpos);
        return new ChannelSettings(c.law(), c.audioMode(), c.echoCancellerTaps());
    }

    /** A channel's law, audio mode and echo canceller taps (0 = off) as the gateway set them. */
    public record ChannelSettings(TdmLaw law, boolean audioMode, int echoCancellerTaps) {
    }

    // ------------------------------------------------------------------ counters

    /** Periods in which the gateway had written no block for this channel. */
    public long writeUnderruns(int spanNumber, int chanpos) {
        return channel(spanNumber, chanpos).writeUnderruns;
    }

    /**
     * Of {@link #writeUnderruns}, those on a catch-up tick: the clock thread woke late (a loaded
     * machine) and ran several periods back to back, so the block the gateway owed for the second
     * and later ones was asked for microseconds after the block it answers was delivered. A real
     * card's clock does not stall; these underruns are the simulator's, not the gateway's.
     */
    public long catchUpUnderruns(int spanNumber, int chanpos) {
        return channel(spanNumber, chanpos).catchUpUnderruns;
    }

    /** Periods run back to back after a late wake-up of the clock thread (see {@link #catchUpUnderruns}). */
    public long catchUpTicks() {
        return catchUpTicks;
    }

    /** Blocks dropped because the gateway left {@link SimCardConfig#rxQueueBlocks()} unread. */
    public long readOverruns(int spanNumber, int chanpos) {
        return channel(spanNumber, chanpos).readOverruns;
    }

    /** Blocks delivered to the gateway on this channel. */
    public long blocksDelivered(int spanNumber, int chanpos) {
        return channel(spanNumber, chanpos).blocksDelivered;
    }

    /** Blocks taken from the gateway on this channel. */
    public long blocksReceived(int spanNumber, int chanpos) {
        return channel(spanNumber, chanpos).blocksReceived;
    }

    /** D-channel frames lost to faults (red alarm, D-channel loss), counted at the gateway end. */
    public long dChannelFramesDropped(int spanNumber) {
        return span(spanNumber).simDChannel().framesDropped;
    }

    /** Periods ticked since the card started. */
    public long periods() {
        return periods;
    }

    /** Periods skipped because the clock thread was more than maxCatchUp periods late. */
    public long clockSlips() {
        return slips;
    }

    // ------------------------------------------------------------------ clock thread

    private void runClock() {
        Pacer pacer = new Pacer(config.clock().getAsLong(), config.periodNs());
        try {
            while (running) {
                runCommands();
                long now = config.clock().getAsLong();
                int due = pacer.due(now, config.maxCatchUp());
                if (due == 0) {
                    long wait = pacer.nextDeadlineNs() - now;
                    LockSupport.parkNanos(this, wait);
                    continue;
                }
                for (int i = 0; i < due; i++) {
                    SimSpan[] s = ticking;
                    for (SimSpan span : s) {
                        span.tick(i > 0);
                    }
                }
                periods += due;
                catchUpTicks += due - 1;
                slips = pacer.slips();
            }
        } catch (RuntimeException | Error e) {
            LOG.error("simulated card clock stopped by an unexpected error; spans no longer clocked", e);
        } finally {
            runCommands();
        }
    }

    private void runCommands() {
        for (int i = 0; i < 1024; i++) {
            Runnable r = commands.poll();
            if (r == null) {
                return;
            }
            r.run();
        }
    }

    /** Runs {@code r} on the clock thread and waits for it (inline if called from it or after it stopped). */
    void execute(Runnable r) {
        if (Thread.currentThread() == clockThread || !clockThread.isAlive()) {
            r.run();
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        commands.add(() -> {
            try {
                r.run();
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        LockSupport.unpark(clockThread);
        try {
            done.get(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TdmException("interrupted while waiting for the simulated card's clock thread", e);
        } catch (ExecutionException e) {
            throw new TdmException("simulated card command failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            if (!clockThread.isAlive() && !done.isDone()) {
                r.run();
                return;
            }
            throw new TdmException("simulated card clock thread did not answer within " + COMMAND_TIMEOUT_MS + " ms");
        }
    }

    /** Creates a SEQPACKET pair; sizes socket buffers for {@code blockSize}-byte blocks when > 0. */
    int[] socketPair(int type, int blockSize) {
        int[] sv = posix.socketpair(LibC.AF_UNIX, type);
        if (blockSize > 0) {
            try {
                // Bound what can pile up on each side to a card's few buffers. The kernel counts
                // packet overhead (~700 B each) and doubles the value; the exact receive bound is
                // enforced by the clock thread (rxQueueBlocks), this only keeps memory small.
                int bytes = (config.rxQueueBlocks() + 2) * (blockSize + 768);
                for (int fd : sv) {
                    posix.setSockOptInt(fd, LibC.SOL_SOCKET, LibC.SO_SNDBUF, bytes);
                    posix.setSockOptInt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, bytes);
                }
            } catch (RuntimeException e) {
                posix.closeQuietly(sv[0]);
                posix.closeQuietly(sv[1]);
                throw e;
            }
        }
        return sv;
    }

    /** Stops the clock and closes every span (gateway ends, card ends and far ends). */
    @Override
    public void close() {
        SimSpan[] toClose;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            toClose = spans.values().toArray(new SimSpan[0]);
            spans.clear();
        }
        LockSupport.unpark(clockThread);
        try {
            clockThread.join(COMMAND_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (clockThread.isAlive()) {
            LOG.warn("simulated card clock thread did not stop within {} ms; descriptors left open", COMMAND_TIMEOUT_MS);
            return;
        }
        for (SimSpan s : toClose) {
            s.closeFds();
        }
        ticking = new SimSpan[0];
        LOG.info("simulated card closed after {} periods ({} slips, {} run back to back after a late wake-up)",
                periods, slips, catchUpTicks);
    }

    private static SimSpan[] append(SimSpan[] a, SimSpan s) {
        SimSpan[] b = java.util.Arrays.copyOf(a, a.length + 1);
        b[a.length] = s;
        return b;
    }

    private static SimSpan[] remove(SimSpan[] a, SimSpan s) {
        return java.util.Arrays.stream(a).filter(x -> x != s).toArray(SimSpan[]::new);
    }
}
