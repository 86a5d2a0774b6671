package org.tandem.gateway.presence;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.config.PresenceConfig;
import org.tandem.gateway.ops.GatewaySnapshot;
import org.tandem.gateway.registrar.LocationSnapshot;
import org.tandem.gateway.registrar.RegisterAuthenticator;
import org.tandem.gateway.registrar.UserDirectory;
import org.tandem.gateway.security.SourceLockout;

/**
 * The presence thread: owns the {@link SubscriptionManager} (subscriptions, its own digest
 * nonces) and runs everything that touches it. The SIP side hands it SUBSCRIBEs with
 * {@link #submit} and the NOTIFY responses with {@link #notifyAnswered}; both only queue. The
 * SUBSCRIBE's answer and every NOTIFY are sent from this thread through the {@link Notifier}.
 *
 * <p>State source. Every {@link #TICK_MS} the thread reads the ops model's {@link GatewaySnapshot}
 * (published by call control after each call change) and the registrar's {@link LocationSnapshot},
 * both immutable and behind a volatile field: call control and the registrar never wait for
 * presence, take no lock for it, and do not know it exists. When either snapshot is a new object
 * the thread rebuilds its {@link LineIndex}; then it notifies the subscriptions whose state
 * changed. A change is therefore seen within one tick.
 *
 * <p>Bounds. The SUBSCRIBE queue holds at most {@link #QUEUE_CAPACITY} ({@link #submit} returns
 * false beyond it: the SIP side answers 503); the manager holds at most {@code max_subscriptions}.
 * A challenge costs no memory (self-verifying nonces), so unauthenticated floods grow nothing.
 */
public final class PresenceService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PresenceService.class);
    /** SUBSCRIBEs waiting for the presence thread at most. */
    public static final int QUEUE_CAPACITY = 1000;
    /** How often the snapshots are read and changes notified. */
    public static final long TICK_MS = 200;

    private final SubscriptionManager manager;
    private final UserDirectory users;
    private final Supplier<GatewaySnapshot> calls;
    private final Supplier<LocationSnapshot> location;
    private final LongSupplier clockMillis;
    private final ScheduledThreadPoolExecutor thread;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Notifier notifier;
    private volatile int subscriptions;
    private volatile List<SubscriptionView> views = List.of();
    private volatile boolean closed;
    private GatewaySnapshot lastCalls;
    private LocationSnapshot lastLocation;
    private LineIndex index;

    /**
     * @param authenticator this thread's own (the registrar's {@code newAuthenticator()}: its nonces
     *     and replay table are not shared with the registrar thread)
     * @param lockout where failed authentications are reported (shared with REGISTER and INVITE), or null
     * @param calls the ops model's snapshot ({@code GatewayModel::snapshot})
     * @param location the registrar's snapshot ({@code RegistrarService::snapshot})
     */
    public PresenceService(PresenceConfig config, RegisterAuthenticator authenticator, SourceLockout lockout,
            UserDirectory users, Supplier<GatewaySnapshot> calls, Supplier<LocationSnapshot> location,
            LongSupplier clockMillis) {
        this.users = Objects.requireNonNull(users, "users");
        this.manager = new SubscriptionManager(config, users, authenticator, lockout);
        this.calls = Objects.requireNonNull(calls, "calls");
        this.location = Objects.requireNonNull(location, "location");
        this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "presence");
            t.setDaemon(true);
            return t;
        });
        this.thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Where NOTIFYs go: the SIP side, which binds itself before it listens. */
    public void bind(Notifier notifier) {
        this.notifier = Objects.requireNonNull(notifier, "notifier");
    }

    /** Starts the ticks (after {@link #bind}). */
    public void start() {
        thread.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        LOG.info("presence running: dialog and presence packages for {} user(s)", users.users().size());
    }

    /**
     * Queues one SUBSCRIBE; {@code reply} gets the answer on the presence thread, and the NOTIFYs
     * that follow it are sent right after. False, without calling {@code reply}, when the queue is
     * full or the service closed (the SIP side answers 503).
     */
    public boolean submit(SubscribeRequest request, Consumer<SubscribeResponse> reply) {
        if (closed || pending.incrementAndGet() > QUEUE_CAPACITY) {
            pending.decrementAndGet();
            return false;
        }
        try {
            thread.execute(() -> {
                pending.decrementAndGet();
                handle(request, reply);
            });
            return true;
        } catch (RejectedExecutionException e) {
            pending.decrementAndGet();
            return false;
        }
    }

    /** The final response to a NOTIFY (any thread): 408 for a timeout, 0 when it could not be sent. */
    public void notifyAnswered(long subscriptionId, long cseq, int status) {
        if (closed) {
            return;
        }
        try {
            thread.execute(() -> {
                manager.notifyAnswered(subscriptionId, cseq, status);
                publish();
            });
        } catch (RejectedExecutionException e) {
            // closing: nothing more to notify
        }
    }

    /** What other threads read: the count and the views (presence thread). */
    private void publish() {
        subscriptions = manager.size();
        views = manager.views();
    }

    /** Every subscription held, oldest first (any thread; as of the presence thread's last step). */
    public List<SubscriptionView> views() {
        return views;
    }

    /** Subscriptions held (any thread; as of the last change). */
    public int subscriptions() {
        return subscriptions;
    }

    public PresenceCounters counters() {
        return manager.counters();
    }

    private void handle(SubscribeRequest request, Consumer<SubscribeResponse> reply) {
        SubscriptionManager.Handled h;
        try {
            h = manager.handle(request, clockMillis.getAsLong(), index());
        } catch (RuntimeException e) {
            LOG.error("SUBSCRIBE from {} (Call-ID {}) failed: {}", request.flow(), request.callId(), e.toString(), e);
            h = SubscriptionManager.Handled.of(SubscribeResponse.refuse(500, "Server Internal Error"));
        }
        publish();
        reply.accept(h.response());
        send(h.notifies());
    }

    private void tick() {
        try {
            List<NotifyRequest> notifies = manager.tick(clockMillis.getAsLong(), index());
            send(notifies);
            if (!notifies.isEmpty()) {
                publish(); // a NOTIFY went out: an expiry, or a pending flag changed
            }
        } catch (RuntimeException e) {
            LOG.error("presence tick failed: {}", e.toString(), e);
        }
    }

    /** The index of the current snapshots, rebuilt only when one of them is a new object. */
    private LineIndex index() {
        GatewaySnapshot c = calls.get();
        LocationSnapshot l = location.get();
        long now = clockMillis.getAsLong();
        if (index == null || c != lastCalls || l != lastLocation) {
            lastCalls = c;
            lastLocation = l;
            index = LineIndex.of(c, l, users, now);
        }
        index = index.at(now);
        return index;
    }

    private void send(List<NotifyRequest> notifies) {
        Notifier n = notifier;
        for (NotifyRequest r : notifies) {
            boolean sent = false;
            try {
                sent = n != null && n.send(r);
            } catch (RuntimeException e) {
                LOG.warn("NOTIFY for subscription {} not sent: {}", r.subscriptionId(), e.toString());
            }
            if (!sent && !r.terminates()) {
                manager.notifyAnswered(r.subscriptionId(), r.cseq(), 0);
            }
        }
    }

    /** Stops the thread (after the SIP side stopped); subscriptions are not persisted. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            thread.submit(() -> { }).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LOG.debug("presence thread did not drain: {}", e.toString());
        } finally {
            thread.shutdownNow();
        }
        LOG.info("presence stopped");
    }
}
