package org.tandem.gateway.sip;

import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.interwork.Reason;
import org.tandem.gateway.sip.stack.SipMessages;

/**
 * The call legs not yet ended, by Call-ID (for the stack's messages) and by id (for call
 * control's {@link CallHandle}s), and the way every leg ends: {@link #end} forgets it,
 * {@link #sendBye} sends BYE on its established dialog first. {@link #command} runs a call-control
 * command on a leg under the leg's monitor.
 *
 * <p>Threading: the maps are concurrent and are read without a lock by any thread; a leg is added
 * and ended with its monitor held (the caller's), so a leg found here may already be ENDED and
 * every user re-checks its state under the monitor.
 */
final class LegRegistry {
    // Same logger as before the split, so log lines and logback settings read as they did.
    private static final Logger LOG = LoggerFactory.getLogger(SipUserAgent.class);

    /** A command's work on a leg, run with the leg monitor held. */
    interface LegAction {
        void run(SipLeg leg) throws SipException, ParseException, InvalidArgumentException;
    }

    private final SipProvider provider;
    private final HeaderFactory headers;
    private final Map<String, SipLeg> byCallId = new ConcurrentHashMap<>();
    private final Map<Long, SipLeg> byId = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    LegRegistry(SipProvider provider, HeaderFactory headers) {
        this.provider = provider;
        this.headers = headers;
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    /** Registers a new leg (its monitor held). */
    void add(SipLeg leg) {
        byCallId.put(leg.handle.callId(), leg);
        byId.put(leg.handle.id(), leg);
    }

    SipLeg byCallId(String callId) {
        return byCallId.get(callId);
    }

    /** The leg of an in-dialog request (one with a To tag), or null. */
    SipLeg dialogLeg(Request req) {
        SipLeg leg = byCallId.get(SipMessages.callId(req));
        return leg != null && SipMessages.toTag(req) != null ? leg : null;
    }

    /** Number of legs not yet ended. */
    int size() {
        return byId.size();
    }

    /**
     * Runs a call-control command on the leg of {@code call} under its monitor; a call already
     * ended is ignored, a failure is logged (commands never throw for the network's sake).
     */
    void command(CallHandle call, String what, LegAction action) {
        SipLeg leg = byId.get(call.id());
        if (leg == null) {
            LOG.debug("{} for ended call {} ignored", what, call);
            return;
        }
        synchronized (leg) {
            try {
                action.run(leg);
            } catch (SipException e) {
                if (e.getCause() instanceof java.io.IOException) {
                    // the peer cannot be reached (its connection is gone, nothing listens where its
                    // Via points): its business, not a fault of ours
                    LOG.info("{} on {} not sent: {}", what, call, e.getMessage());
                } else {
                    LOG.warn("{} on {} failed: {}", what, call, e.toString(), e);
                }
            } catch (ParseException | InvalidArgumentException | RuntimeException e) {
                LOG.warn("{} on {} failed: {}", what, call, e.toString(), e);
            }
        }
    }

    /** BYE on an established dialog and end the leg (leg monitor held). Failures are logged. */
    void sendBye(SipLeg leg, Reason reason) {
        try {
            if (leg.dialog != null && leg.state != SipLeg.State.EARLY && leg.state != SipLeg.State.ENDED) {
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

    /** The leg is over: no timer, no longer found (leg monitor held). */
    void end(SipLeg leg) {
        leg.state = SipLeg.State.ENDED;
        if (leg.sessionTimer != null) {
            leg.sessionTimer.cancel(false);
            leg.sessionTimer = null;
        }
        byId.remove(leg.handle.id());
        byCallId.remove(leg.handle.callId(), leg);
    }
}
