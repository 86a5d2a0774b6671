package org.tandem.gateway.sip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.interwork.RedirectionMapper;
import org.tandem.gateway.interwork.RedirectionReason;
import org.tandem.gateway.sip.stack.SipMessages;
import org.tandem.gateway.sip.stack.SipResponder;

/**
 * Follows a 3xx to our INVITE with a new INVITE (RFC 3261 8.1.3.4), transparently to call
 * control: the call keeps its handle, Call-ID, From tag and To; the new INVITE has the next CSeq,
 * a new branch, the Contact as Request-URI (for 305 the same Request-URI through the Contact as
 * proxy), no credentials of the previous target, and a {@code Diversion} header (RFC 5806) naming
 * the party that redirected, so the redirecting number is kept. What to follow and when to stop is
 * {@link RedirectPlan}'s decision; which hosts are allowed comes from the trunks here.
 *
 * <p>Why on the SIP side and not in call control: a redirect is a UAC's business within one
 * INVITE transaction chain (like a 401 retry); call control has routed the call to a trunk and
 * cares about its outcome, not about the hops. docs/SIP.md "Redirects".
 *
 * <p>Threading: called by {@link InviteClient} with the leg monitor held.
 */
final class RedirectFollower {
    // Same logger as the rest of the SIP side, so log lines and logback settings read as they did.
    private static final Logger LOG = LoggerFactory.getLogger(SipUserAgent.class);
    static final String DIVERSION = RedirectionMapper.DIVERSION;

    /** Sends an INVITE of the leg's chain (InviteClient's). */
    interface Sender {
        void send(SipLeg leg, Request invite) throws SipException;
    }

    private final SipSettings settings;
    /** The trunks in force (a reload changes them): the hosts a 3xx may lead to. */
    private final LiveTrunks trunks;
    private final SipResponder responder;
    private final HeaderFactory headers;
    private final AddressFactory addresses;
    private final Sender sender;

    RedirectFollower(SipSettings settings, LiveTrunks trunks, SipResponder responder, Sender sender) {
        this.settings = settings;
        this.trunks = trunks;
        this.responder = responder;
        this.headers = responder.headers();
        this.addresses = responder.addresses();
        this.sender = sender;
    }

    /**
     * A 3xx to the leg's current INVITE.
     *
     * @return 0 when a new INVITE went out, else the final status to report to call control
     */
    int on3xx(SipLeg leg, Response redirect) throws SipException, ParseException, InvalidArgumentException {
        int status = redirect.getStatusCode();
        if (leg.redirect == null) {
            SipTrunk trunk = leg.spec.trunk();
            RedirectPolicy policy = trunk == null ? RedirectPolicy.REFUSE : trunk.redirects();
            int max = trunk == null ? 0 : trunk.maxRedirects();
            leg.redirect = new RedirectPlan(policy, max, this::allowed, currentTarget(leg));
        }
        RedirectPlan.Decision d = leg.redirect.on3xx(status, contacts(redirect));
        if (d instanceof RedirectPlan.Stop stop) {
            LOG.info("{}: {} not followed ({}): the call fails with {}", leg.handle, status, stop.why(), stop.status());
            return stop.status();
        }
        RedirectPlan.Target t = ((RedirectPlan.Follow) d).target();
        LOG.info("{}: {} from {}: following to {} (redirect {} of at most {})", leg.handle, status,
                leg.invite.getRequestURI(), t.uri(), leg.redirect.hops(),
                leg.spec.trunk() == null ? 0 : leg.spec.trunk().maxRedirects());
        send(leg, t, redirect);
        return 0;
    }

    /**
     * The current attempt of a redirected call failed (final status or timeout): tries the next
     * Contact still pending.
     *
     * @return true when a new INVITE went out
     */
    boolean tryNext(SipLeg leg) throws SipException, ParseException, InvalidArgumentException {
        if (leg.redirect == null) {
            return false;
        }
        RedirectPlan.Target t = leg.redirect.nextAfterFailure();
        if (t == null) {
            return false;
        }
        LOG.info("{}: {} failed, trying the next redirect Contact {}", leg.handle, leg.invite.getRequestURI(), t.uri());
        send(leg, t, null);
        return true;
    }

    private void send(SipLeg leg, RedirectPlan.Target t, Response redirect)
            throws SipException, ParseException, InvalidArgumentException {
        Request previous = leg.invite;
        Request req = (Request) previous.clone();
        CSeqHeader cseq = (CSeqHeader) req.getHeader(CSeqHeader.NAME);
        cseq.setSeqNumber(cseq.getSeqNumber() + 1);
        ViaHeader via = (ViaHeader) req.getHeader(ViaHeader.NAME);
        via.removeParameter("branch");
        via.setTransport(t.transport().toUpperCase(Locale.ROOT));
        // Credentials were for the previous target (its realm, its nonce); never hand them on.
        req.removeHeader("Authorization");
        req.removeHeader("Proxy-Authorization");
        req.removeHeader("Route");
        req.setHeader(responder.contact(t.transport()));
        String calledUser = leg.spec.calledUser();
        if (t.viaProxy()) {
            req.addHeader(headers.createRouteHeader(addresses.createAddress(
                    "<sip:" + hostForUri(t.host()) + ":" + t.port() + ";lr>")));
        } else {
            SipURI uri = addresses.createSipURI(t.user(), hostForUri(t.host()));
            uri.setPort(t.port());
            if ("tcp".equals(t.transport())) {
                uri.setTransportParam("tcp");
            }
            req.setRequestURI(uri);
            if (t.user() != null) {
                calledUser = t.user();
            }
            if (redirect != null) {
                addDiversion(req, previous.getRequestURI(), redirect);
            } // else the next Contact of the same 3xx: the same diversion, already in the copy

        }
        // The call's own Diversion/History-Info (a diverted PSTN call) are in the copied request already.
        leg.spec = new OutboundInvite(calledUser, t.host(), t.port(), t.transport(), leg.spec.identity(),
                leg.spec.offer(), trunkFor(t, leg.spec.trunk()), null, leg.spec.redirection(),
                leg.spec.redirectionHeaders());
        leg.authAttempts = 0;
        sender.send(leg, req);
    }

    /**
     * RFC 5806: the newest diversion first. The redirecting server's own Diversion headers say best
     * who diverted and why; without them we name the Request-URI that answered 3xx.
     */
    private void addDiversion(Request req, URI redirected, Response redirect) throws ParseException, SipException {
        List<String> values = new ArrayList<>();
        if (redirect != null) {
            redirect.getHeaders(DIVERSION).forEachRemaining(h -> values.add(SipMessages.headerValue((Header) h)));
        }
        if (values.isEmpty()) {
            values.add(RedirectionMapper.diversionEntry(diverting(redirected),
                    RedirectionReason.forRedirectStatus(redirect == null ? 0 : redirect.getStatusCode()), 1, false));
        }
        for (ListIterator<String> it = values.listIterator(values.size()); it.hasPrevious(); ) {
            req.addFirst(headers.createHeader(DIVERSION, it.previous()));
        }
    }

    private static String diverting(URI uri) {
        if (uri instanceof SipURI s) {
            return "sip:" + (s.getUser() == null ? "" : s.getUser() + "@") + s.getHost();
        }
        return uri.toString();
    }

    /** Where the leg's current INVITE went, as a target (for loop detection). */
    private static RedirectPlan.Target currentTarget(SipLeg leg) {
        OutboundInvite s = leg.spec;
        return new RedirectPlan.Target(leg.invite.getRequestURI().toString(), s.calledUser(), s.host(), s.port(),
                s.transport(), 1.0f, false);
    }

    static List<RedirectPlan.Target> contacts(Response r) {
        List<RedirectPlan.Target> out = new ArrayList<>();
        r.getHeaders(ContactHeader.NAME).forEachRemaining(h -> {
            ContactHeader c = (ContactHeader) h;
            if (c.getAddress() == null || !(c.getAddress().getURI() instanceof SipURI uri) || uri.isSecure()) {
                return; // tel:, sips: (no TLS here), mailto: ... cannot be followed by this gateway
            }
            String transport = uri.getTransportParam() == null ? "udp" : uri.getTransportParam().toLowerCase(Locale.ROOT);
            if (!transport.equals("udp") && !transport.equals("tcp")) {
                return;
            }
            float q = c.getQValue();
            out.add(new RedirectPlan.Target(uri.toString(), uri.getUser(), uri.getHost(),
                    uri.getPort() > 0 ? uri.getPort() : 5060, transport, q < 0 ? 1.0f : q, false));
        });
        return out;
    }

    /** Trust rule of {@link RedirectPolicy#FOLLOW}: the host is a configured trunk's. */
    boolean allowed(RedirectPlan.Target t) {
        return matchingTrunk(t) != null;
    }

    /**
     * The trunk a target belongs to: same host and port first, else the first trunk with that host
     * name, or whose trusted addresses hold that IP literal. No DNS look-up on the stack's thread.
     */
    private SipTrunk matchingTrunk(RedirectPlan.Target t) {
        SipTrunk byHost = null;
        for (SipTrunk trunk : trunks.all()) {
            if (trunk.host().equalsIgnoreCase(t.host())) {
                if (trunk.port() == t.port()) {
                    return trunk;
                }
                byHost = byHost == null ? trunk : byHost;
            }
        }
        if (byHost != null) {
            return byHost;
        }
        InetAddress literal = ipLiteral(t.host());
        if (literal != null) {
            for (SipTrunk trunk : trunks.all()) {
                if (trunk.trustedSource() != null && trunk.trustedSource().test(literal)) {
                    return trunk;
                }
            }
        }
        return null;
    }

    /** The credentials for the new target: its trunk's; under follow_any an unknown host gets none. */
    private SipTrunk trunkFor(RedirectPlan.Target t, SipTrunk current) {
        SipTrunk match = matchingTrunk(t);
        if (match == null) {
            return null;
        }
        if (current != null && current != match) {
            // Keep the call's redirect policy and budget (they belong to where the call was routed);
            // take the credentials of the trunk the target is on.
            return new SipTrunk(match.name(), match.host(), match.port(), match.transport(), match.username(),
                    match.password(), match.trustedSource(), current.redirects(), current.maxRedirects(), match.prack(),
                    match.tlsVerify(), match.tlsServerName(), match.sips());
        }
        return match;
    }

    private static InetAddress ipLiteral(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!h.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            return null;
        }
        try {
            return InetAddress.getByName(h); // a literal: no look-up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String hostForUri(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
