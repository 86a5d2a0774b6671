package org.tandem.gateway.sip;

import static org.tandem.gateway.sip.stack.SipMessages.headerValue;

import java.text.ParseException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.header.CSeqHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.interwork.Reason;
import org.tandem.gateway.sip.stack.SipResponder;

/**
 * Session timers (RFC 4028): the interval and refresher a leg negotiated, the Session-Expires we
 * put in our answers, the timer that either refreshes (a re-INVITE of ours) or releases the call
 * when the peer stopped refreshing, and the outcome of our refresh. The 422 gates of the INVITE
 * transactions themselves stay with {@link InviteServer} and {@link InviteClient}.
 *
 * <p>Threading: the timer runs on the user agent's one scheduler thread (owned and shut down by
 * {@link SipUserAgent}) and takes the leg monitor; every other method is called with the leg
 * monitor held, by the stack's worker threads or call control's commands.
 */
final class SessionTimers {
    // Same logger as before the split, so log lines and logback settings read as they did.
    private static final Logger LOG = LoggerFactory.getLogger(SipUserAgent.class);

    private final SipSettings settings;
    private final SipProvider provider;
    private final SipResponder responder;
    private final HeaderFactory headers;
    private final LegRegistry legs;
    private final EventRelay events;
    private final ScheduledExecutorService timers;

    SessionTimers(SipSettings settings, SipProvider provider, SipResponder responder, LegRegistry legs,
            EventRelay events, ScheduledExecutorService timers) {
        this.settings = settings;
        this.provider = provider;
        this.responder = responder;
        this.headers = responder.headers();
        this.legs = legs;
        this.events = events;
        this.timers = timers;
    }

    /** A Session-Expires in a request of the peer's sets the leg's interval (leg monitor held). */
    void updateSessionFromRequest(SipLeg leg, Request req) {
        SessionTimerHeaders se = SessionTimerHeaders.parse(headerValue(req, SessionTimerHeaders.SESSION_EXPIRES));
        if (se != null && settings.sessionExpiresS() > 0) {
            leg.session = se;
        }
    }

    /** Adds Session-Expires/Require to our 2xx to an INVITE or UPDATE and decides who refreshes. */
    void addSessionTimerToAnswer(SipLeg leg, Response r) throws ParseException {
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

    /** The 2xx to our initial INVITE: take the UAS's interval and refresher and arm (leg monitor held). */
    void startOnAnswer(SipLeg leg, Response response) {
        SessionTimerHeaders se = SessionTimerHeaders.parse(headerValue(response, SessionTimerHeaders.SESSION_EXPIRES));
        if (settings.sessionExpiresS() > 0) {
            // RFC 4028 7.2: no Session-Expires in the 2xx means the UAS does not do timers;
            // we (the UAC) may still refresh on our own.
            leg.session = se != null ? se : new SessionTimerHeaders(settings.sessionExpiresS(), "uac");
            leg.refreshWithUpdate = allowsUpdate(response);
            leg.weRefresh = !"uas".equals(leg.session.refresher());
            armSessionTimer(leg);
        }
    }

    /** (Re)starts the session timer for the negotiated interval (leg monitor held). */
    void armSessionTimer(SipLeg leg) {
        if (leg.sessionTimer != null) {
            leg.sessionTimer.cancel(false);
            leg.sessionTimer = null;
        }
        if (leg.session == null || leg.state == SipLeg.State.ENDED) {
            return;
        }
        long delayMs = leg.weRefresh ? leg.session.refreshDelayMs() : leg.session.expiryDelayMs();
        boolean refresh = leg.weRefresh;
        leg.sessionTimer = timers.schedule(() -> onSessionTimer(leg, refresh), delayMs, TimeUnit.MILLISECONDS);
    }

    private void onSessionTimer(SipLeg leg, boolean refresh) {
        synchronized (leg) {
            if (leg.state == SipLeg.State.ENDED) {
                return;
            }
            if (!refresh) {
                LOG.info("session timer expired on {} ({} s without refresh): releasing", leg.handle,
                        leg.session.intervalS());
                expire(leg);
                return;
            }
            try {
                if (leg.state != SipLeg.State.CONFIRMED || leg.reofferTx != null) {
                    armSessionTimer(leg); // mid offer/answer: try at the next point
                    return;
                }
                if (leg.refreshWithUpdate == null) {
                    leg.refreshWithUpdate = leg.handle.inbound() && leg.invite != null && allowsUpdate(leg.invite);
                }
                if (leg.refreshWithUpdate) {
                    sendRefreshUpdate(leg);
                    return;
                }
                Request reinvite = leg.dialog.createRequest(Request.INVITE);
                reinvite.setHeader(headers.createHeader(SessionTimerHeaders.SESSION_EXPIRES,
                        new SessionTimerHeaders(leg.session.intervalS(), "uac").encode()));
                reinvite.setHeader(headers.createHeader("Supported", "timer"));
                reinvite.setHeader(responder.contact(transportOf(leg)));
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

    /**
     * The session refresh as an UPDATE without a body (RFC 4028 7.4, RFC 3311 5.1): for a peer
     * whose Allow lists UPDATE; no offer/answer, so no media renegotiation and no ACK. Carriers'
     * SBCs prefer it to a re-INVITE (leg monitor held).
     */
    private void sendRefreshUpdate(SipLeg leg) throws SipException, ParseException {
        Request update = leg.dialog.createRequest(Request.UPDATE);
        update.setHeader(headers.createHeader(SessionTimerHeaders.SESSION_EXPIRES,
                new SessionTimerHeaders(leg.session.intervalS(), "uac").encode()));
        update.setHeader(headers.createHeader("Supported", "timer"));
        update.setHeader(responder.contact(transportOf(leg)));
        ClientTransaction ct = provider.getNewClientTransaction(update);
        leg.dialog.sendRequest(ct);
        LOG.debug("{}: session refresh sent as UPDATE", leg.handle);
    }

    /**
     * Response to our refresh UPDATE (leg monitor held): 2xx re-arms with the interval it
     * names; 491 tries again at the next point; 481/408 mean the dialog is gone (release); any
     * other refusal (a peer that lists UPDATE but refuses it) makes us refresh with re-INVITE
     * from now on, at once.
     */
    void onUpdateRefreshResponse(SipLeg leg, Response response) {
        int status = response.getStatusCode();
        if (status < 200 || leg.state == SipLeg.State.ENDED) {
            return;
        }
        if (status < 300) {
            SessionTimerHeaders se = SessionTimerHeaders.parse(headerValue(response, SessionTimerHeaders.SESSION_EXPIRES));
            if (se != null) {
                leg.session = se;
                leg.weRefresh = !"uas".equals(se.refresher());
            }
            armSessionTimer(leg);
        } else if (status == 491) {
            armSessionTimer(leg);
        } else if (status == 481 || status == 408) {
            LOG.info("session refresh UPDATE for {} failed with {}: releasing", leg.handle, status);
            expire(leg);
        } else {
            LOG.info("{} refused our refresh UPDATE with {}: refreshing with re-INVITE", leg.handle, status);
            leg.refreshWithUpdate = false;
            if (leg.sessionTimer != null) {
                leg.sessionTimer.cancel(false);
            }
            leg.sessionTimer = timers.schedule(() -> onSessionTimer(leg, true), 0, TimeUnit.MILLISECONDS);
        }
    }

    /** Our refresh UPDATE got no response (Timer F): the session is dead (leg monitor held). */
    void onUpdateRefreshTimeout(SipLeg leg) {
        LOG.info("session refresh UPDATE for {} timed out: releasing", leg.handle);
        expire(leg);
    }

    /** True when the message's Allow header(s) list UPDATE. */
    static boolean allowsUpdate(javax.sip.message.Message m) {
        java.util.ListIterator<?> it = m.getHeaders(javax.sip.header.AllowHeader.NAME);
        while (it != null && it.hasNext()) {
            Object h = it.next();
            if (h instanceof javax.sip.header.AllowHeader a && Request.UPDATE.equalsIgnoreCase(a.getMethod())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Our re-INVITE with a new SDP offer in a confirmed dialog (call control's
     * {@link SipSide#reoffer}: the PSTN side held or retrieved the call). Its response is taken
     * like a refresh's (ACK, the session timer re-armed), except that a refusal keeps the call
     * (leg monitor held). Not sent while an offer of the peer's is open (logged).
     */
    void sendReoffer(SipLeg leg, org.tandem.gateway.sdp.SessionDescription sdp) throws SipException, ParseException {
        sendReoffer(leg, sdp, 0);
    }

    /** Retries every 100 ms (at most 20 times) while our 2xx waits for its ACK or an offer of the peer's is open. */
    private void sendReoffer(SipLeg leg, org.tandem.gateway.sdp.SessionDescription sdp, int attempt)
            throws SipException, ParseException {
        if ((leg.state == SipLeg.State.ANSWERED || leg.reofferTx != null) && attempt < 20) {
            timers.schedule(() -> {
                synchronized (leg) {
                    try {
                        sendReoffer(leg, sdp, attempt + 1);
                    } catch (SipException | ParseException | RuntimeException e) {
                        LOG.warn("{}: re-INVITE with our new SDP could not be sent: {}", leg.handle, e.toString());
                    }
                }
            }, 100, TimeUnit.MILLISECONDS);
            return;
        }
        if (leg.state != SipLeg.State.CONFIRMED || leg.reofferTx != null || leg.dialog == null) {
            LOG.info("{}: re-INVITE with our new SDP not sent (dialog {} or an offer of the peer's open)", leg.handle,
                    leg.state);
            return;
        }
        Request reinvite = leg.dialog.createRequest(Request.INVITE);
        if (leg.session != null) {
            reinvite.setHeader(headers.createHeader(SessionTimerHeaders.SESSION_EXPIRES,
                    new SessionTimerHeaders(leg.session.intervalS(), leg.weRefresh ? "uac" : "uas").encode()));
            reinvite.setHeader(headers.createHeader("Supported", "timer"));
        }
        reinvite.setHeader(responder.contact(transportOf(leg)));
        reinvite.setContent(sdp.encode(), headers.createContentTypeHeader("application", "sdp"));
        leg.localSdp = sdp;
        leg.ownReofferPending = true;
        ClientTransaction ct = provider.getNewClientTransaction(reinvite);
        leg.dialog.sendRequest(ct);
    }

    /** Response to our session-refresh re-INVITE (leg monitor held). */
    void onRefreshResponse(ResponseEvent event, SipLeg leg, Response response, CSeqHeader cseq)
            throws SipException, InvalidArgumentException {
        int status = response.getStatusCode();
        if (status < 200 || leg.state == SipLeg.State.ENDED) {
            if (status >= 200 && status < 300 && leg.dialog != null) {
                leg.dialog.sendAck(leg.dialog.createAck(cseq.getSeqNumber())); // late 2xx: still ACK it
            }
            return;
        }
        boolean own = leg.ownReofferPending;
        leg.ownReofferPending = false;
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
        } else if (own) {
            LOG.info("{} refused our re-INVITE with {}: the call goes on as it was", leg.handle, status);
            armSessionTimer(leg);
        } else {
            LOG.info("session refresh for {} failed with {}: releasing", leg.handle, status);
            expire(leg);
        }
    }

    /** Our refresh re-INVITE got no response at all (leg monitor held). */
    void onRefreshTimeout(SipLeg leg) {
        LOG.info("session refresh for {} timed out: releasing", leg.handle);
        expire(leg);
    }

    /** Releases a call whose session died: BYE, then SessionExpired (leg monitor held). */
    private void expire(SipLeg leg) {
        boolean report = !leg.hungUp;
        legs.sendBye(leg, Reason.q850(102));
        if (report) {
            events.emit(new SipEvent.SessionExpired(leg.handle));
        }
    }

    private static String transportOf(SipLeg leg) {
        return leg.handle.inbound() ? leg.inviteTransport : leg.spec.transport();
    }
}
