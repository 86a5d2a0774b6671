package org.tandem.gateway.registrar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.config.GatewayConfig;
import org.tandem.config.RegistrarConfig;
import org.tandem.gateway.security.SourceLockout;

/**
 * The registrar thread: owns the {@link Registrar} (and through it the authenticator, the
 * location service and the bindings file) and runs everything that touches them. The SIP side
 * hands it REGISTERs with {@link #submit}, which only queues; the answer is delivered on this
 * thread to the callback (which sends it on the server transaction), so a SIP worker never waits
 * for a digest computation or a file save.
 *
 * <p>Life cycle ({@code Gateway}): {@link #start} restores the bindings file (before SIP listens)
 * and schedules {@link Registrar#tick()} every second; {@link #close} (after SIP stopped) runs the
 * final save and ends the thread. {@link #snapshot()} and {@link #counters()} are for any thread.
 *
 * <p>The queue is bounded ({@link #QUEUE_CAPACITY}): a flood of REGISTERs beyond it is refused at
 * once ({@link #submit} returns false, the SIP side answers 503) instead of growing memory.
 */
public final class RegistrarService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrarService.class);
    /** REGISTERs waiting for the registrar thread at most; a site's phones after a power cut fit. */
    public static final int QUEUE_CAPACITY = 10_000;
    static final long TICK_MS = 1000;

    private final UserDirectory users;
    private final RegistrarConfig registrarConfig;
    private final SourceLockout lockout;
    private final Registrar registrar;
    private final LocationService location;
    private final BindingFile file;
    private final ScheduledThreadPoolExecutor thread;
    /** REGISTERs queued and not yet run (the executor's own queue is unbounded). */
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean closed;

    /**
     * @param file the bindings file, or null to keep bindings in memory only
     */
    public RegistrarService(GatewayConfig config, Path file, LongSupplier clockMillis) {
        this.users = UserDirectory.from(config);
        this.registrarConfig = config.registrar();
        this.location = new LocationService(users);
        this.file = file == null ? null : new BindingFile(file);
        this.lockout = new SourceLockout(config.registrar().lockout(), clockMillis);
        this.registrar = new Registrar(config.registrar(), users, new RegisterAuthenticator(config.registrar(), users),
                location, this.file, Objects.requireNonNull(clockMillis, "clockMillis"), lockout);
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "registrar");
            t.setDaemon(true);
            return t;
        });
        this.thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Restores the bindings of the last run (creating the file's directory first), then ticks
     * every second. Returns what was restored.
     */
    public BindingFile.Loaded start() throws IOException, InterruptedException {
        if (file != null && file.path().getParent() != null) {
            Files.createDirectories(file.path().getParent());
        }
        BindingFile.Loaded loaded;
        try {
            loaded = thread.submit(registrar::restore).get();
        } catch (ExecutionException e) {
            throw new IOException("restoring bindings from " + file.path() + " failed: " + e.getCause(), e.getCause());
        }
        thread.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        LOG.info("registrar running: {} user(s), {} binding(s) restored, bindings file {}", users.users().size(),
                loaded.bindings().size(), file == null ? "none (in memory only)" : file.path());
        return loaded;
    }

    /**
     * Queues one REGISTER; {@code reply} gets the registrar's answer on the registrar thread.
     * Returns false, without calling {@code reply}, when {@link #QUEUE_CAPACITY} requests already
     * wait or the service is closed (the SIP side answers 503).
     */
    public boolean submit(RegisterRequest request, Consumer<RegisterResponse> reply) {
        if (closed || pending.incrementAndGet() > QUEUE_CAPACITY) {
            pending.decrementAndGet();
            return false;
        }
        try {
            thread.execute(() -> {
                pending.decrementAndGet();
                // Checked again here: a guesser's REGISTERs already queued when its fifth failure
                // locked it out must not be judged (one of them may hold the right password).
                if (lockout.isLockedOut(request.source().address())) {
                    return; // no answer, as at the SIP side's gate
                }
                reply.accept(handle(request));
            });
            return true;
        } catch (RejectedExecutionException e) {
            pending.decrementAndGet();
            return false;
        }
    }

    private RegisterResponse handle(RegisterRequest request) {
        try {
            return registrar.handle(request);
        } catch (RuntimeException e) {
            LOG.error("REGISTER from {} (Call-ID {}) failed in the registrar: {}", request.source(),
                    request.callId(), e.toString(), e);
            return new RegisterResponse(500, "Server Internal Error", List.of(), List.of(), List.of(), 0, 0);
        }
    }

    private void tick() {
        try {
            registrar.tick();
        } catch (RuntimeException e) {
            LOG.error("registrar tick failed: {}", e.toString(), e);
        }
    }

    /**
     * A reload's users ({@code [user NAME]}): names, passwords, numbers and limits apply from the
     * next REGISTER, digest check or routed call; the bindings of a removed user are dropped (its
     * calls in progress go on). Runs on the registrar thread; returns at once. The domains and the
     * other {@code [registrar]} settings stay those of the start.
     */
    public void reloadUsers(GatewayConfig config) {
        if (closed) {
            return;
        }
        try {
            thread.execute(() -> {
                users.replace(config.users().values());
                int dropped = location.forgetRemovedUsers();
                LOG.info("registrar: users reloaded, {} user(s){}", users.users().size(),
                        dropped > 0 ? ", " + dropped + " binding(s) of removed users dropped" : "");
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("registrar: users not reloaded, the registrar is stopping");
        }
    }

    /** The bindings now, for any thread (call control, console, SNMP). */
    public LocationSnapshot snapshot() {
        return location.snapshot();
    }

    public RegistrarCounters counters() {
        return registrar.counters();
    }

    /** The configured users (immutable). */
    /**
     * A digest authenticator for the users' other requests (an INVITE from a phone), with its own
     * nonce key and nc memory: the registrar's own is its thread's alone. Same realm, algorithms
     * and no-enumeration answers as REGISTER. Not thread-safe: the caller serialises its use.
     */
    public RegisterAuthenticator newAuthenticator() {
        return new RegisterAuthenticator(registrarConfig, users);
    }

    /**
     * The lockout of sources that keep failing digest authentication, shared by REGISTER (this
     * thread) and the phones' INVITEs (the SIP workers); thread-safe.
     */
    public SourceLockout lockout() {
        return lockout;
    }

    public UserDirectory users() {
        return users;
    }

    /** The bindings file, or null when bindings are kept in memory only. */
    public Path bindingsFile() {
        return file == null ? null : file.path();
    }

    /**
     * Stops taking REGISTERs, lets the queued ones finish, saves what changed (on the registrar
     * thread) and ends the thread. Call it after the SIP side stopped.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            thread.submit(registrar::close).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LOG.error("final save of the bindings failed: {}", e.toString());
        } finally {
            thread.shutdownNow();
        }
        LOG.info("registrar stopped");
    }

    @Override
    public String toString() {
        return "registrar";
    }
}
