package org.tandem.gateway.sip.stack;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.text.ParseException;
import java.util.function.BooleanSupplier;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.Message;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.tandem.gateway.interwork.Reason;
import org.tandem.gateway.sip.SipSettings;

/**
 * Builds and sends the user agent's responses on the JAIN-SIP RI, and the headers every message
 * of ours carries (To tag, Allow, Supported, Server, Contact). Owns the RI's message, header and
 * address factories, which the behaviours use to build the rest.
 *
 * <p>Threading: stateless apart from the factories (which the RI makes safe to share); called by
 * the stack's worker threads, by call control's commands and by the session-timer thread, each
 * holding the monitor of the leg it answers for, if any. It knows nothing of calls: a response's
 * To tag is passed in (null: a fresh one).
 */
public final class SipResponder {
    private static final String[] ALLOW = {"INVITE", "ACK", "CANCEL", "BYE", "OPTIONS", "UPDATE", "PRACK",
        "REFER"};
    private static final String[] ALLOW_WITH_REGISTER = {"INVITE", "ACK", "CANCEL", "BYE", "OPTIONS", "UPDATE",
        "PRACK", "REFER", "REGISTER"};
    /** The option tags we support (RFC 4028 session timers, RFC 3262 reliable provisionals). */
    private static final String[] SUPPORTED = {"timer", "100rel"};

    private final SipProvider provider;
    private final SipSettings settings;
    private final BooleanSupplier stopping;
    private final String[] allow;
    private final MessageFactory messages = new MessageFactoryImpl();
    private final HeaderFactory headers = new HeaderFactoryImpl();
    private final AddressFactory addresses = new AddressFactoryImpl();
    /*
     * Headers every 1xx/2xx of ours carries, built once and cloned per message: the RI's
     * createHeader runs its full header parser on the text each time, which was a tenth of call
     * control's CPU per call (docs/BENCHMARKS.md "Capacity"). A clone is a field copy.
     */
    private final Header server;
    private final Header[] supportedTags;
    /** Every Allow of ours as one list, so a message attaches one header, not one per method. */
    private final gov.nist.javax.sip.header.AllowList allowHeaders = new gov.nist.javax.sip.header.AllowList();
    /** The last Contact built, with its key (transport, host, port, secure): reused while they hold. */
    private volatile CachedContact lastContact;

    private record CachedContact(String transport, String host, int port, boolean secure, Header header) {
        boolean matches(String t, String h, int p, boolean s) {
            return p == port && s == secure && java.util.Objects.equals(t, transport) && h.equals(host);
        }
    }

    /** @param stopping true once the user agent refuses new calls (503 then gets Retry-After) */
    public SipResponder(SipProvider provider, SipSettings settings, BooleanSupplier stopping) {
        this(provider, settings, stopping, false);
    }

    /** @param register true when a registrar answers REGISTER: Allow then lists it */
    public SipResponder(SipProvider provider, SipSettings settings, BooleanSupplier stopping, boolean register) {
        this(provider, settings, stopping, register, false);
    }

    /**
     * @param subscribe true when presence answers SUBSCRIBE: Allow then lists it. Not NOTIFY: we
     *     send NOTIFYs as a notifier but take none (a NOTIFY to us gets 501), and Allow lists what
     *     we accept (RFC 3261 20.5)
     */
    public SipResponder(SipProvider provider, SipSettings settings, BooleanSupplier stopping, boolean register,
            boolean subscribe) {
        this.provider = provider;
        this.settings = settings;
        this.stopping = stopping;
        String[] methods = register ? ALLOW_WITH_REGISTER : ALLOW;
        if (subscribe) {
            methods = java.util.Arrays.copyOf(methods, methods.length + 1);
            methods[methods.length - 1] = "SUBSCRIBE";
        }
        this.allow = methods;
        this.server = serverHeader(settings.userAgent());
        try {
            this.supportedTags = new Header[SUPPORTED.length];
            for (int i = 0; i < SUPPORTED.length; i++) {
                supportedTags[i] = headers.createHeader("Supported", SUPPORTED[i]);
            }
            for (String method : methods) {
                allowHeaders.add((gov.nist.javax.sip.header.Allow) headers.createAllowHeader(method));
            }
        } catch (ParseException e) {
            throw new IllegalStateException("constant SIP headers unparsable", e);
        }
    }

    /** The Server header of {@code userAgent}; null when the RI cannot parse it (each response then fails as it did). */
    private Header serverHeader(String userAgent) {
        try {
            return headers.createHeader("Server", userAgent);
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    private static Header copy(Header h) {
        return (Header) h.clone();
    }

    public MessageFactory messages() {
        return messages;
    }

    public HeaderFactory headers() {
        return headers;
    }

    public AddressFactory addresses() {
        return addresses;
    }

    /**
     * The server transaction of a request: the stack's, or a new one; null when the request is a
     * retransmission racing its original (the existing transaction answers it), which the caller
     * then drops.
     */
    public ServerTransaction serverTransaction(RequestEvent event) throws SipException {
        ServerTransaction st = event.getServerTransaction();
        if (st != null) {
            return st;
        }
        try {
            return provider.getNewServerTransaction(event.getRequest());
        } catch (TransactionAlreadyExistsException e) {
            return null;
        }
    }

    /**
     * Drops a server transaction whose final response could not be sent (the peer is gone): an
     * INVITE transaction the RI never saw answered would otherwise stay in Proceeding for good.
     */
    public static void abandon(ServerTransaction st) {
        if (st == null) {
            return;
        }
        try {
            st.terminate();
        } catch (javax.sip.ObjectInUseException | RuntimeException e) {
            // already ending
        }
    }

    /** A final response on a server transaction, with our To tag and an optional Reason. */
    /**
     * 503 Service Unavailable with Retry-After: the answer when a bounded queue (the registrar's,
     * the presence thread's) is full or closed, so the peer retries later instead of at once.
     */
    public void replyUnavailable(ServerTransaction st, Request req, int retryAfterS)
            throws SipException, ParseException, InvalidArgumentException {
        Response r = messages.createResponse(Response.SERVICE_UNAVAILABLE, req);
        r.addHeader(headers.createRetryAfterHeader(retryAfterS));
        addToTag(r, null);
        st.sendResponse(r);
    }

    /** 420 Bad Extension naming the option tag we do not support (RFC 3261 8.2.2.3). */
    public void replyBadExtension(ServerTransaction st, Request req, String unsupportedTag)
            throws SipException, ParseException, InvalidArgumentException {
        Response r = messages.createResponse(Response.BAD_EXTENSION, req);
        r.addHeader(headers.createUnsupportedHeader(unsupportedTag));
        addToTag(r, null);
        st.sendResponse(r);
    }

    /** A final response with our own reason phrase, e.g. {@code 400 Bad q-value '1.5'}. */
    public void replyPhrase(ServerTransaction st, Request req, int status, String phrase)
            throws SipException, ParseException, InvalidArgumentException {
        Response r = messages.createResponse(status, req);
        r.setReasonPhrase(phrase);
        addToTag(r, null);
        st.sendResponse(r);
    }

    public void reply(ServerTransaction st, Request req, int status, Reason reason, String localTag)
            throws SipException, ParseException, InvalidArgumentException {
        Response r = messages.createResponse(status, req);
        addToTag(r, localTag);
        if (reason != null) {
            r.addHeader(headers.createHeader(Reason.HEADER, reason.toHeaderValue()));
        }
        if (status == Response.SERVICE_UNAVAILABLE && stopping.getAsBoolean()) {
            r.addHeader(headers.createRetryAfterHeader(60));
        }
        st.sendResponse(r);
    }

    public void respondStateless(RequestEvent event, int status, Reason reason)
            throws SipException, ParseException, InvalidArgumentException {
        Request req = event.getRequest();
        Response r = messages.createResponse(status, req);
        addToTag(r, null);
        if (status == Response.NOT_IMPLEMENTED || status == Response.METHOD_NOT_ALLOWED) {
            addAllow(r);
        }
        send(event, r);
    }

    public void send(RequestEvent event, Response r) throws SipException, InvalidArgumentException {
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

    /** Our To tag ({@code localTag}, or a fresh one when null), and Allow/Supported/Server. */
    public void addToTag(Response r, String localTag) throws ParseException {
        ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
        if (to.getTag() == null) {
            to.setTag(localTag != null ? localTag : SipMessages.newTag());
        }
        if (r.getHeader("Allow") == null && r.getStatusCode() == Response.OK) {
            addAllow(r);
            setSupported(r, true);
        }
        if (r.getHeader("Server") == null) {
            r.addHeader(server != null ? copy(server) : headers.createHeader("Server", settings.userAgent()));
        }
    }

    /**
     * Allow, every method (the RI refuses a comma list in createHeader): a copy of the list built
     * once, attached as one header; the RI joins one header per method into that same list, so
     * the text sent is the same ({@code Allow: INVITE,ACK,...}).
     */
    public void addAllow(Message m) throws ParseException {
        m.addHeader((Header) allowHeaders.clone());
    }

    /** Allow without {@code method}: a 405 for a method we take only in some cases (REFER outside a dialog). */
    public void addAllowExcept(Message m, String method) throws ParseException {
        for (String a : allow) {
            if (!a.equals(method)) {
                m.addHeader(headers.createAllowHeader(a));
            }
        }
    }

    /**
     * Supported: one header per tag, replacing any already there (never "timer,timer").
     *
     * @param withPrack false leaves 100rel out (a trunk with {@code prack = off})
     */
    public void setSupported(Message m, boolean withPrack) throws ParseException {
        m.removeHeader("Supported");
        for (int i = 0; i < SUPPORTED.length; i++) {
            if (withPrack || !SUPPORTED[i].equals("100rel")) {
                m.addHeader(copy(supportedTags[i]));
            }
        }
    }

    public Header contact(String transport) throws ParseException {
        return contact(transport, false);
    }

    /**
     * Our Contact for a message over {@code transport}: the host and port of that transport's
     * listening point (TLS has its own), {@code transport=tcp|tls}; a {@code sips:} URI when the
     * request was one (RFC 3261 8.1.1.8, 12.1.1: a sips Request-URI needs a sips Contact).
     */
    public Header contact(String transport, boolean secure) throws ParseException {
        String host = settings.hostFor(transport);
        int port = settings.portFor(transport);
        CachedContact c = lastContact;
        if (c != null && c.matches(transport, host, port, secure)) {
            return copy(c.header());
        }
        Header h = buildContact(transport, host, port, secure);
        lastContact = new CachedContact(transport, host, port, secure, h);
        return copy(h);
    }

    private Header buildContact(String transport, String host, int port, boolean secure) throws ParseException {
        SipURI uri = addresses.createSipURI(null, host);
        uri.setPort(port);
        if (secure) {
            uri.setSecure(true);
        } else if ("tcp".equals(transport) || "tls".equals(transport)) {
            uri.setTransportParam(transport);
        }
        return headers.createContactHeader(addresses.createAddress(uri));
    }
}
