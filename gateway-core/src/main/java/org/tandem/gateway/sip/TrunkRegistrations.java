package org.tandem.gateway.sip;

import static org.tandem.gateway.sip.stack.SipMessages.callId;
import static org.tandem.gateway.sip.stack.SipMessages.headerValue;
import static org.tandem.gateway.sip.stack.SipMessages.newTag;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.interwork.DigestAuth;
import org.tandem.gateway.sip.RegistrationMachine.Action;
import org.tandem.gateway.sip.RegistrationMachine.Step;
import org.tandem.gateway.sip.stack.SipResponder;

/**
 * Outbound REGISTER to the trunks with {@code register = yes} (RFC 3261 section 10.2): one
 * {@link RegistrationMachine} per trunk decides, this class builds and sends the REGISTERs,
 * answers digest challenges with the trunk's credentials ({@link DigestAuth}, as
 * {@link InviteClient} does for INVITEs; the last challenge is kept and answered with the next
 * nonce count on refreshes, so a registrar that accepts it does not challenge every refresh),
 * runs the refresh and back-off timers, publishes each trunk's {@link TrunkRegistrationStatus},
 * keeps {@link RegisteredTrunks} for the INVITE trust rule, and un-REGISTERs (Expires: 0) on
 * {@link #close}, waiting at most {@link #UNREGISTER_WAIT_MILLIS}.
 *
 * <p>One REGISTER of a trunk is out at a time. Every refresh reuses the Call-ID with the next
 * CSeq (10.2.4); To and From are the AOR {@code sip:USERNAME@host}, the Request-URI the trunk's
 * {@code host:port}, the Contact {@code sip:USERNAME@listen}.
 *
 * <p>Threading: everything runs on this class's one thread ({@code tandem-sip-N-register});
 * the stack's workers only queue the responses and timeouts to it.
 */
public final class TrunkRegistrations implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrunkRegistrations.class);
    /** How long {@link #close} waits for the registrars to answer our un-REGISTERs. */
    public static final long UNREGISTER_WAIT_MILLIS = 2_000;

    /**
     * A trunk to register with.
     *
     * @param expiresS the interval asked for ({@code register_expires_s})
     */
    public record Target(String trunk, String host, int port, String transport, String username, String password,
            int expiresS) {
        String aor() {
            return "sip:" + username + "@" + host;
        }

        String registrar() {
            return host + ":" + port + "/" + transport;
        }
    }

    /** One trunk's registration: owned by the registration thread. */
    private final class Registration {
        final Target target;
        final RegistrationMachine machine;
        final String callId;
        final String fromTag = newTag();
        long cseq;
        DigestAuth.Challenge challenge;
        boolean proxyChallenge;
        int nonceCount;
        /** Nonce our last REGISTER answered, or null when it carried no credentials. */
        String answeredNonce;
        ClientTransaction pending;
        ScheduledFuture<?> timer;
        Set<InetAddress> registrarAddresses = Set.of();
        CountDownLatch unregistered;
        boolean unregisterRetried;

        Registration(Target target, String callId) {
            this.target = target;
            this.callId = callId;
            this.machine = new RegistrationMachine(target.expiresS(), Math::random);
        }
    }

    private final SipSettings settings;
    private final SipProvider provider;
    private final SipResponder responder;
    private final HeaderFactory headers;
    private final AddressFactory addresses;
    private final RegisteredTrunks registered;
    private final Consumer<TrunkRegistrationStatus> listener;
    private final LongSupplier clockMillis;
    private final ScheduledThreadPoolExecutor thread;
    private final Map<String, Registration> byCallId = new LinkedHashMap<>();
    private volatile boolean closed;

    TrunkRegistrations(SipSettings settings, SipProvider provider, SipResponder responder, RegisteredTrunks registered,
            List<Target> targets, Consumer<TrunkRegistrationStatus> listener, LongSupplier clockMillis,
            String threadName) {
        this.settings = settings;
        this.provider = provider;
        this.responder = responder;
        this.headers = responder.headers();
        this.addresses = responder.addresses();
        this.registered = registered;
        this.listener = listener;
        this.clockMillis = clockMillis;
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        thread.setRemoveOnCancelPolicy(true);
        for (Target t : targets) {
            Registration r = new Registration(t, provider.getNewCallId().getCallId());
            byCallId.put(r.callId, r);
        }
        thread.execute(() -> {
            for (Registration r : byCallId.values()) {
                publish(r);
                act(r, r.machine.start(clockMillis.getAsLong()));
            }
        });
    }

    /** A response whose CSeq method is REGISTER (stack worker thread). */
    void onResponse(Response response) {
        if (!closed || response.getStatusCode() >= 200) {
            run(() -> handleResponse(response));
        }
    }

    /** Our REGISTER got no response (Timer F; stack worker thread). */
    void onTimeout(Request request) {
        run(() -> {
            Registration r = byCallId.get(callId(request));
            if (r == null || r.pending == null || cseqOf(request) != r.cseq) {
                return;
            }
            r.pending = null;
            if (r.unregistered != null) {
                r.unregistered.countDown();
                return;
            }
            LOG.warn("trunk {}: REGISTER to {} got no response", r.target.trunk(), r.target.registrar());
            act(r, r.machine.onTimeout(clockMillis.getAsLong()));
        });
    }

    /** Sends Expires: 0 for every binding in force, waits for the answers (bounded), then stops the thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        List<CountDownLatch> waits = new ArrayList<>();
        CountDownLatch queued = new CountDownLatch(1);
        run(() -> {
            closed = true;
            long now = clockMillis.getAsLong();
            for (Registration r : byCallId.values()) {
                if (r.timer != null) {
                    r.timer.cancel(false);
                }
                boolean holds = r.machine.holdsBinding(now);
                r.machine.stop();
                if (holds) {
                    r.unregistered = new CountDownLatch(1);
                    waits.add(r.unregistered);
                    send(r, 0, false);
                }
                registered.remove(r.target.trunk());
                publish(r);
            }
            queued.countDown();
        });
        closed = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(UNREGISTER_WAIT_MILLIS);
        try {
            if (queued.await(UNREGISTER_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                for (CountDownLatch l : waits) {
                    if (!l.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        LOG.info("un-REGISTER not answered within {} ms", UNREGISTER_WAIT_MILLIS);
                        break;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.shutdownNow();
    }

    // ------------------------------------------------------------------ on the registration thread

    private void handleResponse(Response response) {
        Registration r = byCallId.get(callId(response));
        int status = response.getStatusCode();
        if (r == null || r.pending == null || status < 200 || cseqOf(response) != r.cseq) {
            return; // provisional, or a response to a REGISTER we no longer wait for
        }
        r.pending = null;
        long now = clockMillis.getAsLong();
        boolean challenge = status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED;
        boolean answerable = challenge && takeChallenge(r, response, status);
        if (r.unregistered != null) {
            if (answerable && !r.unregisterRetried) {
                r.unregisterRetried = true;
                send(r, 0, false); // once more, with the credentials of this challenge
            } else {
                LOG.info("trunk {}: un-REGISTER answered {}", r.target.trunk(), status);
                r.unregistered.countDown();
            }
            return;
        }
        int granted = status < 300 ? grantedExpires(response, r.target.transport()) : -1;
        int minExpires = -1;
        if (status == 423) {
            String v = headerValue(response, "Min-Expires");
            try {
                minExpires = v == null ? -1 : Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                minExpires = -1;
            }
        }
        Step step = r.machine.onResponse(status, granted, minExpires, answerable, now);
        if (status >= 300 && step.action() != Action.SEND) {
            LOG.warn("trunk {}: REGISTER to {} as {} refused with {} {}; next attempt in {} s", r.target.trunk(),
                    r.target.registrar(), r.target.aor(), status, response.getReasonPhrase(),
                    (step.atMillis() - now) / 1000);
        } else if (status < 300) {
            LOG.info("trunk {}: registered as {} at {} for {} s", r.target.trunk(), r.target.aor(),
                    r.target.registrar(), (r.machine.expiresAtMillis() - now) / 1000);
        }
        act(r, step);
    }

    /**
     * Keeps a 401/407's challenge; true if we can answer it: Digest MD5/SHA-256, and not a second
     * challenge of the nonce we already answered unless it says stale (a wrong password).
     */
    private boolean takeChallenge(Registration r, Response response, int status) {
        boolean proxy = status == Response.PROXY_AUTHENTICATION_REQUIRED;
        String value = headerValue(response, proxy ? "Proxy-Authenticate" : "WWW-Authenticate");
        DigestAuth.Challenge c;
        try {
            c = value == null ? null : DigestAuth.parseChallenge(value);
        } catch (RuntimeException e) {
            c = null;
        }
        if (c == null || !DigestAuth.isSupported(c.algorithm())) {
            LOG.warn("trunk {}: {} to REGISTER with a challenge we cannot answer: {}", r.target.trunk(), status, value);
            return false;
        }
        boolean wrongPassword = c.nonce().equals(r.answeredNonce) && !c.stale();
        r.challenge = c;
        r.proxyChallenge = proxy;
        r.nonceCount = 0;
        if (wrongPassword) {
            LOG.warn("trunk {}: registrar {} refused our credentials for {} (realm {})", r.target.trunk(),
                    r.target.registrar(), r.target.username(), c.realm());
        }
        return !wrongPassword;
    }

    private void act(Registration r, Step step) {
        if (r.timer != null) {
            r.timer.cancel(false);
            r.timer = null;
        }
        switch (step.action()) {
            case SEND -> send(r, step.expiresS(), true);
            case WAIT -> {
                long delay = Math.max(0, step.atMillis() - clockMillis.getAsLong());
                r.timer = thread.schedule(() -> {
                    r.timer = null;
                    try {
                        if (!closed && r.pending == null) {
                            act(r, r.machine.onTimer(clockMillis.getAsLong()));
                        }
                    } catch (RuntimeException e) {
                        // a scheduled task's exception would vanish with its future, and the
                        // registration with it: log and let the back-off pick it up again
                        LOG.warn("trunk {}: registration timer failed: {}", r.target.trunk(), e.toString(), e);
                        act(r, r.machine.onTimeout(clockMillis.getAsLong()));
                    }
                }, delay, TimeUnit.MILLISECONDS);
            }
            case NONE -> {
            }
        }
        if (r.machine.holdsBinding(clockMillis.getAsLong())) {
            registered.put(new RegisteredTrunks.Entry(r.target.trunk(), r.target.username(), r.registrarAddresses,
                    r.machine.expiresAtMillis()));
        } else {
            registered.remove(r.target.trunk());
        }
        publish(r);
    }

    /** One REGISTER asking for {@code expiresS}; a send failure counts as a timeout. */
    private void send(Registration r, int expiresS, boolean reportFailure) {
        try {
            r.registrarAddresses = resolve(r.target.host());
            Request req = build(r, expiresS);
            ClientTransaction ct = provider.getNewClientTransaction(req);
            r.pending = ct;
            ct.sendRequest();
        } catch (SipException | ParseException | InvalidArgumentException | RuntimeException e) {
            r.pending = null;
            LOG.warn("trunk {}: cannot send REGISTER to {}: {}", r.target.trunk(), r.target.registrar(), e.toString());
            if (r.unregistered != null) {
                r.unregistered.countDown();
            } else if (reportFailure) {
                act(r, r.machine.onTimeout(clockMillis.getAsLong()));
            }
        }
    }

    private Request build(Registration r, int expiresS) throws ParseException, InvalidArgumentException {
        Target t = r.target;
        SipURI requestUri = addresses.createSipURI(null, t.host());
        requestUri.setPort(t.port());
        SipURI aor = addresses.createSipURI(t.username(), t.host());
        if (!"udp".equals(t.transport())) {
            requestUri.setTransportParam(t.transport());
        }
        List<ViaHeader> via = new ArrayList<>();
        via.add(headers.createViaHeader(settings.hostFor(t.transport()), settings.portFor(t.transport()), t.transport(),
                null));
        Request req = responder.messages().createRequest(requestUri, Request.REGISTER,
                headers.createCallIdHeader(r.callId), headers.createCSeqHeader(++r.cseq, Request.REGISTER),
                headers.createFromHeader(addresses.createAddress(aor), r.fromTag),
                headers.createToHeader(addresses.createAddress(aor), null), via, headers.createMaxForwardsHeader(70));
        SipURI contact = addresses.createSipURI(t.username(), settings.hostFor(t.transport()));
        contact.setPort(settings.portFor(t.transport()));
        if (!"udp".equals(t.transport())) {
            contact.setTransportParam(t.transport());
        }
        req.addHeader(headers.createContactHeader(addresses.createAddress(contact)));
        req.addHeader(headers.createExpiresHeader(expiresS));
        req.addHeader(headers.createHeader("User-Agent", settings.userAgent()));
        responder.addAllow(req);
        r.answeredNonce = null;
        if (r.challenge != null && t.password() != null) {
            String value = DigestAuth.authorize(r.challenge, Request.REGISTER, requestUri.toString(), t.username(),
                    t.password(), ++r.nonceCount);
            req.addHeader(headers.createHeader(r.proxyChallenge ? "Proxy-Authorization" : "Authorization", value));
            r.answeredNonce = r.challenge.nonce();
        }
        return req;
    }

    /** The interval of our Contact in a 200 (its expires parameter, else the Expires header), or -1. */
    private int grantedExpires(Response response, String transport) {
        String host = settings.hostFor(transport);
        int port = settings.portFor(transport);
        ListIterator<?> it = response.getHeaders(ContactHeader.NAME);
        while (it.hasNext()) {
            ContactHeader c = (ContactHeader) it.next();
            if (c.getAddress().getURI() instanceof SipURI u && host.equalsIgnoreCase(u.getHost())
                    && (u.getPort() == port || u.getPort() < 0 && port == 5060)
                    && c.getExpires() >= 0) {
                return c.getExpires();
            }
        }
        ExpiresHeader e = (ExpiresHeader) response.getHeader(ExpiresHeader.NAME);
        return e == null ? -1 : e.getExpires();
    }

    private void publish(Registration r) {
        RegistrationMachine m = r.machine;
        TrunkRegistrationStatus s = new TrunkRegistrationStatus(r.target.trunk(), r.target.aor(),
                r.target.registrar(), m.state(), m.lastStatus(), m.expiresAtMillis(), m.nextAttemptMillis(),
                m.failures());
        try {
            listener.accept(s);
        } catch (RuntimeException e) {
            LOG.warn("trunk registration listener failed on {}", s, e);
        }
    }

    private static Set<InetAddress> resolve(String host) {
        try {
            return Set.copyOf(java.util.Arrays.asList(InetAddress.getAllByName(host)));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot resolve " + host + ": " + e.getMessage(), e);
        }
    }

    private static long cseqOf(javax.sip.message.Message m) {
        CSeqHeader c = (CSeqHeader) m.getHeader(CSeqHeader.NAME);
        return c == null ? -1 : c.getSeqNumber();
    }

    private void run(Runnable task) {
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("trunk registration task failed: {}", e.toString(), e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: the registrations are over
        }
    }
}
