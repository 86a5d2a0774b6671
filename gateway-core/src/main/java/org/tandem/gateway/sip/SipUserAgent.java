package org.tandem.gateway.sip;

import gov.nist.javax.sip.DialogTimeoutEvent;
import gov.nist.javax.sip.SipListenerExt;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import gov.nist.javax.sip.message.SIPRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.interwork.DigestAuth;
import org.tandem.gateway.interwork.Reason;
import org.tandem.gateway.interwork.SipIdentity;
import org.tandem.gateway.sdp.SdpParseException;
import org.tandem.gateway.sdp.SessionDescription;
import org.tandem.gateway.sip.stack.SipStackFactory;

/**
 * The gateway's SIP user agent: UAS for inbound INVITE dialogs, UAC for outbound ones, on one
 * JAIN-SIP stack listening on UDP and/or TCP.
 *
 * <p>Threading: the stack's worker threads call the {@code process*} methods; they answer what
 * needs no decision (100 Trying, OPTIONS, CANCEL's 200, BYE's 200, 400/403/420/422/501/503,
 * session refreshes), update the call's {@link Leg} under its monitor, and hand a {@link SipEvent}
 * to call control's executor. Call control's commands ({@link SipSide}) take the same monitor.
 * Session timers run on one scheduler thread, also under the leg monitor.
 */
public final class SipUserAgent implements SipSide, SipListenerExt, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SipUserAgent.class);
    private static final AtomicLong STACKS = new AtomicLong();
    private static final String[] ALLOW = {"INVITE", "ACK", "CANCEL", "BYE", "OPTIONS", "UPDATE"};
    private static final int MAX_AUTH_ATTEMPTS = 2;
    private static final int MAX_NONCES = 10_000;
    private static final long NONCE_LIFETIME_MS = 5 * 60_000L;

    private enum State { EARLY, ANSWERED, CONFIRMED, ENDED }

    /** One INVITE dialog. Guarded by its own monitor. */
    private static final class Leg {
        final CallHandle handle;
        Request invite;
        ServerTransaction inviteTx;
        ClientTransaction clientTx;
        Dialog dialog;
        String localTag;
        State state = State.EARLY;
        boolean offerInAnswer;           // inbound INVITE without SDP: our 200 offers, ACK answers
        SessionDescription localSdp;
        long remoteSdpVersion = -1;
        ServerTransaction reofferTx;
        Request reofferRequest;
        java.util.concurrent.ScheduledFuture<?> sessionTimer;
        SessionTimerHeaders session;     // negotiated interval and refresher, or null
        boolean weRefresh;
        boolean peerSupportsTimer;
        boolean provisionalReceived;
        boolean cancelPending;
        boolean hungUp;                  // call control hung up: no more events
        Reason cancelReason;
        int authAttempts;
        OutboundInvite spec;

        Leg(CallHandle handle) {
            this.handle = handle;
        }
    }

    private final SipSettings settings;
    private final Executor callControl;
    private final Consumer<SipEvent> sink;
    private final SipStack stack;
    private final SipProvider provider;
    private final MessageFactory messages = new MessageFactoryImpl();
    private final HeaderFactory headers = new HeaderFactoryImpl();
    private final AddressFactory addresses = new AddressFactoryImpl();
    private final Map<String, Leg> byCallId = new ConcurrentHashMap<>();
    private final Map<Long, Leg> byId = new ConcurrentHashMap<>();
    private final Map<String, Long> issuedNonces = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final ScheduledExecutorService timers;
    private volatile boolean stopping;

    private SipUserAgent(SipSettings settings, Executor callControl, Consumer<SipEvent> sink) throws SipException {
        this.settings = settings;
        this.callControl = callControl;
        this.sink = sink;
        String name = "tandem-sip-" + STACKS.incrementAndGet();
        try {
            this.stack = SipStackFactory.create(settings, name);
            SipProvider p = null;
            for (String transport : settings.transports().stream().sorted().toList()) {
                ListeningPoint lp = stack.createListeningPoint(settings.listenHost(), settings.listenPort(), transport);
                if (p == null) {
                    p = stack.createSipProvider(lp);
                } else {
                    p.addListeningPoint(lp);
                }
            }
            this.provider = p;
            provider.addSipListener(this);
            stack.start();
        } catch (SipException | InvalidArgumentException | java.util.TooManyListenersException e) {
            throw new SipException("cannot start SIP on " + settings.listenHost() + ":" + settings.listenPort()
                    + " " + settings.transports() + ": " + e.getMessage(), e);
        }
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, name + "-timers");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        this.timers = t;
        LOG.info("SIP listening on {}:{} {}", settings.listenHost(), settings.listenPort(), settings.transports());
    }

    /**
     * Starts the SIP side.
     *
     * @param callControl the executor that runs call control (one thread); every event is
     *                    handed to {@code sink} through it
     */
    public static SipUserAgent start(SipSettings settings, Executor callControl, Consumer<SipEvent> sink)
            throws SipException {
        return new SipUserAgent(settings, callControl, sink);
    }

    public SipSettings settings() {
        return settings;
    }

    /** From now on new INVITEs (and OPTIONS) get 503, so peers and load balancers go elsewhere. */
    public void beginShutdown() {
        stopping = true;
        LOG.info("SIP shutting down: new calls refused with 503");
    }

    /** Number of call legs not yet ended. */
    public int activeLegs() {
        return byId.size();
    }

    @Override
    public void close() {
        stopping = true;
        timers.shutdownNow();
        stack.stop();
        LOG.info("SIP stopped");
    }

    // ---------------------------------------------------------------- requests from peers

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        try {
            switch (request.getMethod()) {
                case Request.INVITE -> onInvite(event);
                case Request.ACK -> onAck(request);
                case Request.CANCEL -> onCancel(event);
                case Request.BYE -> onBye(event);
                case Request.OPTIONS -> onOptions(event);
                case Request.UPDATE -> onUpdate(event);
                default -> respondStateless(event, Response.NOT_IMPLEMENTED, null);
            }
        } catch (RuntimeException | SipException | ParseException | InvalidArgumentException e) {
            LOG.warn("failed to handle {} {} (Call-ID {}): {}", request.getMethod(), request.getRequestURI(),
                    callId(request), e.toString(), e);
        }
    }

    private void onOptions(RequestEvent event) throws SipException, ParseException, InvalidArgumentException {
        if (dialogLeg(event.getRequest()) == null && stopping) {
            respondStateless(event, Response.SERVICE_UNAVAILABLE, null);
            return;
        }
        Response r = messages.createResponse(Response.OK, event.getRequest());
        r.addHeader(headers.createAcceptHeader("application", "sdp"));
        addToTag(r, null);
        send(event, r);
    }

    private void onInvite(RequestEvent event) throws SipException, ParseException, InvalidArgumentException {
        Request req = event.getRequest();
        Leg existing = byCallId.get(callId(req));
        if (existing != null && toTag(req) != null) {
            onReinvite(event, existing);
            return;
        }
        if (toTag(req) != null) {
            respondStateless(event, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null);
            return;
        }
        ServerTransaction st = event.getServerTransaction();
        if (st == null) {
            try {
                st = provider.getNewServerTransaction(req);
            } catch (TransactionAlreadyExistsException e) {
                return; // a retransmission racing its original: the transaction answers it
            }
        }
        st.sendResponse(messages.createResponse(Response.TRYING, req)); // RFC 3261 8.2.6.1: at once
        if (stopping) {
            reply(st, req, Response.SERVICE_UNAVAILABLE, null, null);
            return;
        }
        String unsupported = unsupportedRequire(req);
        if (unsupported != null) {
            Response r = messages.createResponse(Response.BAD_EXTENSION, req);
            r.addHeader(headers.createUnsupportedHeader(unsupported));
            addToTag(r, null);
            st.sendResponse(r);
            return;
        }
        InetSocketAddress source = source(req);
        String transport = transport(req);
        // Toll-fraud protection: only a trunk's addresses or an authenticated user reach the PSTN.
        String trunk = trustedTrunk(source.getAddress());
        String user = null;
        if (trunk == null && !(settings.trustLoopback() && source.getAddress().isLoopbackAddress())) {
            if (settings.users().isEmpty()) {
                LOG.warn("403 to INVITE from untrusted source {}:{}/{} for {} (Call-ID {}): not a trusted trunk "
                        + "address and no digest users configured", source.getAddress().getHostAddress(),
                        source.getPort(), transport, req.getRequestURI(), callId(req));
                reply(st, req, Response.FORBIDDEN, null, null);
                return;
            }
            user = authenticate(st, req, source, transport);
            if (user == null) {
                return;
            }
        }
        // RFC 4028 section 9: refuse intervals below our minimum with 422 and our Min-SE.
        SessionTimerHeaders asked = SessionTimerHeaders.parse(headerValue(req, SessionTimerHeaders.SESSION_EXPIRES));
        if (settings.sessionExpiresS() > 0 && asked != null && asked.intervalS() < settings.minSeS()) {
            Response r = messages.createResponse(422, req);
            r.addHeader(headers.createHeader(SessionTimerHeaders.MIN_SE, Integer.toString(settings.minSeS())));
            addToTag(r, null);
            st.sendResponse(r);
            return;
        }
        SessionDescription offer = null;
        if (hasSdp(req)) {
            try {
                offer = SessionDescription.parse(body(req));
            } catch (SdpParseException e) {
                LOG.info("400 to INVITE from {}:{} (Call-ID {}): {}", source.getAddress().getHostAddress(),
                        source.getPort(), callId(req), e.getMessage());
                Response r = messages.createResponse(Response.BAD_REQUEST, req);
                r.setReasonPhrase("Bad SDP");
                r.addHeader(headers.createWarningHeader(settings.listenHost(), 399, e.getMessage()));
                addToTag(r, null);
                st.sendResponse(r);
                return;
            }
        } else if (req.getContentLength() != null && req.getContentLength().getContentLength() > 0) {
            reply(st, req, Response.UNSUPPORTED_MEDIA_TYPE, null, null);
            return;
        }
        if (req.getHeader("Contact") == null) {
            Response r = messages.createResponse(Response.BAD_REQUEST, req);
            r.setReasonPhrase("Missing Contact");
            addToTag(r, null);
            st.sendResponse(r);
            return;
        }
        Leg leg = new Leg(new CallHandle(ids.incrementAndGet(), callId(req), true));
        SipIdentity identity = identity(req);
        String called = userOf(req.getRequestURI());
        synchronized (leg) {
            leg.invite = req;
            leg.inviteTx = st;
            leg.localTag = newTag();
            leg.dialog = provider.getNewDialog(st);
            leg.offerInAnswer = offer == null;
            if (offer != null) {
                leg.remoteSdpVersion = offer.sessionVersion();
            }
            leg.peerSupportsTimer = optionTagPresent(req, "Supported", "timer")
                    || optionTagPresent(req, "Require", "timer");
            leg.session = asked;
            byCallId.put(leg.handle.callId(), leg);
            byId.put(leg.handle.id(), leg);
        }
        emit(new SipEvent.IncomingCall(leg.handle, called, identity, offer, source, transport, trunk, user));
    }

    /** UAS digest authentication (RFC 3261 22.2). Returns the user, or null after answering 401/403. */
    private String authenticate(ServerTransaction st, Request req, InetSocketAddress source, String transport)
            throws SipException, ParseException, InvalidArgumentException {
        Header auth = req.getHeader("Authorization");
        if (auth != null) {
            DigestAuth.Credentials cr;
            try {
                cr = DigestAuth.parseCredentials(headerValue(auth));
            } catch (IllegalArgumentException e) {
                cr = null;
            }
            String name = cr == null ? null : cr.get("username");
            String password = name == null ? null : settings.users().get(name);
            Long issued = cr == null || cr.get("nonce") == null ? null : issuedNonces.get(cr.get("nonce"));
            boolean fresh = issued != null && System.currentTimeMillis() - issued < NONCE_LIFETIME_MS;
            if (password != null && fresh && settings.authRealm().equals(cr.get("realm"))
                    && DigestAuth.verify(cr, Request.INVITE, password)) {
                return name;
            }
            if (password == null || !fresh) {
                if (!fresh && password != null) {
                    challenge(st, req); // stale or unknown nonce: challenge again
                    return null;
                }
            }
            LOG.warn("403 to INVITE from {}:{}/{} for {} (Call-ID {}): digest authentication failed for user {}",
                    source.getAddress().getHostAddress(), source.getPort(), transport, req.getRequestURI(),
                    callId(req), name);
            reply(st, req, Response.FORBIDDEN, null, null);
            return null;
        }
        challenge(st, req);
        return null;
    }

    private void challenge(ServerTransaction st, Request req) throws SipException, ParseException, InvalidArgumentException {
        if (issuedNonces.size() >= MAX_NONCES) {
            long now = System.currentTimeMillis();
            issuedNonces.values().removeIf(t -> now - t > NONCE_LIFETIME_MS);
            if (issuedNonces.size() >= MAX_NONCES) {
                reply(st, req, Response.SERVICE_UNAVAILABLE, null, null);
                return;
            }
        }
        String nonce = DigestAuth.newNonce();
        issuedNonces.put(nonce, System.currentTimeMillis());
        Response r = messages.createResponse(Response.UNAUTHORIZED, req);
        r.addHeader(headers.createHeader("WWW-Authenticate", DigestAuth.challenge(settings.authRealm(), nonce, "MD5")));
        addToTag(r, null);
        st.sendResponse(r);
    }

    private void onReinvite(RequestEvent event, Leg leg) throws SipException, ParseException, InvalidArgumentException {
        Request req = event.getRequest();
        ServerTransaction st = event.getServerTransaction();
        if (st == null) {
            try {
                st = provider.getNewServerTransaction(req);
            } catch (TransactionAlreadyExistsException e) {
                return;
            }
        }
        SessionDescription offer = null;
        if (hasSdp(req)) {
            try {
                offer = SessionDescription.parse(body(req));
            } catch (SdpParseException e) {
                reply(st, req, Response.BAD_REQUEST, null, leg);
                return;
            }
        }
        synchronized (leg) {
            if (leg.state != State.CONFIRMED || leg.reofferTx != null) {
                // RFC 3261 14.2: 491 while our own offer/answer is in progress, 500 w/ Retry-After if theirs
                reply(st, req, leg.state == State.CONFIRMED ? Response.SERVER_INTERNAL_ERROR : 491, null, leg);
                return;
            }
            updateSessionFromRequest(leg, req);
            if (offer == null || offer.sessionVersion() == leg.remoteSdpVersion) {
                // A session refresh (RFC 4028) or an offerless re-INVITE: repeat our current SDP.
                answerInDialog(st, req, leg, leg.localSdp);
                return;
            }
            leg.reofferTx = st;
            leg.reofferRequest = req;
            leg.remoteSdpVersion = offer.sessionVersion();
        }
        emit(new SipEvent.Reoffer(leg.handle, offer));
    }

    private void onUpdate(RequestEvent event) throws SipException, ParseException, InvalidArgumentException {
        Request req = event.getRequest();
        Leg leg = dialogLeg(req);
        ServerTransaction st = event.getServerTransaction();
        if (st == null) {
            st = provider.getNewServerTransaction(req);
        }
        if (leg == null) {
            reply(st, req, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, null);
            return;
        }
        SessionDescription offer = null;
        if (hasSdp(req)) {
            try {
                offer = SessionDescription.parse(body(req));
            } catch (SdpParseException e) {
                reply(st, req, Response.BAD_REQUEST, null, leg);
                return;
            }
        }
        synchronized (leg) {
            if (leg.state == State.ENDED || leg.reofferTx != null) {
                reply(st, req, leg.state == State.ENDED ? Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST : 491, null, leg);
                return;
            }
            updateSessionFromRequest(leg, req);
            if (offer == null || offer.sessionVersion() == leg.remoteSdpVersion) {
                answerInDialog(st, req, leg, offer == null ? null : leg.localSdp);
                return;
            }
            leg.reofferTx = st;
            leg.reofferRequest = req;
            leg.remoteSdpVersion = offer.sessionVersion();
        }
        emit(new SipEvent.Reoffer(leg.handle, offer));
    }

    private void onAck(Request ack) {
        Leg leg = byCallId.get(callId(ack));
        if (leg == null) {
            return;
        }
        SessionDescription answer = null;
        boolean report;
        synchronized (leg) {
            if (leg.state != State.ANSWERED) {
                return; // ACK for a re-INVITE's 2xx, or a retransmission
            }
            leg.state = State.CONFIRMED;
            report = !leg.hungUp;
            if (leg.offerInAnswer && hasSdp(ack)) {
                try {
                    answer = SessionDescription.parse(body(ack));
                    leg.remoteSdpVersion = answer.sessionVersion();
                } catch (SdpParseException e) {
                    LOG.info("unreadable SDP answer in ACK for {}: {}", leg.handle, e.getMessage());
                }
            }
        }
        if (report) {
            emit(new SipEvent.Acked(leg.handle, answer));
        }
    }

    private void onCancel(RequestEvent event) throws SipException, ParseException, InvalidArgumentException {
        Request cancel = event.getRequest();
        ServerTransaction st = event.getServerTransaction();
        if (st == null) {
            st = provider.getNewServerTransaction(cancel);
        }
        Leg leg = byCallId.get(callId(cancel));
        if (leg == null || !leg.handle.inbound()) {
            st.sendResponse(messages.createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, cancel));
            return;
        }
        Reason reason = reasonOf(cancel);
        boolean report;
        synchronized (leg) {
            st.sendResponse(messages.createResponse(Response.OK, cancel)); // RFC 3261 9.2
            if (leg.state != State.EARLY) {
                return; // already answered or refused: the CANCEL has no effect
            }
            reply(leg.inviteTx, leg.invite, Response.REQUEST_TERMINATED, null, leg);
            report = !leg.hungUp;
            end(leg);
        }
        if (report) {
            emit(new SipEvent.Cancelled(leg.handle, reason));
        }
    }

    private void onBye(RequestEvent event) throws SipException, ParseException, InvalidArgumentException {
        Request bye = event.getRequest();
        ServerTransaction st = event.getServerTransaction();
        if (st == null) {
            st = provider.getNewServerTransaction(bye);
        }
        Leg leg = dialogLeg(bye);
        if (leg == null) {
            st.sendResponse(messages.createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, bye));
            return;
        }
        boolean report;
        synchronized (leg) {
            st.sendResponse(messages.createResponse(Response.OK, bye));
            if (leg.state == State.ENDED) {
                return;
            }
            if (leg.reofferTx != null) {
                reply(leg.reofferTx, leg.reofferRequest, Response.REQUEST_TERMINATED, null, leg);
            }
            report = !leg.hungUp;
            end(leg);
        }
        if (report) {
            emit(new SipEvent.RemoteHangup(leg.handle, reasonOf(bye)));
        }
    }

    // ---------------------------------------------------------------- responses to our requests

    @Override
    public void processResponse(ResponseEvent event) {
        Response response = event.getResponse();
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        Leg leg = byCallId.get(callId(response));
        if (leg == null || cseq == null) {
            return;
        }
        try {
            if (Request.INVITE.equals(cseq.getMethod())) {
                onInviteResponse(event, leg, response, cseq);
            }
            // BYE/CANCEL/UPDATE responses need nothing: the call is already over or unchanged.
        } catch (RuntimeException | SipException | ParseException | InvalidArgumentException e) {
            LOG.warn("failed to handle {} to {} for {}: {}", response.getStatusCode(), cseq.getMethod(),
                    leg.handle, e.toString(), e);
        }
    }

    private void onInviteResponse(ResponseEvent event, Leg leg, Response response, CSeqHeader cseq)
            throws SipException, ParseException, InvalidArgumentException {
        int status = response.getStatusCode();
        SipEvent report = null;
        synchronized (leg) {
            boolean initial = leg.state == State.EARLY && !leg.handle.inbound();
            if (!initial) {
                onRefreshResponse(event, leg, response, cseq);
                return;
            }
            if (status < 200) {
                if (status == Response.TRYING) {
                    return;
                }
                leg.provisionalReceived = true;
                if (leg.cancelPending) {
                    sendCancel(leg);
                    return;
                }
                if (!leg.hungUp) {
                    report = new SipEvent.Provisional(leg.handle, status, sdpOrNull(response, leg));
                }
            } else if (status < 300) {
                Dialog dialog = event.getDialog() != null ? event.getDialog() : leg.dialog;
                leg.dialog = dialog;
                Request ack = dialog.createAck(cseq.getSeqNumber());
                dialog.sendAck(ack);
                leg.state = State.CONFIRMED;
                SessionDescription answer = sdpOrNull(response, leg);
                if (answer != null) {
                    leg.remoteSdpVersion = answer.sessionVersion();
                }
                if (leg.hungUp) {
                    sendBye(leg, leg.cancelReason); // the 200 crossed our CANCEL (RFC 3261 9.1)
                    return;
                }
                SessionTimerHeaders se = SessionTimerHeaders.parse(headerValue(response, SessionTimerHeaders.SESSION_EXPIRES));
                if (settings.sessionExpiresS() > 0) {
                    // RFC 4028 7.2: no Session-Expires in the 2xx means the UAS does not do timers;
                    // we (the UAC) may still refresh on our own.
                    leg.session = se != null ? se : new SessionTimerHeaders(settings.sessionExpiresS(), "uac");
                    leg.weRefresh = !"uas".equals(leg.session.refresher());
                    armSessionTimer(leg);
                }
                report = new SipEvent.Answered(leg.handle, answer);
            } else if ((status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED)
                    && !leg.hungUp && leg.spec.trunk() != null && leg.spec.trunk().hasCredentials()
                    && leg.authAttempts < MAX_AUTH_ATTEMPTS) {
                leg.authAttempts++;
                resendWithCredentials(leg, response, status);
                return;
            } else if (status == 422 && !leg.hungUp && leg.authAttempts < MAX_AUTH_ATTEMPTS) {
                leg.authAttempts++;
                int minSe = SessionTimerHeaders.parseMinSe(headerValue(response, SessionTimerHeaders.MIN_SE), -1);
                if (minSe > 0) {
                    // RFC 4028 7.4: retry with a Session-Expires of at least the Min-SE asked for;
                    // an interval of ours already above it is kept.
                    Request retry = nextInvite(leg);
                    int interval = Math.max(minSe, settings.sessionExpiresS());
                    retry.setHeader(headers.createHeader(SessionTimerHeaders.SESSION_EXPIRES, Integer.toString(interval)));
                    retry.setHeader(headers.createHeader(SessionTimerHeaders.MIN_SE, Integer.toString(minSe)));
                    sendInvite(leg, retry);
                    return;
                }
                end(leg);
                report = new SipEvent.Rejected(leg.handle, status, reasonOf(response));
            } else {
                end(leg);
                if (!leg.hungUp) {
                    report = new SipEvent.Rejected(leg.handle, status, reasonOf(response));
                }
            }
        }
        if (report != null) {
            emit(report);
        }
    }

    /** Response to our session-refresh re-INVITE (leg monitor held). */
    private void onRefreshResponse(ResponseEvent event, Leg leg, Response response, CSeqHeader cseq)
            throws SipException, InvalidArgumentException {
        int status = response.getStatusCode();
        if (status < 200 || leg.state == State.ENDED) {
            if (status >= 200 && status < 300 && leg.dialog != null) {
                leg.dialog.sendAck(leg.dialog.createAck(cseq.getSeqNumber())); // late 2xx: still ACK it
            }
            return;
        }
        if (status < 300) {
            leg.dialog.sendAck(leg.dialog.createAck(cseq.getSeqNumber()));
            SessionTimerHeaders se = SessionTimerHeaders.parse(headerValue(response, SessionTimerHeaders.SESSION_EXPIRES));
            if (se != null) {
                leg.session = se;
                leg.weRefresh = !"uas".equals(se.refresher());
            }
            armSessionTimer(leg);
        } else if (status == 491) {
            armSessionTimer(leg); // glare: try again at the next refresh point
        } else {
            LOG.info("session refresh for {} failed with {}: releasing", leg.handle, status);
            expire(leg);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (event.isServerTransaction()) {
            return; // no ACK for our non-2xx (Timer H): nothing to do
        }
        ClientTransaction ct = event.getClientTransaction();
        Request req = ct.getRequest();
        Leg leg = byCallId.get(callId(req));
        if (leg == null || !Request.INVITE.equals(req.getMethod())) {
            return;
        }
        boolean report = false;
        synchronized (leg) {
            if (leg.state == State.EARLY && !leg.handle.inbound()) {
                end(leg);
                report = !leg.hungUp;
            } else if (leg.state == State.CONFIRMED) {
                LOG.info("session refresh for {} timed out: releasing", leg.handle);
                expire(leg);
            }
        }
        if (report) {
            emit(new SipEvent.TransactionTimeout(leg.handle, Request.INVITE));
        }
    }

    @Override
    public void processDialogTimeout(DialogTimeoutEvent event) {
        Dialog dialog = event.getDialog();
        Leg leg = dialog == null ? null : byCallId.get(dialog.getCallId().getCallId());
        if (leg == null) {
            return;
        }
        boolean report;
        synchronized (leg) {
            if (leg.state == State.ENDED) {
                return;
            }
            LOG.info("no ACK for our 2xx on {} ({}): releasing", leg.handle, event.getReason());
            sendBye(leg, Reason.q850(102));
            report = !leg.hungUp;
        }
        if (report) {
            emit(new SipEvent.TransactionTimeout(leg.handle, Request.ACK));
        }
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
        if (status != Response.RINGING && status != Response.SESSION_PROGRESS) {
            throw new IllegalArgumentException("progress status must be 180 or 183, not " + status);
        }
        command(call, "progress", leg -> {
            if (!leg.handle.inbound() || leg.state != State.EARLY) {
                return;
            }
            Response r = response(leg, status, sdp);
            leg.inviteTx.sendResponse(r);
            if (sdp != null) {
                leg.localSdp = sdp;
            }
        });
    }

    @Override
    public void answer(CallHandle call, SessionDescription sdp) {
        command(call, "answer", leg -> {
            if (!leg.handle.inbound() || leg.state != State.EARLY) {
                return;
            }
            Response r = response(leg, Response.OK, sdp);
            addSessionTimerToAnswer(leg, r);
            leg.localSdp = sdp;
            leg.state = State.ANSWERED;
            leg.inviteTx.sendResponse(r);
            armSessionTimer(leg);
        });
    }

    @Override
    public void reject(CallHandle call, int status, Reason reason) {
        if (status < 300 || status > 699) {
            throw new IllegalArgumentException("reject status must be 300..699, not " + status);
        }
        command(call, "reject", leg -> {
            if (!leg.handle.inbound() || leg.state != State.EARLY) {
                return;
            }
            leg.hungUp = true;
            reply(leg.inviteTx, leg.invite, status, reason, leg);
            end(leg);
        });
    }

    @Override
    public void hangup(CallHandle call, Reason reason) {
        command(call, "hangup", leg -> {
            if (leg.state == State.ENDED) {
                return;
            }
            leg.hungUp = true;
            if (leg.state == State.EARLY) {
                if (leg.handle.inbound()) {
                    reply(leg.inviteTx, leg.invite, Response.TEMPORARILY_UNAVAILABLE, reason, leg);
                    end(leg);
                } else {
                    leg.cancelReason = reason;
                    if (leg.provisionalReceived) {
                        sendCancel(leg);
                    } else {
                        leg.cancelPending = true; // RFC 3261 9.1: wait for a provisional
                    }
                }
                return;
            }
            if (leg.reofferTx != null) {
                reply(leg.reofferTx, leg.reofferRequest, Response.REQUEST_TERMINATED, null, leg);
            }
            sendBye(leg, reason);
        });
    }

    @Override
    public CallHandle invite(OutboundInvite spec) {
        if (stopping) {
            throw new IllegalStateException("SIP side is shutting down: no new calls");
        }
        CallHandle handle;
        Leg leg;
        try {
            String callId = provider.getNewCallId().getCallId();
            handle = new CallHandle(ids.incrementAndGet(), callId, false);
            leg = new Leg(handle);
            synchronized (leg) {
                leg.spec = spec;
                leg.localTag = newTag();
                leg.localSdp = spec.offer();
                Request req = buildInvite(spec, callId, leg.localTag);
                byCallId.put(callId, leg);
                byId.put(handle.id(), leg);
                sendInvite(leg, req);
            }
        } catch (SipException | ParseException | InvalidArgumentException | RuntimeException e) {
            throw new IllegalStateException("cannot send INVITE to sip:" + spec.calledUser() + "@" + spec.host()
                    + ":" + spec.port() + ";transport=" + spec.transport() + ": " + e.getMessage(), e);
        }
        return handle;
    }

    @Override
    public void answerReoffer(CallHandle call, SessionDescription answer) {
        command(call, "answerReoffer", leg -> {
            if (leg.reofferTx == null) {
                return;
            }
            ServerTransaction st = leg.reofferTx;
            Request req = leg.reofferRequest;
            leg.reofferTx = null;
            leg.reofferRequest = null;
            leg.localSdp = answer;
            answerInDialog(st, req, leg, answer);
        });
    }

    @Override
    public void rejectReoffer(CallHandle call, int status) {
        command(call, "rejectReoffer", leg -> {
            if (leg.reofferTx == null) {
                return;
            }
            reply(leg.reofferTx, leg.reofferRequest, status, null, leg);
            leg.reofferTx = null;
            leg.reofferRequest = null;
        });
    }

    private interface LegAction {
        void run(Leg leg) throws SipException, ParseException, InvalidArgumentException;
    }

    private void command(CallHandle call, String what, LegAction action) {
        Leg leg = byId.get(call.id());
        if (leg == null) {
            LOG.debug("{} for ended call {} ignored", what, call);
            return;
        }
        synchronized (leg) {
            try {
                action.run(leg);
            } catch (SipException | ParseException | InvalidArgumentException | RuntimeException e) {
                LOG.warn("{} on {} failed: {}", what, call, e.toString(), e);
            }
        }
    }

    // ---------------------------------------------------------------- session timers (RFC 4028)

    private void updateSessionFromRequest(Leg leg, Request req) {
        SessionTimerHeaders se = SessionTimerHeaders.parse(headerValue(req, SessionTimerHeaders.SESSION_EXPIRES));
        if (se != null && settings.sessionExpiresS() > 0) {
            leg.session = se;
        }
    }

    /** Adds Session-Expires/Require to our 2xx to an INVITE or UPDATE and decides who refreshes. */
    private void addSessionTimerToAnswer(Leg leg, Response r) throws ParseException {
        if (settings.sessionExpiresS() == 0) {
            leg.session = null;
            return;
        }
        SessionTimerHeaders asked = leg.session;
        int interval = asked == null ? settings.sessionExpiresS() : Math.min(asked.intervalS(), settings.sessionExpiresS());
        interval = Math.max(interval, settings.minSeS());
        String refresher;
        if (asked != null && asked.refresher() != null) {
            refresher = asked.refresher();
        } else {
            refresher = leg.peerSupportsTimer ? "uac" : "uas";
        }
        if (!leg.peerSupportsTimer) {
            refresher = "uas"; // a peer without timer support cannot be made to refresh (RFC 4028 9)
        }
        leg.session = new SessionTimerHeaders(interval, refresher);
        // In a dialog we answered, the peer is the UAC of every request it sends us.
        leg.weRefresh = leg.handle.inbound() ? "uas".equals(refresher) : "uac".equals(refresher);
        if (leg.peerSupportsTimer || asked != null) {
            r.setHeader(headers.createHeader(SessionTimerHeaders.SESSION_EXPIRES, leg.session.encode()));
        }
        if (leg.peerSupportsTimer) {
            r.setHeader(headers.createHeader("Require", "timer"));
        }
    }

    /** (Re)starts the session timer for the negotiated interval (leg monitor held). */
    private void armSessionTimer(Leg leg) {
        if (leg.sessionTimer != null) {
            leg.sessionTimer.cancel(false);
            leg.sessionTimer = null;
        }
        if (leg.session == null || leg.state == State.ENDED) {
            return;
        }
        long delayMs = leg.weRefresh ? leg.session.refreshDelayMs() : leg.session.expiryDelayMs();
        boolean refresh = leg.weRefresh;
        leg.sessionTimer = timers.schedule(() -> onSessionTimer(leg, refresh), delayMs, TimeUnit.MILLISECONDS);
    }

    private void onSessionTimer(Leg leg, boolean refresh) {
        synchronized (leg) {
            if (leg.state == State.ENDED) {
                return;
            }
            if (!refresh) {
                LOG.info("session timer expired on {} ({} s without refresh): releasing", leg.handle,
                        leg.session.intervalS());
                expire(leg);
                return;
            }
            try {
                if (leg.state != State.CONFIRMED || leg.reofferTx != null) {
                    armSessionTimer(leg); // mid offer/answer: try at the next point
                    return;
                }
                Request reinvite = leg.dialog.createRequest(Request.INVITE);
                reinvite.setHeader(headers.createHeader(SessionTimerHeaders.SESSION_EXPIRES,
                        new SessionTimerHeaders(leg.session.intervalS(), "uac").encode()));
                reinvite.setHeader(headers.createHeader("Supported", "timer"));
                reinvite.setHeader(contact(transportOf(leg)));
                if (leg.localSdp != null) {
                    reinvite.setContent(leg.localSdp.encode(), headers.createContentTypeHeader("application", "sdp"));
                }
                ClientTransaction ct = provider.getNewClientTransaction(reinvite);
                leg.dialog.sendRequest(ct);
                // the timer is re-armed by the response; if none comes, processTimeout releases
            } catch (SipException | ParseException | RuntimeException e) {
                LOG.warn("session refresh on {} could not be sent ({}): releasing", leg.handle, e.toString());
                expire(leg);
            }
        }
    }

    /** Releases a call whose session died: BYE, then SessionExpired (leg monitor held). */
    private void expire(Leg leg) {
        boolean report = !leg.hungUp;
        sendBye(leg, Reason.q850(102));
        if (report) {
            emit(new SipEvent.SessionExpired(leg.handle));
        }
    }

    // ---------------------------------------------------------------- sending

    private Request buildInvite(OutboundInvite spec, String callId, String fromTag)
            throws ParseException, InvalidArgumentException {
        SipURI target = addresses.createSipURI(spec.calledUser(), spec.host());
        target.setPort(spec.port());
        if ("tcp".equals(spec.transport())) {
            target.setTransportParam("tcp");
        }
        SipIdentity id = spec.identity();
        SipURI fromUri = id.isAnonymousFrom()
                ? addresses.createSipURI(SipIdentity.ANONYMOUS_USER, SipIdentity.ANONYMOUS_HOST)
                : addresses.createSipURI(id.fromUser(), settings.listenHost());
        Address from = addresses.createAddress(fromUri);
        if (id.fromDisplayName() != null) {
            from.setDisplayName(id.fromDisplayName());
        }
        Address to = addresses.createAddress(addresses.createSipURI(spec.calledUser(), spec.host()));
        List<ViaHeader> via = new ArrayList<>();
        via.add(headers.createViaHeader(settings.listenHost(), settings.listenPort(), spec.transport(), null));
        Request req = messages.createRequest(target, Request.INVITE, headers.createCallIdHeader(callId),
                headers.createCSeqHeader(1L, Request.INVITE), headers.createFromHeader(from, fromTag),
                headers.createToHeader(to, null), via, headers.createMaxForwardsHeader(70),
                headers.createContentTypeHeader("application", "sdp"), spec.offer().encode());
        req.addHeader(contact(spec.transport()));
        if (id.assertedUser() != null) {
            SipURI pai = addresses.createSipURI(id.assertedUser(), settings.listenHost());
            pai.setUserParam("phone");
            String display = id.assertedDisplayName() == null ? "" : "\"" + id.assertedDisplayName() + "\" ";
            req.addHeader(headers.createHeader(SipIdentity.PAI_HEADER, display + "<" + pai + ">"));
        }
        if (id.privacyId()) {
            req.addHeader(headers.createHeader(SipIdentity.PRIVACY_HEADER, "id"));
        }
        addAllow(req);
        req.addHeader(headers.createHeader("Supported", "timer"));
        if (settings.sessionExpiresS() > 0) {
            req.addHeader(headers.createHeader(SessionTimerHeaders.SESSION_EXPIRES, Integer.toString(settings.sessionExpiresS())));
            req.addHeader(headers.createHeader(SessionTimerHeaders.MIN_SE, Integer.toString(settings.minSeS())));
        }
        req.addHeader(headers.createHeader("User-Agent", settings.userAgent()));
        return req;
    }

    private void sendInvite(Leg leg, Request req) throws SipException {
        ClientTransaction ct = provider.getNewClientTransaction(req);
        leg.invite = req;
        leg.clientTx = ct;
        leg.provisionalReceived = false;
        leg.dialog = provider.getNewDialog(ct);
        ct.sendRequest();
    }

    /** A copy of our INVITE with the next CSeq and a fresh branch, for a retry after 401/407/422. */
    private Request nextInvite(Leg leg) throws InvalidArgumentException {
        Request retry = (Request) leg.invite.clone();
        CSeqHeader cseq = (CSeqHeader) retry.getHeader(CSeqHeader.NAME);
        cseq.setSeqNumber(cseq.getSeqNumber() + 1);
        ViaHeader via = (ViaHeader) retry.getHeader(ViaHeader.NAME);
        via.removeParameter("branch");
        return retry;
    }

    private void resendWithCredentials(Leg leg, Response challenge, int status)
            throws SipException, ParseException, InvalidArgumentException {
        boolean proxy = status == Response.PROXY_AUTHENTICATION_REQUIRED;
        Header h = challenge.getHeader(proxy ? "Proxy-Authenticate" : "WWW-Authenticate");
        DigestAuth.Challenge c;
        try {
            c = DigestAuth.parseChallenge(headerValue(h));
        } catch (RuntimeException e) {
            c = null;
        }
        if (c == null || !DigestAuth.isSupported(c.algorithm())) {
            LOG.warn("{} to INVITE {} with a challenge we cannot answer: {}", status, leg.handle, h);
            end(leg);
            emit(new SipEvent.Rejected(leg.handle, status, null));
            return;
        }
        SipTrunk trunk = leg.spec.trunk();
        Request retry = nextInvite(leg);
        String uri = retry.getRequestURI().toString();
        String value = DigestAuth.authorize(c, Request.INVITE, uri, trunk.username(), trunk.password(), 1);
        retry.removeHeader("Authorization");
        retry.removeHeader("Proxy-Authorization");
        retry.setHeader(headers.createHeader(proxy ? "Proxy-Authorization" : "Authorization", value));
        LOG.debug("answering {} challenge of realm {} for {} as {}", status, c.realm(), leg.handle, trunk.username());
        sendInvite(leg, retry);
    }

    private void sendCancel(Leg leg) throws SipException {
        leg.cancelPending = false;
        Request cancel = leg.clientTx.createCancel();
        if (leg.cancelReason != null) {
            try {
                cancel.addHeader(headers.createHeader(Reason.HEADER, leg.cancelReason.toHeaderValue()));
            } catch (ParseException e) {
                LOG.debug("Reason {} not added to CANCEL: {}", leg.cancelReason, e.getMessage());
            }
        }
        provider.getNewClientTransaction(cancel).sendRequest();
    }

    /** BYE on an established dialog and end the leg (leg monitor held). Failures are logged. */
    private void sendBye(Leg leg, Reason reason) {
        try {
            if (leg.dialog != null && leg.state != State.EARLY && leg.state != State.ENDED) {
                Request bye = leg.dialog.createRequest(Request.BYE);
                if (reason != null) {
                    bye.addHeader(headers.createHeader(Reason.HEADER, reason.toHeaderValue()));
                }
                ClientTransaction ct = provider.getNewClientTransaction(bye);
                leg.dialog.sendRequest(ct);
            }
        } catch (SipException | ParseException | RuntimeException e) {
            LOG.warn("BYE for {} could not be sent: {}", leg.handle, e.toString());
        } finally {
            end(leg);
        }
    }

    private void end(Leg leg) {
        leg.state = State.ENDED;
        if (leg.sessionTimer != null) {
            leg.sessionTimer.cancel(false);
            leg.sessionTimer = null;
        }
        byId.remove(leg.handle.id());
        byCallId.remove(leg.handle.callId(), leg);
    }

    private void answerInDialog(ServerTransaction st, Request req, Leg leg, SessionDescription sdp)
            throws SipException, ParseException, InvalidArgumentException {
        Response r = messages.createResponse(Response.OK, req);
        addToTag(r, leg);
        r.addHeader(contact(transport(req)));
        if (sdp != null) {
            r.setContent(sdp.encode(), headers.createContentTypeHeader("application", "sdp"));
        }
        leg.peerSupportsTimer |= optionTagPresent(req, "Supported", "timer");
        addSessionTimerToAnswer(leg, r);
        st.sendResponse(r);
        armSessionTimer(leg);
    }

    private Response response(Leg leg, int status, SessionDescription sdp) throws ParseException {
        Response r = messages.createResponse(status, leg.invite);
        addToTag(r, leg);
        r.addHeader(contact(transport(leg.invite)));
        addAllow(r);
        r.setHeader(headers.createHeader("Supported", "timer")); // set: never "timer,timer"
        if (sdp != null) {
            r.setContent(sdp.encode(), headers.createContentTypeHeader("application", "sdp"));
        }
        return r;
    }

    /** A final response on a server transaction, with our To tag and an optional Reason. */
    private void reply(ServerTransaction st, Request req, int status, Reason reason, Leg leg)
            throws SipException, ParseException, InvalidArgumentException {
        Response r = messages.createResponse(status, req);
        addToTag(r, leg);
        if (reason != null) {
            r.addHeader(headers.createHeader(Reason.HEADER, reason.toHeaderValue()));
        }
        if (status == Response.SERVICE_UNAVAILABLE && stopping) {
            r.addHeader(headers.createRetryAfterHeader(60));
        }
        st.sendResponse(r);
    }

    private void respondStateless(RequestEvent event, int status, Reason reason)
            throws SipException, ParseException, InvalidArgumentException {
        Request req = event.getRequest();
        Response r = messages.createResponse(status, req);
        addToTag(r, null);
        if (status == Response.NOT_IMPLEMENTED || status == Response.METHOD_NOT_ALLOWED) {
            addAllow(r);
        }
        send(event, r);
    }

    private void send(RequestEvent event, Response r) throws SipException, InvalidArgumentException {
        ServerTransaction st = event.getServerTransaction();
        if (st != null) {
            st.sendResponse(r);
        } else {
            try {
                provider.getNewServerTransaction(event.getRequest()).sendResponse(r);
            } catch (TransactionAlreadyExistsException e) {
                // a retransmission: the existing transaction repeats its response
            }
        }
    }

    private void addToTag(Response r, Leg leg) throws ParseException {
        ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
        if (to.getTag() == null) {
            to.setTag(leg != null ? leg.localTag : newTag());
        }
        if (r.getHeader("Allow") == null && r.getStatusCode() == Response.OK) {
            addAllow(r);
            r.setHeader(headers.createHeader("Supported", "timer"));
        }
        if (r.getHeader("Server") == null) {
            r.addHeader(headers.createHeader("Server", settings.userAgent()));
        }
    }

    /** Allow: one header per method (the RI refuses a comma list in createHeader). */
    private void addAllow(Message m) throws ParseException {
        for (String method : ALLOW) {
            m.addHeader(headers.createAllowHeader(method));
        }
    }

    private Header contact(String transport) throws ParseException {
        SipURI uri = addresses.createSipURI(null, settings.listenHost());
        uri.setPort(settings.listenPort());
        if ("tcp".equals(transport)) {
            uri.setTransportParam("tcp");
        }
        return headers.createContactHeader(addresses.createAddress(uri));
    }

    private String transportOf(Leg leg) {
        return leg.handle.inbound() ? transport(leg.invite) : leg.spec.transport();
    }

    // ---------------------------------------------------------------- helpers

    private void emit(SipEvent event) {
        try {
            callControl.execute(() -> sink.accept(event));
        } catch (RuntimeException e) {
            LOG.error("call control refused SIP event {}: {}", event, e.toString());
        }
    }

    private Leg dialogLeg(Request req) {
        Leg leg = byCallId.get(callId(req));
        return leg != null && toTag(req) != null ? leg : null;
    }

    private String trustedTrunk(InetAddress address) {
        for (SipTrunk t : settings.trunks()) {
            if (t.trustedSource() != null && t.trustedSource().test(address)) {
                return t.name();
            }
        }
        return null;
    }

    private static String unsupportedRequire(Request req) {
        ListIterator<?> it = req.getHeaders("Require");
        while (it.hasNext()) {
            for (String tag : headerValue((Header) it.next()).split(",")) {
                String t = tag.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty() && !t.equals("timer")) {
                    return t;
                }
            }
        }
        return null;
    }

    private static boolean optionTagPresent(Message m, String header, String tag) {
        ListIterator<?> it = m.getHeaders(header);
        while (it.hasNext()) {
            for (String t : headerValue((Header) it.next()).split(",")) {
                if (t.trim().equalsIgnoreCase(tag)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static SipIdentity identity(Request req) {
        FromHeader from = (FromHeader) req.getHeader(FromHeader.NAME);
        String fromUser = userOf(from.getAddress().getURI());
        String display = from.getAddress().getDisplayName();
        String paiUser = null;
        String paiDisplay = null;
        Header pai = req.getHeader(SipIdentity.PAI_HEADER);
        if (pai != null) {
            String v = headerValue(pai);
            int lt = v.indexOf('<');
            int gt = v.indexOf('>', lt + 1);
            String uri = lt >= 0 && gt > lt ? v.substring(lt + 1, gt) : v.trim();
            if (lt > 0) {
                paiDisplay = v.substring(0, lt).trim().replace("\"", "");
                paiDisplay = paiDisplay.isEmpty() ? null : paiDisplay;
            }
            paiUser = uriUser(uri);
        }
        boolean privacyId = false;
        ListIterator<?> it = req.getHeaders(SipIdentity.PRIVACY_HEADER);
        while (it.hasNext()) {
            for (String p : headerValue((Header) it.next()).split(";")) {
                String t = p.trim().toLowerCase(Locale.ROOT);
                privacyId |= t.equals("id") || t.equals("user") || t.equals("header");
            }
        }
        return new SipIdentity(fromUser, display, paiUser, paiDisplay, privacyId);
    }

    /** The user part of "sip:user@host", "sips:..." or the number of "tel:+123;..." */
    static String uriUser(String uri) {
        String u = uri.trim();
        if (u.regionMatches(true, 0, "tel:", 0, 4)) {
            String n = u.substring(4);
            int semi = n.indexOf(';');
            return semi < 0 ? n : n.substring(0, semi);
        }
        int colon = u.indexOf(':');
        int at = u.indexOf('@');
        if (colon < 0 || at < colon) {
            return null;
        }
        String user = u.substring(colon + 1, at);
        int semi = user.indexOf(';');
        return semi < 0 ? user : user.substring(0, semi);
    }

    private static String userOf(javax.sip.address.URI uri) {
        if (uri instanceof SipURI s) {
            return s.getUser();
        }
        return uriUser(uri.toString());
    }

    private static InetSocketAddress source(Request req) {
        SIPRequest r = (SIPRequest) req;
        InetAddress a = r.getPeerPacketSourceAddress() != null ? r.getPeerPacketSourceAddress() : r.getRemoteAddress();
        int port = r.getPeerPacketSourcePort() > 0 ? r.getPeerPacketSourcePort() : r.getRemotePort();
        return new InetSocketAddress(a, port);
    }

    private static String transport(Request req) {
        ViaHeader via = (ViaHeader) req.getHeader(ViaHeader.NAME);
        return via == null ? "udp" : via.getTransport().toLowerCase(Locale.ROOT);
    }

    private static String callId(Message m) {
        CallIdHeader h = (CallIdHeader) m.getHeader(CallIdHeader.NAME);
        return h == null ? "" : h.getCallId();
    }

    private static String toTag(Request req) {
        ToHeader to = (ToHeader) req.getHeader(ToHeader.NAME);
        return to == null ? null : to.getTag();
    }

    private static boolean hasSdp(Message m) {
        ContentTypeHeader ct = (ContentTypeHeader) m.getHeader(ContentTypeHeader.NAME);
        return ct != null && m.getRawContent() != null && m.getRawContent().length > 0
                && "application".equalsIgnoreCase(ct.getContentType()) && "sdp".equalsIgnoreCase(ct.getContentSubType());
    }

    private static String body(Message m) {
        return new String(m.getRawContent(), StandardCharsets.UTF_8);
    }

    private SessionDescription sdpOrNull(Message m, Leg leg) {
        if (!hasSdp(m)) {
            return null;
        }
        try {
            return SessionDescription.parse(body(m));
        } catch (SdpParseException e) {
            LOG.info("unreadable SDP from peer on {}: {}", leg.handle, e.getMessage());
            return null;
        }
    }

    private static Reason reasonOf(Message m) {
        Header h = m.getHeader(Reason.HEADER);
        return h == null ? null : Reason.firstQ850(headerValue(h)).orElse(null);
    }

    private static String headerValue(Message m, String name) {
        Header h = m.getHeader(name);
        return h == null ? null : headerValue(h);
    }

    /** A header's value without "Name:" and line end, whatever class the RI parsed it into. */
    static String headerValue(Header h) {
        if (h instanceof SIPHeader s) {
            return s.getHeaderValue().trim();
        }
        String text = h.toString();
        int colon = text.indexOf(':');
        return (colon < 0 ? text : text.substring(colon + 1)).trim();
    }

    private static String newTag() {
        return Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }
}
