package org.tandem.gateway.sip;

import static org.tandem.gateway.sip.stack.SipMessages.callId;
import static org.tandem.gateway.sip.stack.SipMessages.toTag;

import gov.nist.javax.sip.DialogTimeoutEvent;
import gov.nist.javax.sip.SipListenerExt;
import java.text.ParseException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.interwork.Reason;
import org.tandem.gateway.presence.PresenceService;
import org.tandem.gateway.registrar.RegistrarService;
import org.tandem.gateway.security.RequestGate;
import org.tandem.gateway.sip.stack.SipMessages;
import org.tandem.gateway.sdp.SessionDescription;
import org.tandem.gateway.sip.stack.FlowRouter;
import org.tandem.gateway.sip.stack.PrackValve;
import org.tandem.gateway.sip.stack.RequestScreen;
import org.tandem.gateway.sip.stack.SipResponder;
import org.tandem.gateway.sip.stack.DscpNetworkLayer;
import org.tandem.gateway.sip.stack.SipStackFactory;
import org.tandem.gateway.sip.stack.TlsSockets;

/**
 * The gateway's SIP user agent: UAS for inbound INVITE dialogs, UAC for outbound ones, on one
 * JAIN-SIP stack listening on UDP and/or TCP. It owns the stack's life cycle (start, shutdown,
 * close) and the session-timer thread, and is the dispatcher: each request goes by method, each
 * response by CSeq method, each timeout and each {@link SipSide} command to the behaviour that
 * owns it:
 * <pre>
 *   INVITE (initial), ACK, CANCEL, no ACK,
 *   PRACK, no PRACK                         -> InviteServer     (+ DigestAuthenticator, ReliableProvisionals)
 *   our INVITE, its responses and timeouts,
 *   our PRACKs                              -> InviteClient     (+ ReliableResponses)
 *   re-INVITE, UPDATE, BYE, hangup          -> InDialogRequests
 *   REFER, its NOTIFYs (blind transfer)     -> ReferRequests
 *   OPTIONS, unknown methods                -> OutOfDialogRequests
 *   REGISTER (when a registrar runs)        -> RegisterRequests -> the registrar thread
 *   SUBSCRIBE, our NOTIFYs (with presence)  -> SubscribeRequests -> the presence thread
 *   our REGISTERs to trunks, their answers  -> TrunkRegistrations (its own thread)
 *   RFC 4028 session timers                 -> SessionTimers   (called by the three above)
 * </pre>
 * The legs live in {@link LegRegistry}; the RI plumbing (stack properties, sockets, logging,
 * building and reading messages) is in {@code org.tandem.gateway.sip.stack}.
 *
 * <p>Threading: the stack's worker threads call the {@code process*} methods; the behaviours
 * answer what needs no decision (100 Trying, OPTIONS, CANCEL's 200, BYE's 200,
 * 400/403/420/422/501/503, session refreshes), update the call's {@link SipLeg} under its monitor,
 * and hand a {@link SipEvent} to call control's executor ({@link EventRelay}). Call control's
 * commands ({@link SipSide}) take the same monitor. Session timers run on one scheduler thread,
 * also under the leg monitor.
 */
public final class SipUserAgent implements SipSide, SipListenerExt, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SipUserAgent.class);
    private static final AtomicLong STACKS = new AtomicLong();

    private final SipSettings settings;
    private final SipStack stack;
    private final SipProvider provider;
    private final ScheduledExecutorService timers;
    /** Threads that send first INVITEs over TCP/TLS (connect + handshake), see InviteClient. */
    private final java.util.concurrent.ExecutorService connector;
    private final BooleanSupplier isStopping = () -> this.stopping;
    /** New calls refused (503 with Retry-After to INVITE and OPTIONS): stopping, or drained by the operator. */
    private final BooleanSupplier refusingCalls = () -> this.stopping || this.draining;
    /** The trunks in force; a reload replaces them ({@link #updateTrunks}). */
    private final LiveTrunks trunks;
    private final SipResponder responder;
    /** RFC 3261 8.2 checks the RI does not make (505, 416, no Contact): RFC 4475's messages. */
    private final RequestScreen screen;
    private final LegRegistry legs;
    private final InviteServer inviteServer;
    private final InviteClient inviteClient;
    private final SessionTimers sessionTimers;
    private final InDialogRequests inDialog;
    private final OutOfDialogRequests outOfDialog;
    private final ReferRequests refer;
    /** Null when no registrar runs (no [user NAME]): REGISTER then gets 501 like any unknown method. */
    private final RegisterRequests register;
    /** Whether a request is answered at all: scanners, locked-out guessers. */
    private final RequestGate gate;
    /** Null when overload control is off. */
    private final InviteShedding shedding;
    /** Bindings our trunk registrations hold: trust for INVITEs sent to them (InviteServer). */
    private final RegisteredTrunks registeredTrunks = new RegisteredTrunks();
    /** Null until {@link #registerTrunks} (and without trunks that register). */
    private volatile TrunkRegistrations registrations;
    private final String name;
    /** Null when presence does not run: SUBSCRIBE then gets 501. */
    private final SubscribeRequests subscribe;
    private volatile boolean stopping;
    private volatile boolean draining;

    private SipUserAgent(SipSettings settings, Executor callControl, Consumer<SipEvent> sink,
            RegistrarService registrar, RequestGate gate, PresenceService presence) throws SipException {
        this.settings = settings;
        this.gate = gate;
        this.trunks = new LiveTrunks(settings.trunks());
        this.name = "tandem-sip-" + STACKS.incrementAndGet();
        // Made before the behaviours that use it; it starts no thread until a session timer is armed.
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, name + "-timers");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        this.timers = t;
        this.connector = new java.util.concurrent.ThreadPoolExecutor(0, InviteClient.CONNECTORS, 30,
                java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
                    Thread th = new Thread(r, name + "-connect");
                    th.setDaemon(true);
                    return th;
                });
        try {
            this.stack = SipStackFactory.create(settings, name);
            ((DscpNetworkLayer) ((gov.nist.javax.sip.SipStackImpl) stack).getNetworkLayer())
                    .guard(settings.tcpLimits(), trunks::trusts); // docs/SECURITY.md "TCP abuse"
            SipProvider p = null;
            for (String transport : settings.transports().stream().sorted().toList()) {
                ListeningPoint lp = stack.createListeningPoint(settings.listenHost(), settings.listenPort(), transport);
                if (p == null) {
                    p = stack.createSipProvider(lp);
                } else {
                    p.addListeningPoint(lp);
                }
            }
            if (settings.tls() != null) {
                p.addListeningPoint(tlsListeningPoint(stack, settings));
            }
            this.provider = p;
            this.responder = new SipResponder(provider, settings, refusingCalls, registrar != null, presence != null);
            this.screen = new RequestScreen(provider, responder);
            this.legs = new LegRegistry(provider, responder.headers());
            ((FlowRouter) stack.getRouter()).setFlows(this::flowOf);
            PrackValve valve = PrackValve.of(stack);
            EventRelay events = new EventRelay(callControl, sink);
            SessionTimers sessionTimers = new SessionTimers(settings, provider, responder, legs, events, timers);
            this.sessionTimers = sessionTimers;
            DigestAuthenticator authenticator = new DigestAuthenticator(settings, responder,
                    registrar == null ? null : registrar.newAuthenticator(), registrar == null ? null : registrar.lockout());
            this.inviteServer = new InviteServer(settings, provider, responder, legs, events, authenticator,
                    sessionTimers, refusingCalls, registeredTrunks, trunks);
            if (valve != null) {
                valve.setKnown(inviteServer::prackKnown);
            }
            this.inviteClient = new InviteClient(settings, provider, responder, legs, events, sessionTimers, isStopping,
                    connector, trunks);
            this.inDialog = new InDialogRequests(provider, responder, legs, events, sessionTimers, inviteClient);
            this.outOfDialog = new OutOfDialogRequests(responder, legs, refusingCalls);
            this.refer = new ReferRequests(provider, responder, legs, events);
            this.register = registrar == null ? null : new RegisterRequests(responder, registrar);
            this.subscribe = presence == null ? null : new SubscribeRequests(provider, responder, settings, presence);
            this.shedding = gate.overload() == null ? null : new InviteShedding(gate.overload(), provider, responder);
            provider.addSipListener(this);
            stack.start();
        } catch (SipException | InvalidArgumentException | java.util.TooManyListenersException e) {
            throw new SipException("cannot start SIP on " + settings.listenHost() + ":" + settings.listenPort()
                    + " " + settings.transports() + ": " + e.getMessage(), e);
        }
        LOG.info("SIP listening on {}:{} {}{}", settings.listenHost(), settings.listenPort(), settings.transports(),
                settings.tls() == null ? "" : ", TLS on " + settings.tls().host() + ":" + settings.tls().port());
    }

    /**
     * The TLS listening point, with this stack's own TLS context given to its network layer
     * first (our certificate and CA; never the process-wide javax.net.ssl defaults).
     */
    private static ListeningPoint tlsListeningPoint(SipStack stack, SipSettings settings)
            throws SipException, InvalidArgumentException {
        TlsSettings tls = settings.tls();
        try {
            TlsSockets sockets = TlsSockets.create(tls, settings.trunks());
            ((DscpNetworkLayer) ((gov.nist.javax.sip.SipStackImpl) stack).getNetworkLayer()).useTls(sockets);
        } catch (java.io.IOException e) {
            throw new SipException("TLS: " + e.getMessage(), e);
        }
        try {
            return stack.createListeningPoint(tls.host(), tls.port(), "tls");
        } catch (SipException e) {
            throw new SipException("cannot listen for TLS on " + tls.host() + ":" + tls.port() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The flow of an outbound call to a registered contact, or of a NOTIFY being sent
     * ({@link FlowRouter}), or null.
     */
    private FlowRouter.Flow flowOf(String callId) {
        SipLeg leg = legs.byCallId(callId);
        OutboundInvite spec = leg == null ? null : leg.spec;
        if (spec == null || spec.contact() == null) {
            return subscribe == null ? null : subscribe.flowOf(callId);
        }
        OutboundInvite.ContactTarget c = spec.contact();
        return new FlowRouter.Flow(c.flowHost(), c.flowPort(), c.flowTransport());
    }

    /**
     * Starts the SIP side.
     *
     * @param callControl the executor that runs call control (one thread); every event is
     *                    handed to {@code sink} through it
     */
    public static SipUserAgent start(SipSettings settings, Executor callControl, Consumer<SipEvent> sink)
            throws SipException {
        return new SipUserAgent(settings, callControl, sink, null, RequestGate.open(), null);
    }

    /**
     * Starts the SIP side with a registrar: REGISTER goes to {@code registrar}'s thread (which
     * must be started, its bindings restored) and is listed in Allow.
     */
    public static SipUserAgent start(SipSettings settings, Executor callControl, Consumer<SipEvent> sink,
            RegistrarService registrar) throws SipException {
        return new SipUserAgent(settings, callControl, sink, registrar,
                new RequestGate(registrar == null ? null : registrar.lockout(), List.of()), null);
    }

    /**
     * Starts the SIP side with a registrar (or null) and the gate every request passes first
     * (scanner User-Agents, locked-out sources).
     */
    public static SipUserAgent start(SipSettings settings, Executor callControl, Consumer<SipEvent> sink,
            RegistrarService registrar, RequestGate gate) throws SipException {
        return new SipUserAgent(settings, callControl, sink, registrar, gate, null);
    }

    /**
     * Starts the SIP side with a registrar, its gate and presence (or null): SUBSCRIBE goes to
     * {@code presence}'s thread, which sends its NOTIFYs through this user agent; Allow lists SUBSCRIBE.
     */
    public static SipUserAgent start(SipSettings settings, Executor callControl, Consumer<SipEvent> sink,
            RegistrarService registrar, RequestGate gate, PresenceService presence) throws SipException {
        return new SipUserAgent(settings, callControl, sink, registrar, gate, presence);
    }

    /** The gate's counters (console, SNMP). */
    public RequestGate gate() {
        return gate;
    }

    public SipSettings settings() {
        return settings;
    }

    /** From now on new INVITEs (and OPTIONS) get 503, so peers and load balancers go elsewhere. */
    public void beginShutdown() {
        stopping = true;
        LOG.info("SIP shutting down: new calls refused with 503");
    }

    /**
     * Drain ({@code tandem ctl drain}): while on, new INVITEs and OPTIONS get 503 with
     * Retry-After, so a load balancer pinging with OPTIONS takes this gateway out of rotation;
     * calls in progress, their in-dialog requests and our own INVITEs (a REFER's) go on.
     */
    public void setDraining(boolean on) {
        if (draining != on) {
            draining = on;
            LOG.info(on ? "SIP draining: new INVITEs and OPTIONS answered 503" : "SIP drain lifted: new calls accepted");
        }
    }

    public boolean draining() {
        return draining;
    }

    /** The trunks in force (trust of sources, PRACK policy, 3xx targets). */
    public LiveTrunks trunks() {
        return trunks;
    }

    /**
     * Replaces the trunks at once (reload): new INVITEs are judged against these; dialogs already
     * up go on whatever became of their trunk. TLS peer checks stay those of the start.
     */
    public void updateTrunks(List<SipTrunk> next) {
        trunks.replace(next);
    }

    /** The RI's server transactions still held (completed ones stay for Timer J/H, 32 s over UDP). */
    public int serverTransactions() {
        return stack instanceof gov.nist.javax.sip.stack.SIPTransactionStack s ? s.getServerTransactionTableSize() : 0;
    }

    /** The RI's client transactions still held. */
    public int clientTransactions() {
        return stack instanceof gov.nist.javax.sip.stack.SIPTransactionStack s ? s.getClientTransactionTableSize() : 0;
    }

    /** Number of call legs not yet ended. */
    public int activeLegs() {
        return legs.size();
    }

    /**
     * Starts outbound registration with these trunks ({@code register = yes}); each change of a
     * trunk's state goes to {@code listener}, on the registration thread. Once per user agent.
     */
    public synchronized void registerTrunks(List<TrunkRegistrations.Target> targets,
            Consumer<TrunkRegistrationStatus> listener) {
        if (registrations != null) {
            throw new IllegalStateException("trunk registrations already started");
        }
        if (!targets.isEmpty()) {
            registrations = new TrunkRegistrations(settings, provider, responder, registeredTrunks, targets, listener,
                    System::currentTimeMillis, name + "-register");
        }
    }

    @Override
    public void close() {
        stopping = true;
        TrunkRegistrations r = registrations;
        if (r != null) {
            r.close(); // un-REGISTER while the stack still runs (bounded)
        }
        timers.shutdownNow();
        connector.shutdownNow();
        stack.stop();
        LOG.info("SIP stopped");
    }

    // ---------------------------------------------------------------- requests from peers

    // New methods get their case here and a behaviour of their own: MESSAGE next to SUBSCRIBE and
    // REGISTER (out of dialog), INFO next to REFER (in dialog).
    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        if (gate.drop(SipMessages.source(request).getAddress(), SipMessages.headerValue(request, "User-Agent"),
                startsSomething(request), request.getMethod())) {
            // A scanner or a password guesser: no answer at all. Dialogs already up go on.
            return;
        }
        if (shedding != null) { // overload control: RFC 7339 feedback, 503 to a shed new INVITE
            shedding.annotate(request);
            if (Request.INVITE.equals(request.getMethod()) && toTag(request) == null
                    && shedding.shed(event, legs.byCallId(callId(request)) != null)) {
                return;
            }
        }
        try {
            if (screen.refuse(event)) {
                return;
            }
            switch (request.getMethod()) {
                case Request.INVITE -> onInvite(event);
                case Request.ACK -> inviteServer.onAck(request);
                case Request.CANCEL -> inviteServer.onCancel(event);
                case Request.BYE -> inDialog.onBye(event);
                case Request.OPTIONS -> outOfDialog.onOptions(event);
                case Request.UPDATE -> inDialog.onUpdate(event);
                case Request.REFER -> refer.onRefer(event);
                case Request.PRACK -> inviteServer.onPrack(event);
                case Request.REGISTER -> {
                    if (register != null) {
                        register.onRegister(event);
                    } else {
                        outOfDialog.onUnknownMethod(event);
                    }
                }
                case Request.SUBSCRIBE -> {
                    if (subscribe != null) {
                        subscribe.onSubscribe(event);
                    } else {
                        outOfDialog.onUnknownMethod(event);
                    }
                }
                default -> outOfDialog.onUnknownMethod(event);
            }
        } catch (SipException e) {
            if (e.getCause() instanceof java.io.IOException) {
                // the peer cannot be reached where RFC 3261 18.2.2 sends the answer (its connection
                // closed and nothing listens at its Via): its business, not a fault of ours
                LOG.info("{} (Call-ID {}) not answered: {}", request.getMethod(), callId(request), e.getMessage());
            } else {
                LOG.warn("failed to handle {} {} (Call-ID {}): {}", request.getMethod(), request.getRequestURI(),
                        callId(request), e.toString(), e);
            }
        } catch (RuntimeException | ParseException | InvalidArgumentException e) {
            LOG.warn("failed to handle {} {} (Call-ID {}): {}", request.getMethod(), request.getRequestURI(),
                    callId(request), e.toString(), e);
        }
    }

    /** A request that is not part of a dialog or transaction already going: what a lockout drops. */
    private static boolean startsSomething(Request request) {
        String m = request.getMethod();
        return !Request.ACK.equals(m) && !Request.CANCEL.equals(m) && toTag(request) == null;
    }

    /** An INVITE with a To tag is a re-INVITE of a dialog we know, or 481; without, a new call. */
    private void onInvite(RequestEvent event) throws SipException, ParseException, InvalidArgumentException {
        Request req = event.getRequest();
        SipLeg existing = legs.byCallId(callId(req));
        if (existing != null && toTag(req) != null) {
            inDialog.onReinvite(event, existing);
            return;
        }
        if (toTag(req) != null) {
            responder.respondStateless(event, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null);
            return;
        }
        inviteServer.onInvite(event);
    }

    // ---------------------------------------------------------------- responses to our requests

    @Override
    public void processResponse(ResponseEvent event) {
        Response response = event.getResponse();
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        if (cseq != null && Request.REGISTER.equals(cseq.getMethod())) {
            TrunkRegistrations r = registrations;
            if (r != null) {
                r.onResponse(response);
            }
            return;
        }
        if (cseq != null && Request.NOTIFY.equals(cseq.getMethod()) && subscribe != null) {
            subscribe.onNotifyResponse(event);
            return;
        }
        SipLeg leg = legs.byCallId(callId(response));
        if (leg == null || cseq == null) {
            return;
        }
        try {
            switch (cseq.getMethod()) {
                case Request.INVITE -> inviteClient.onInviteResponse(event, leg, response, cseq);
                case Request.UPDATE -> {
                    synchronized (leg) {
                        sessionTimers.onUpdateRefreshResponse(leg, response); // we send UPDATE only to refresh
                    }
                }
                default -> {
                    // BYE/CANCEL/UPDATE responses need nothing: the call is already over or unchanged.
                }
            }
        } catch (RuntimeException | SipException | ParseException | InvalidArgumentException e) {
            LOG.warn("failed to handle {} to {} for {}: {}", response.getStatusCode(), cseq.getMethod(),
                    leg.handle, e.toString(), e);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (event.isServerTransaction()) {
            // No ACK for our non-2xx (Timer H): nothing to do. No PRACK for a reliable 18x: 500.
            inviteServer.onServerTimeout(event.getServerTransaction());
            return;
        }
        Request req = event.getClientTransaction().getRequest();
        if (Request.REGISTER.equals(req.getMethod())) {
            TrunkRegistrations r = registrations;
            if (r != null) {
                r.onTimeout(req);
            }
            return;
        }
        if (Request.NOTIFY.equals(req.getMethod())) {
            // presence's NOTIFYs; a REFER's NOTIFY (ReferRequests) needs nothing: the call goes on
            if (subscribe != null) {
                subscribe.onNotifyTimeout(event.getClientTransaction());
            }
            return;
        }
        if (Request.UPDATE.equals(req.getMethod())) {
            SipLeg leg = legs.byCallId(callId(req));
            if (leg != null) {
                synchronized (leg) {
                    sessionTimers.onUpdateRefreshTimeout(leg);
                }
            }
            return;
        }
        inviteClient.onTimeout(event.getClientTransaction());
    }

    @Override
    public void processDialogTimeout(DialogTimeoutEvent event) {
        inviteServer.onDialogTimeout(event);
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        LOG.info("SIP I/O error towards {}:{}/{}", event.getHost(), event.getPort(), event.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        // bookkeeping is per leg, not per transaction
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        // legs end through BYE/CANCEL/final responses; nothing extra to release
    }

    // ---------------------------------------------------------------- commands from call control

    @Override
    public void progress(CallHandle call, int status, SessionDescription sdp) {
        inviteServer.progress(call, status, sdp);
    }

    @Override
    public void answer(CallHandle call, SessionDescription sdp) {
        inviteServer.answer(call, sdp);
    }

    @Override
    public void reject(CallHandle call, int status, Reason reason) {
        inviteServer.reject(call, status, reason);
    }

    @Override
    public void redirect(CallHandle call, java.util.List<RedirectContact> contacts) {
        inviteServer.redirect(call, contacts);
    }

    @Override
    public void hangup(CallHandle call, Reason reason) {
        inDialog.hangup(call, reason);
    }

    @Override
    public CallHandle invite(OutboundInvite spec) {
        return inviteClient.invite(spec);
    }

    @Override
    public void reoffer(CallHandle call, SessionDescription offer) {
        legs.command(call, "reoffer", leg -> sessionTimers.sendReoffer(leg, offer));
    }

    @Override
    public void answerReoffer(CallHandle call, SessionDescription answer) {
        inDialog.answerReoffer(call, answer);
    }

    @Override
    public void rejectReoffer(CallHandle call, int status) {
        inDialog.rejectReoffer(call, status);
    }

    @Override
    public void acceptRefer(CallHandle call) {
        refer.acceptRefer(call);
    }

    @Override
    public void rejectRefer(CallHandle call, int status) {
        refer.rejectRefer(call, status);
    }

    @Override
    public void notifyRefer(CallHandle call, int status) {
        refer.notifyRefer(call, status);
    }
}
