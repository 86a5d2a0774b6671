package org.tandem.gateway.sip;

import static org.tandem.gateway.sip.stack.SipMessages.body;
import static org.tandem.gateway.sip.stack.SipMessages.callId;
import static org.tandem.gateway.sip.stack.SipMessages.hasSdp;
import static org.tandem.gateway.sip.stack.SipMessages.headerValue;
import static org.tandem.gateway.sip.stack.SipMessages.newTag;
import static org.tandem.gateway.sip.stack.SipMessages.optionTagPresent;
import static org.tandem.gateway.sip.stack.SipMessages.reasonOf;
import static org.tandem.gateway.sip.stack.SipMessages.toTag;

import gov.nist.javax.sip.stack.SIPDialog;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.InvalidArgumentException;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.RSeqHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.interwork.DigestAuth;
import org.tandem.gateway.interwork.Reason;
import org.tandem.gateway.interwork.Redirection;
import org.tandem.gateway.interwork.RedirectionMapper;
import org.tandem.gateway.interwork.SipIdentity;
import org.tandem.gateway.sdp.SdpParseException;
import org.tandem.gateway.sdp.SessionDescription;
import org.tandem.gateway.sip.stack.SipResponder;

/**
 * The INVITE client side (UAC) of outbound calls: builds and sends our INVITE
 * ({@link SipSide#invite}), follows its responses (provisional, 2xx and its ACK, 401/407 answered
 * once more with the trunk's credentials, 422 retried with the asked Min-SE, rejection), sends
 * CANCEL once a provisional allows it, and handles INVITE client transaction timeouts, our session
 * refresh re-INVITE's included. Answering the trunk's digest challenge lives here, not in
 * {@link DigestAuthenticator}: it is one more INVITE of this transaction chain (next CSeq, shared
 * retry budget), and needs no server state.
 *
 * <p>Threading: {@link #invite} runs on the caller's (call control's) thread, the responses and
 * timeouts on the stack's worker threads; all hold the leg monitor while they touch the leg.
 * Events go to call control through {@link EventRelay}.
 */
final class InviteClient {
    // Same logger as before the split, so log lines and logback settings read as they did.
    private static final Logger LOG = LoggerFactory.getLogger(SipUserAgent.class);
    private static final int MAX_AUTH_ATTEMPTS = 2;

    private final SipSettings settings;
    private final SipProvider provider;
    private final SipResponder responder;
    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final AddressFactory addresses;
    private final LegRegistry legs;
    private final EventRelay events;
    private final SessionTimers sessionTimers;
    private final BooleanSupplier stopping;
    private final ForkRequests forkRequests;
    private final ForkCloser forkCloser;
    private final RedirectFollower redirects;
    /** Sends first INVITEs over TCP/TLS, whose connect and handshake block (SipUserAgent owns it). */
    private final java.util.concurrent.Executor connector;
    /** At most this many connections are being set up at once (the connector's threads). */
    static final int CONNECTORS = 32;

    InviteClient(SipSettings settings, SipProvider provider, SipResponder responder, LegRegistry legs,
            EventRelay events, SessionTimers sessionTimers, BooleanSupplier stopping,
            java.util.concurrent.Executor connector, LiveTrunks trunks) {
        this.connector = connector;
        this.settings = settings;
        this.provider = provider;
        this.responder = responder;
        this.messages = responder.messages();
        this.headers = responder.headers();
        this.addresses = responder.addresses();
        this.legs = legs;
        this.events = events;
        this.sessionTimers = sessionTimers;
        this.stopping = stopping;
        this.forkRequests = new ForkRequests(settings, responder);
        this.forkCloser = new ForkCloser(provider, forkRequests, responder);
        this.redirects = new RedirectFollower(settings, trunks, responder, this::sendInvite);
    }

    CallHandle invite(OutboundInvite spec) {
        if (stopping.getAsBoolean()) {
            throw new IllegalStateException("SIP side is shutting down: no new calls");
        }
        CallHandle handle;
        SipLeg leg;
        try {
            String callId = provider.getNewCallId().getCallId();
            handle = new CallHandle(legs.nextId(), callId, false);
            leg = new SipLeg(handle);
            ClientTransaction ct;
            synchronized (leg) {
                leg.spec = spec;
                leg.localTag = newTag();
                leg.localSdp = spec.offer();
                Request req = buildInvite(spec, callId, leg.localTag);
                legs.add(leg);
                try {
                    ct = prepareInvite(leg, req);
                } catch (SipException e) {
                    transportFailed(leg, e);
                    return handle;
                }
            }
            if ("udp".equals(spec.transport())) {
                send(leg, ct); // a datagram: nothing to wait for
            } else {
                // TCP connect and TLS handshake happen inside sendRequest and may take up to the
                // handshake watchdog's 5 s: not on call control's thread, which serves every call.
                try {
                    connector.execute(() -> send(leg, ct));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    transportFailed(leg, new SipException("too many connections being set up at once ("
                            + CONNECTORS + ")"));
                }
            }
        } catch (ParseException | InvalidArgumentException | RuntimeException e) {
            throw new IllegalStateException("cannot send INVITE to sip:" + spec.calledUser() + "@" + spec.host()
                    + ":" + spec.port() + ";transport=" + spec.transport() + ": " + e.getMessage(), e);
        }
        return handle;
    }

    /** A response whose CSeq method is INVITE: to our initial INVITE or to a refresh re-INVITE. */
    void onInviteResponse(ResponseEvent event, SipLeg leg, Response response, CSeqHeader cseq)
            throws SipException, ParseException, InvalidArgumentException {
        int status = response.getStatusCode();
        SipEvent report = null;
        synchronized (leg) {
            if (leg.handle.inbound() || leg.state == SipLeg.State.ENDED) {
                sessionTimers.onRefreshResponse(event, leg, response, cseq);
                return;
            }
            long initialSeq = seqOf(leg.invite);
            if (cseq.getSeqNumber() != initialSeq) {
                if (leg.state == SipLeg.State.EARLY) {
                    LOG.debug("{} to an earlier INVITE of {} (CSeq {}, now {}) ignored", status, leg.handle,
                            cseq.getSeqNumber(), initialSeq);
                } else {
                    sessionTimers.onRefreshResponse(event, leg, response, cseq);
                }
                return;
            }
            String tag = toTag(response);
            if (status < 200) {
                if (status == Response.TRYING || leg.state != SipLeg.State.EARLY) {
                    return; // a fork still ringing after the call was answered has nothing to say
                }
                if (isReliable(response) && !acknowledge(leg, response, tag)) {
                    return; // a reliable 18x again, or out of order: neither PRACKed nor acted on
                }
                leg.provisionalReceived = true;
                boolean earlyMedia = leg.forks.onProvisional(tag, hasSdp(response));
                if (leg.cancelPending) {
                    sendCancel(leg);
                    return;
                }
                if (!leg.hungUp) {
                    report = new SipEvent.Provisional(leg.handle, status, earlyMedia ? sdpOrNull(response, leg) : null);
                }
            } else if (status < 300) {
                report = onAnswer(event, leg, response, cseq, tag);
            } else if ((status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED)
                    && !leg.hungUp && leg.spec.trunk() != null && leg.spec.trunk().hasCredentials()
                    && leg.authAttempts < MAX_AUTH_ATTEMPTS) {
                leg.forks.onFailure();
                leg.authAttempts++;
                resendWithCredentials(leg, response, status);
                return;
            } else if (status == Response.BAD_EXTENSION && !leg.hungUp && leg.authAttempts < MAX_AUTH_ATTEMPTS
                    && optionTagPresent(leg.invite, "Require", "100rel")
                    && optionTagPresent(response, "Unsupported", "100rel")) {
                // RFC 3261 8.1.3.5: retry without the extension the peer does not support (our
                // prack = required); it keeps Supported: 100rel, so a reliable 18x is still PRACKed.
                leg.forks.onFailure();
                leg.authAttempts++;
                Request retry = nextInvite(leg);
                retry.removeHeader("Require");
                LOG.info("{}: 420 Unsupported: 100rel, INVITE retried without Require: 100rel", leg.handle);
                sendInvite(leg, retry);
                return;
            } else if (status == 422 && !leg.hungUp && leg.authAttempts < MAX_AUTH_ATTEMPTS) {
                leg.forks.onFailure();
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
                legs.end(leg);
                report = new SipEvent.Rejected(leg.handle, status, reasonOf(response));
            } else if (status < 400 && !leg.hungUp) {
                leg.forks.onFailure();
                int failed = redirects.on3xx(leg, response);
                if (failed == 0) {
                    return; // a new INVITE to the Contact is on its way (RFC 3261 8.1.3.4)
                }
                legs.end(leg);
                report = new SipEvent.Rejected(leg.handle, failed, failed == status ? reasonOf(response) : null);
            } else {
                leg.forks.onFailure();
                if (!leg.hungUp && redirects.tryNext(leg)) {
                    return; // a redirected attempt failed: the next Contact of the 3xx
                }
                legs.end(leg);
                if (!leg.hungUp) {
                    report = new SipEvent.Rejected(leg.handle, status, reasonOf(response));
                }
            }
        }
        if (report != null) {
            events.emit(report);
        }
    }

    /**
     * A 2xx to our INVITE (leg monitor held): the first is the call, ACKed on the stack's dialog;
     * another fork's is ACKed and BYEd (RFC 3261 13.2.2.4, {@link ForkedDialogs}).
     *
     * @return the event for call control, or null
     */
    private SipEvent onAnswer(ResponseEvent event, SipLeg leg, Response response, CSeqHeader cseq, String tag)
            throws SipException, InvalidArgumentException {
        switch (leg.forks.onAnswer(tag, System.nanoTime())) {
            case RETRANSMISSION -> {
                if (leg.dialog != null) {
                    leg.dialog.sendAck(leg.dialog.createAck(cseq.getSeqNumber()));
                }
                return null;
            }
            case OTHER_FORK -> {
                forkCloser.ackAndBye(leg, response, false);
                return null;
            }
            case OTHER_FORK_AGAIN -> {
                forkCloser.ackAndBye(leg, response, true);
                return null;
            }
            case LATE -> {
                LOG.info("{}: 2xx from fork {} more than 64*T1 after the answer: not acted on", leg.handle, tag);
                return null;
            }
            case FIRST -> {
                // handled below
            }
        }
        Dialog dialog = event.getDialog() != null ? event.getDialog() : leg.dialog;
        Request ack = dialog.createAck(cseq.getSeqNumber());
        String dialogTag = toTag(ack);
        if (tag != null && dialogTag != null && !tag.equals(dialogTag)) {
            // Two forks' 2xx crossed on two worker threads and the stack's dialog took the other
            // one: that one is the call (its event follows), this one is ended like any extra fork.
            leg.forks.notTheCall(tag);
            forkCloser.ackAndBye(leg, response, false);
            return null;
        }
        leg.dialog = dialog;
        dialog.sendAck(ack);
        leg.state = SipLeg.State.CONFIRMED;
        SessionDescription answer = sdpOrNull(response, leg);
        if (answer != null) {
            leg.remoteSdpVersion = answer.sessionVersion();
        }
        if (leg.hungUp) {
            legs.sendBye(leg, leg.cancelReason); // the 200 crossed our CANCEL (RFC 3261 9.1)
            return null;
        }
        sessionTimers.startOnAnswer(leg, response);
        return new SipEvent.Answered(leg.handle, answer);
    }

    /** A reliable provisional (RFC 3262 4): Require: 100rel and an RSeq. */
    private static boolean isReliable(Response response) {
        return response.getHeader(RSeqHeader.NAME) != null && optionTagPresent(response, "Require", "100rel");
    }

    /**
     * A reliable 18x (leg monitor held): when it is new in its early dialog ({@link ReliableResponses}),
     * a PRACK with its RAck goes to the fork that sent it, built from the 18x itself (that fork's
     * Contact and Record-Route, {@link ForkRequests}), with the next CSeq of the stack's dialog,
     * which is then advanced so that a later BYE or re-INVITE stays above it (RFC 3261 12.2.1.1).
     * The PRACK carries no SDP: our offer was in the INVITE, and its answer comes in a response.
     *
     * @return false: a retransmission or out of order, to be ignored
     */
    private boolean acknowledge(SipLeg leg, Response response, String tag)
            throws SipException, ParseException, InvalidArgumentException {
        long rseq = ((RSeqHeader) response.getHeader(RSeqHeader.NAME)).getSequenceNumber();
        if (!leg.reliableIn.accept(tag, rseq)) {
            LOG.debug("{}: reliable {} with RSeq {} from fork {} again or out of order: ignored", leg.handle,
                    response.getStatusCode(), rseq, tag);
            return false;
        }
        CSeqHeader inviteCseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        SIPDialog dialog = leg.dialog instanceof SIPDialog d ? d : null;
        long seq = Math.max(inviteCseq.getSeqNumber(), dialog == null ? 0 : dialog.getLocalSeqNumber()) + 1;
        Request prack = forkRequests.build(leg, response, Request.PRACK, seq);
        prack.addHeader(headers.createRAckHeader((int) rseq, (int) inviteCseq.getSeqNumber(), Request.INVITE));
        provider.getNewClientTransaction(prack).sendRequest();
        leg.earlyAnswerReceived |= hasSdp(response);
        for (int i = 0; dialog != null && dialog.getLocalSeqNumber() < seq && i < 16; i++) {
            dialog.incrementLocalSequenceNumber();
        }
        return true;
    }

    /** The CSeq number of a request of ours, or -1. */
    private static long seqOf(Request req) {
        CSeqHeader c = req == null ? null : (CSeqHeader) req.getHeader(CSeqHeader.NAME);
        return c == null ? -1 : c.getSeqNumber();
    }

    /** An INVITE client transaction of ours timed out (Timer B): the initial INVITE or a refresh. */
    void onTimeout(ClientTransaction ct) {
        Request req = ct.getRequest();
        SipLeg leg = legs.byCallId(callId(req));
        if (leg == null || !Request.INVITE.equals(req.getMethod())) {
            return;
        }
        boolean report = false;
        synchronized (leg) {
            if (leg.state == SipLeg.State.EARLY && !leg.handle.inbound()) {
                if (ct != leg.clientTx) {
                    return; // an earlier INVITE of this chain (before a redirect or a retry)
                }
                try {
                    if (!leg.hungUp && redirects.tryNext(leg)) {
                        return;
                    }
                } catch (SipException | ParseException | InvalidArgumentException | RuntimeException e) {
                    LOG.warn("{}: next redirect Contact could not be tried: {}", leg.handle, e.toString());
                }
                legs.end(leg);
                report = !leg.hungUp;
            } else if (leg.state == SipLeg.State.CONFIRMED) {
                sessionTimers.onRefreshTimeout(leg);
            }
        }
        if (report) {
            events.emit(new SipEvent.TransactionTimeout(leg.handle, Request.INVITE));
        }
    }

    /** CANCEL for our unanswered INVITE, with call control's Reason (leg monitor held). */
    void sendCancel(SipLeg leg) throws SipException {
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

    private Request buildInvite(OutboundInvite spec, String callId, String fromTag)
            throws ParseException, InvalidArgumentException {
        URI target = requestUri(spec);
        SipIdentity id = spec.identity();
        SipURI fromUri = id.isAnonymousFrom()
                ? addresses.createSipURI(SipIdentity.ANONYMOUS_USER, SipIdentity.ANONYMOUS_HOST)
                : addresses.createSipURI(id.fromUser(), settings.listenHost());
        Address from = addresses.createAddress(fromUri);
        if (id.fromDisplayName() != null) {
            from.setDisplayName(id.fromDisplayName());
        }
        SipURI toUri = addresses.createSipURI(spec.calledUser(), spec.toHost());
        toUri.setSecure(sips(spec));
        Address to = addresses.createAddress(toUri);
        List<ViaHeader> via = new ArrayList<>();
        via.add(headers.createViaHeader(settings.hostFor(spec.transport()), settings.portFor(spec.transport()),
                spec.transport(), null));
        Request req = messages.createRequest(target, Request.INVITE, headers.createCallIdHeader(callId),
                headers.createCSeqHeader(1L, Request.INVITE), headers.createFromHeader(from, fromTag),
                headers.createToHeader(to, null), via, headers.createMaxForwardsHeader(70),
                headers.createContentTypeHeader("application", "sdp"), spec.offer().encode());
        req.addHeader(responder.contact(spec.transport(), sips(spec)));
        addRouteSet(req, spec);
        if (id.assertedUser() != null) {
            SipURI pai = addresses.createSipURI(id.assertedUser(), settings.listenHost());
            pai.setUserParam("phone");
            String display = id.assertedDisplayName() == null ? "" : "\"" + id.assertedDisplayName() + "\" ";
            req.addHeader(headers.createHeader(SipIdentity.PAI_HEADER, display + "<" + pai + ">"));
        }
        if (id.privacyId()) {
            req.addHeader(headers.createHeader(SipIdentity.PRIVACY_HEADER, "id"));
        }
        addRedirection(req, spec, target);
        if (spec.replaces() != null) {
            req.addHeader(headers.createHeader(ReferRequests.REPLACES, spec.replaces())); // RFC 3891 passed on
        }
        responder.addAllow(req);
        PrackPolicy prack = spec.trunk() == null ? PrackPolicy.SUPPORTED : spec.trunk().prack();
        responder.setSupported(req, prack != PrackPolicy.OFF);
        if (prack == PrackPolicy.REQUIRED) {
            req.addHeader(headers.createHeader("Require", "100rel"));
        }
        if (settings.sessionExpiresS() > 0) {
            req.addHeader(headers.createHeader(SessionTimerHeaders.SESSION_EXPIRES, Integer.toString(settings.sessionExpiresS())));
            req.addHeader(headers.createHeader(SessionTimerHeaders.MIN_SE, Integer.toString(settings.minSeS())));
        }
        req.addHeader(headers.createHeader("User-Agent", settings.userAgent()));
        return req;
    }

    /** A diverted call's Diversion / History-Info (RFC 5806 / RFC 7044), as the trunk takes them. */
    private void addRedirection(Request req, OutboundInvite spec, URI target) throws ParseException {
        Redirection r = spec.redirection();
        if (r == null) {
            return;
        }
        String host = settings.listenHost();
        if (spec.redirectionHeaders().diversion()) {
            for (String v : RedirectionMapper.toDiversion(r, host)) {
                req.addHeader(headers.createHeader(RedirectionMapper.DIVERSION, v));
            }
        }
        if (spec.redirectionHeaders().historyInfo()) {
            for (String v : RedirectionMapper.toHistoryInfo(r, host, target.toString())) {
                req.addHeader(headers.createHeader(RedirectionMapper.HISTORY_INFO, v));
            }
        }
    }

    private void sendInvite(SipLeg leg, Request req) throws SipException {
        prepareInvite(leg, req).sendRequest();
    }

    /** The INVITE's transaction and dialog, recorded in the leg (monitor held); nothing sent yet. */
    private ClientTransaction prepareInvite(SipLeg leg, Request req) throws SipException {
        ClientTransaction ct = provider.getNewClientTransaction(req);
        leg.invite = req;
        leg.clientTx = ct;
        leg.provisionalReceived = false;
        leg.forks = new ForkedDialogs();
        leg.reliableIn = new ReliableResponses();
        leg.earlyAnswerReceived = false;
        leg.dialog = provider.getNewDialog(ct);
        return ct;
    }

    /** Sends our first INVITE, without the leg monitor (a TLS handshake must not hold up commands). */
    private void send(SipLeg leg, ClientTransaction ct) {
        try {
            ct.sendRequest();
        } catch (SipException | RuntimeException e) {
            transportFailed(leg, e);
        }
    }

    /**
     * RFC 3261 8.1.3.1: a transport failure (no TCP connection, a TLS handshake refused: wrong CA,
     * wrong name, no answer in time) is a 503 for the transaction user. Call control hears it like
     * a peer's 503 (RFC 3398: cause 41 unless [causes] says otherwise) and may fail over; this leg
     * alone ends. After a hangup call control hears nothing more.
     */
    private void transportFailed(SipLeg leg, Exception e) {
        OutboundInvite spec = leg.spec;
        LOG.warn("INVITE {} to {}:{};transport={} not sent: {}", leg.handle.callId(), spec.host(), spec.port(),
                spec.transport(), transportFailure(e));
        boolean report;
        synchronized (leg) {
            if (leg.state == SipLeg.State.ENDED) {
                return;
            }
            report = !leg.hungUp;
            legs.end(leg);
        }
        if (report) {
            events.emit(new SipEvent.Rejected(leg.handle, Response.SERVICE_UNAVAILABLE, null));
        }
    }

    /** The innermost messages of a send failure (the RI wraps the handshake's reason twice). */
    private static String transportFailure(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable c = e.getCause();
        for (int i = 0; c != null && i < 4; i++, c = c.getCause()) {
            b.append(" <- ").append(c.getMessage());
        }
        return b.toString();
    }

    /** A copy of our INVITE with the next CSeq and a fresh branch, for a retry after 401/407/422. */
    private Request nextInvite(SipLeg leg) throws InvalidArgumentException {
        Request retry = (Request) leg.invite.clone();
        CSeqHeader cseq = (CSeqHeader) retry.getHeader(CSeqHeader.NAME);
        cseq.setSeqNumber(cseq.getSeqNumber() + 1);
        ViaHeader via = (ViaHeader) retry.getHeader(ViaHeader.NAME);
        via.removeParameter("branch");
        return retry;
    }

    private void resendWithCredentials(SipLeg leg, Response challenge, int status)
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
            legs.end(leg);
            events.emit(new SipEvent.Rejected(leg.handle, status, null));
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

    /**
     * The Request-URI: {@code sip:calledUser@host:port} for a trunk or a URI; the Contact as
     * registered for a registered user (RFC 3261 10.2.1: requests to the AOR go to its contacts).
     */
    private URI requestUri(OutboundInvite spec) throws ParseException {
        if (spec.contact() != null) {
            return addresses.createURI(spec.contact().requestUri());
        }
        SipURI target = addresses.createSipURI(spec.calledUser(), spec.host());
        target.setPort(spec.port());
        if (sips(spec)) {
            target.setSecure(true); // sips: implies TLS; no transport parameter (RFC 5630 3.1.3)
        } else if (!"udp".equals(spec.transport())) {
            target.setTransportParam(spec.transport());
        }
        return target;
    }

    /** A trunk that asks for sips: (RFC 5630), which only a TLS trunk may (hw-config checks it). */
    private static boolean sips(OutboundInvite spec) {
        return spec.trunk() != null && spec.trunk().sips() && "tls".equals(spec.transport()) && spec.contact() == null;
    }

    /**
     * A registered contact's Path values, in order, as the Route set (RFC 3327 5.4): the stack
     * then sends to the first of them; without Path, {@code sip.stack.FlowRouter} sends to the flow.
     */
    private void addRouteSet(Request req, OutboundInvite spec) throws ParseException {
        if (spec.contact() == null) {
            return;
        }
        for (String hop : spec.contact().path()) {
            req.addHeader(headers.createHeader(RouteHeader.NAME, hop)); // appended: order kept
        }
    }

    private SessionDescription sdpOrNull(Message m, SipLeg leg) {
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
}
