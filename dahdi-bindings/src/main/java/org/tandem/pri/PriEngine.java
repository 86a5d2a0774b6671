package org.tandem.pri;

import com.sun.jna.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.jna.libc.LibC;
import org.tandem.jna.libc.NativeLibC;
import org.tandem.jna.libc.Epoll;
import org.tandem.jna.libc.Posix;
import org.tandem.jna.libc.PosixException;
import org.tandem.pri.jna.LibPri;
import org.tandem.pri.jna.LibPriLoader;
import org.tandem.tdm.DChannel;
import org.tandem.tdm.TdmSpan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * The one signalling thread that drives every libpri instance of the process (libpri is not
 * thread-safe and has global state), the gateway's CPE spans and the simulated exchange's
 * NETWORK spans alike.
 *
 * <p>Loop ({@link #doWork(int)}): wait in one epoll set (every D-channel fd for POLLIN, every span
 * event fd for its {@code eventPollMask}, and a wake-up eventfd) with the timeout of the earliest
 * timer ({@code pri_schedule_next}, cached per span); then run queued commands, feed one frame per
 * readable D-channel to {@code pri_check_event}, deliver span alarms, and run due timers
 * ({@code pri_schedule_run} until it returns null). Other threads reach the spans only through the
 * command queue ({@link #enqueue}), which wakes the loop.
 *
 * <p>Cost per turn (issue 14, docs/PRI.md "Engine cost"): epoll returns only the ready fds, where
 * poll made the kernel look at all 65 every turn; libpri is direct-mapped ({@code DirectLibPri}),
 * and each span has its own direct I/O callbacks, so a frame costs no reflection and no lookup of
 * the span; a span's cached next timer is asked anew only when libpri was called on that span.
 *
 * <p>One engine per process: the libpri message hooks and the I/O callbacks are process-global.
 */
public final class PriEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PriEngine.class);
    private static final Logger LIBPRI_LOG = LoggerFactory.getLogger("org.tandem.pri.libpri");

    /** Upper bound of one poll, so that a missed wake-up costs at most this. */
    private static final int MAX_POLL_MS = 1000;
    private static final int MAX_COMMANDS_PER_TURN = 4096;
    private static final byte[] EVENTFD_ONE = {1, 0, 0, 0, 0, 0, 0, 0};

    /** Spans of all engines by the id passed to libpri as userdata. */
    private static final Map<Long, PriSpan> SPANS = new ConcurrentHashMap<>();
    private static final AtomicLong SPAN_IDS = new AtomicLong();

    /** libpri keeps the hooks' pointers forever (they are process-global): never let them be collected. */
    private static final LibPri.pri_message_cb MESSAGE_CB = (pri, text) -> libpriText(pri, text, false);
    private static final LibPri.pri_message_cb ERROR_CB = (pri, text) -> libpriText(pri, text, true);
    private static final AtomicBoolean HOOKS_SET = new AtomicBoolean();

    private final LibPri lib;
    private final LibC libc = NativeLibC.INSTANCE;
    private final String name;
    private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final int wakeFd;
    private final byte[] drainBuf = new byte[8];
    private final Thread thread;
    private volatile boolean running = true;

    // ---- engine thread
    private final List<PriSpan> spans = new ArrayList<>();
    /** Tag of the wake-up eventfd in the epoll set; a registration's tag is its index (>= 0). */
    private static final long WAKE_TAG = -1;
    private Epoll epoll;
    private PriSpan[] regSpan = new PriSpan[16];
    private boolean[] regIsFrame = new boolean[16];
    private short[] regEventMask = new short[16];
    private boolean pollDirty = true;
    /** A command not queued by a span ran (any span may have been called): ask every span's timer anew. */
    private boolean anyCommandRan;

    private PriEngine(String name) {
        this.lib = LibPriLoader.libPri();
        this.name = name;
        if (HOOKS_SET.compareAndSet(false, true)) {
            lib.pri_set_message(MESSAGE_CB);
            lib.pri_set_error(ERROR_CB);
        }
        this.wakeFd = libc.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /** Starts an engine on a new daemon thread named {@code name}. */
    public static PriEngine start(String name) {
        PriEngine engine = new PriEngine(name);
        engine.thread.start();
        LOG.info("PRI engine '{}' started (libpri {})", name, engine.lib.pri_get_version());
        return engine;
    }

    /**
     * Adds a span of a TDM backend: its D-channel frames, its alarms (span event fd). Blocks until
     * the engine thread has created the libpri instance (which sends the first SABME at once).
     *
     * @throws IllegalStateException naming the span when libpri could not be started on it
     */
    public PriSpan addSpan(PriSpanConfig config, TdmSpan span, PriSpanListener listener) {
        return addSpan(config, span.dChannel(), span::alarms, listener);
    }

    /**
     * Adds a span on any frame channel; {@code alarms} is read when the channel's event fd reports
     * ALARM/NOALARM (and at start).
     */
    public PriSpan addSpan(PriSpanConfig config, DChannel dChannel, IntSupplier alarms, PriSpanListener listener) {
        long id = SPAN_IDS.incrementAndGet();
        PriSpan span = new PriSpan(this, id, config, dChannel, alarms, listener);
        CompletableFuture<PriSpan> done = new CompletableFuture<>();
        Runnable register = () -> {
            try {
                // Registered before pri_new_cb: its write callback fires before it returns.
                SPANS.put(id, span);
                span.open(lib);
                spans.add(span);
                pollDirty = true;
                done.complete(span);
            } catch (RuntimeException e) {
                SPANS.remove(id);
                done.completeExceptionally(e);
            }
        };
        if (isEngineThread()) {
            register.run();
        } else {
            enqueue(register);
        }
        try {
            return done.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot start PRI span " + config.name() + ": " + e.getCause().getMessage(),
                e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("PRI engine '" + name + "' did not register span " + config.name()
                + " within 10 s (engine stopped?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while adding span " + config.name(), e);
        }
    }

    /** Runs {@code command} on the engine thread, after what is already queued. Never blocks. */
    public void enqueue(Runnable command) {
        commands.add(command);
        // The engine thread itself (a listener, the simulated exchange answering) needs no wake-up:
        // it looks at the queue before it waits (doWork: timeout 0 when commands are queued).
        if (Thread.currentThread() != thread && wakePending.compareAndSet(false, true)) {
            libc.writeErrno(wakeFd, EVENTFD_ONE, 8);
        }
    }

    /**
     * {@link #enqueue} for a command that calls libpri on {@code span} only: the engine then asks
     * only that span for its next timer, not every span (see {@link PriSpan#nextTimerMillis}).
     */
    void enqueue(PriSpan span, Runnable command) {
        enqueue(new SpanCommand(span, command));
    }

    /** A command that calls libpri on one span only. */
    private record SpanCommand(PriSpan span, Runnable body) implements Runnable {
        @Override
        public void run() {
            span.libpriCalled();
            body.run();
        }
    }

    public boolean isEngineThread() {
        return Thread.currentThread() == thread;
    }

    public String name() {
        return name;
    }

    /** Stops the thread. libpri instances cannot be destroyed; their fds belong to the caller. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        enqueue(() -> { });
        if (!isEngineThread()) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        while (running) {
            try {
                doWork(MAX_POLL_MS);
            } catch (RuntimeException | Error e) {
                LOG.error("PRI engine '{}': unexpected failure in the signalling loop", name, e);
            }
        }
        for (PriSpan s : spans) {
            SPANS.remove(s.id());
        }
        if (epoll != null) {
            epoll.close();
        }
        libc.close(wakeFd);
        LOG.info("PRI engine '{}' stopped", name);
    }

    /** One turn of the loop; returns the amount of work done. */
    int doWork(int maxPollMs) {
        if (pollDirty) {
            rebuildPollSet();
        }
        long now = System.currentTimeMillis();
        long next = Long.MAX_VALUE;
        for (int i = 0, k = spans.size(); i < k; i++) {
            next = Math.min(next, spans.get(i).nextTimerMillis());
        }
        int timeout = (int) Math.max(0, Math.min(maxPollMs, next - now));
        if (!commands.isEmpty()) {
            timeout = 0;
        }
        int n = epoll.await(timeout);
        if (n < 0) {
            if (n != Posix.INTERRUPTED) {
                LOG.error("PRI engine '{}': epoll_wait failed, errno {}", name, -n);
            }
            n = 0;
        }
        int work = 0;
        for (int i = 0; i < n; i++) {
            if (epoll.tag(i) == WAKE_TAG) {
                // Drain first, then clear: the other order lost wake-ups. A producer's write between
                // the clear and the drain was consumed by the drain while its flag stayed set, so the
                // next producer wrote nothing and its command waited for the poll timeout (1 s): every
                // PRI message of the process stalled for a second under load (docs/BENCHMARKS.md,
                // "Capacity"). Now a write after the drain leaves the fd readable, and a command
                // queued before the clear is run by runCommands below.
                libc.readErrno(wakeFd, drainBuf, 8);
                wakePending.set(false);
                break;
            }
        }
        anyCommandRan = false;
        int commandsRun = runCommands();
        if (anyCommandRan) {
            // A command not queued by a span may call libpri on any span (PriSpan.nextTimerMillis).
            for (int i = 0, k = spans.size(); i < k; i++) {
                spans.get(i).libpriCalled();
            }
        }
        work += commandsRun;
        for (int i = 0; i < n; i++) {
            long tag = epoll.tag(i);
            if (tag == WAKE_TAG) {
                continue;
            }
            int reg = (int) tag;
            int re = epoll.events(i);
            PriSpan s = regSpan[reg];
            s.libpriCalled();
            work++;
            if ((re & regEventMask[reg]) != 0) {
                s.onSpanEvents();
            }
            if (regIsFrame[reg]) {
                if ((re & LibC.POLLIN) != 0) {
                    s.onFrameReadable();
                } else if ((re & (LibC.POLLHUP | LibC.POLLERR)) != 0) {
                    s.onHangUp();
                }
                if (s.isDChannelHungUp()) {
                    LOG.error("{}: D-channel hung up; no longer polled", s.name());
                    pollDirty = true;
                }
            }
        }
        now = System.currentTimeMillis();
        for (int i = 0, k = spans.size(); i < k; i++) {
            PriSpan s = spans.get(i);
            if (s.nextTimerMillis() <= now) {
                s.runTimers();
                s.libpriCalled();
                work++;
            }
        }
        return work;
    }

    private int runCommands() {
        int done = 0;
        Runnable r;
        while (done < MAX_COMMANDS_PER_TURN && (r = commands.poll()) != null) {
            if (!(r instanceof SpanCommand)) {
                anyCommandRan = true;
            }
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("PRI engine '{}': command failed", name, e);
            }
            done++;
        }
        return done;
    }

    /**
     * A new epoll set for the current spans (spans are added once and hung-up D-channels leave it,
     * both rare): the wake-up eventfd, each span's D-channel fd (POLLIN) unless it hung up, and its
     * event fd for its {@code eventPollMask} (one registration when it is the D-channel fd, as on
     * DAHDI). Level-triggered like poll: a D-channel with frames left stays ready for the next turn.
     */
    private void rebuildPollSet() {
        int needed = 1 + spans.size() * 2;
        if (needed > regSpan.length) {
            int cap = Math.max(needed, regSpan.length * 2);
            regSpan = new PriSpan[cap];
            regIsFrame = new boolean[cap];
            regEventMask = new short[cap];
        }
        if (epoll != null) {
            epoll.close();
        }
        epoll = Epoll.open(needed);
        epoll.add(wakeFd, LibC.POLLIN, WAKE_TAG);
        int i = 0;
        for (PriSpan s : spans) {
            DChannel d = s.dChannel();
            int frameFd = s.isDChannelHungUp() ? -1 : d.fd();
            int eventFd = d.eventFd();
            short mask = d.eventPollMask();
            if (eventFd >= 0 && eventFd == d.fd()) {
                i = register(i, s, eventFd, frameFd >= 0, mask, (short) (mask | (frameFd >= 0 ? LibC.POLLIN : 0)));
                continue;
            }
            if (frameFd >= 0) {
                i = register(i, s, frameFd, true, (short) 0, LibC.POLLIN);
            }
            if (eventFd >= 0 && mask != 0) {
                i = register(i, s, eventFd, false, mask, mask);
            }
        }
        pollDirty = false;
    }

    private int register(int i, PriSpan s, int fd, boolean isFrame, short eventMask, short events) {
        try {
            epoll.add(fd, events, i);
        } catch (PosixException e) {
            // poll reported a bad descriptor as POLLNVAL, a hang-up of the D-channel; same here.
            LOG.error("{}: cannot watch fd {}: {}", s.name(), fd, e.getMessage());
            if (isFrame) {
                s.onHangUp();
            }
            return i;
        }
        regSpan[i] = s;
        regIsFrame[i] = isFrame;
        regEventMask[i] = eventMask;
        return i + 1;
    }

    private static PriSpan spanOf(Pointer pri) {
        Pointer ud = LibPriLoader.libPri().pri_get_userdata(pri);
        return ud == null ? null : SPANS.get(Pointer.nativeValue(ud));
    }

    private static void libpriText(Pointer pri, Pointer text, boolean error) {
        try {
            String msg = text == null ? "" : text.getString(0, "ISO-8859-1").stripTrailing();
            if (msg.isEmpty()) {
                return;
            }
            PriSpan s = pri == null ? null : spanOf(pri);
            String who = s == null ? "libpri" : s.name();
            if (error) {
                LIBPRI_LOG.warn("{}: {}", who, msg);
            } else {
                LIBPRI_LOG.debug("{}: {}", who, msg);
            }
        } catch (Throwable t) {
            LOG.error("libpri message callback failed", t);
        }
    }
}
