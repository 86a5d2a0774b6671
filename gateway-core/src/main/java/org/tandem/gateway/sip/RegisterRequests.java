package org.tandem.gateway.sip;

import static org.tandem.gateway.sip.stack.SipMessages.callId;
import static org.tandem.gateway.sip.stack.SipMessages.headerValue;

import gov.nist.javax.sip.stack.SIPTransaction;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.TimeZone;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.registrar.Flow;
import org.tandem.gateway.registrar.RegisterRequest;
import org.tandem.gateway.registrar.RegisterResponse;
import org.tandem.gateway.registrar.RegistrarService;
import org.tandem.gateway.registrar.RequestContact;
import org.tandem.gateway.sip.stack.SipMessages;
import org.tandem.gateway.sip.stack.SipResponder;

/**
 * REGISTER (RFC 3261 section 10): turns the JAIN-SIP request into a plain
 * {@link RegisterRequest}, hands it to the registrar thread ({@link RegistrarService}) and sends
 * the {@link RegisterResponse} it gets back on the server transaction. The RFC 3261 10.3 rules
 * are all in {@code org.tandem.gateway.registrar}; this class only reads and writes headers.
 *
 * <p>Threading: {@link #onRegister} runs on a stack worker thread and does not wait: it creates
 * the server transaction (so retransmissions are absorbed while the registrar thinks), reads the
 * request and queues it. The response is built and sent on the registrar thread. Nothing here
 * keeps state.
 *
 * <p>RFC 3581: the RI itself adds {@code received} and the {@code rport} value to the top Via of
 * a request whose Via has {@code rport} (UDPMessageChannel/TCP channel on receipt), and the
 * response copies that Via, so nothing is done here (tested in {@code RegistrarEndToEndTest}).
 * The flow ({@link Flow}) is the packet's real source address and port and the transaction's
 * transport, never what the Via or Contact claims.
 */
final class RegisterRequests {
    private static final Logger LOG = LoggerFactory.getLogger(RegisterRequests.class);
    /** Option tags a REGISTER may Require of us: RFC 3327 path (a proxy that added a Path may). */
    private static final List<String> SUPPORTED_REQUIRE = List.of("path");

    private final SipResponder responder;
    private final RegistrarService registrar;

    RegisterRequests(SipResponder responder, RegistrarService registrar) {
        this.responder = responder;
        this.registrar = registrar;
    }

    void onRegister(RequestEvent event) throws SipException, ParseException, InvalidArgumentException {
        Request req = event.getRequest();
        ServerTransaction st = responder.serverTransaction(event);
        if (st == null) {
            return; // a retransmission racing its original: the transaction answers it
        }
        String unsupported = unsupportedRequire(req);
        if (unsupported != null) {
            responder.replyBadExtension(st, req, unsupported);
            return;
        }
        RegisterRequest plain;
        try {
            plain = read(req, st);
        } catch (IllegalArgumentException e) {
            LOG.info("REGISTER from {} (Call-ID {}) refused: {}", SipMessages.source(req), callId(req), e.getMessage());
            responder.replyPhrase(st, req, Response.BAD_REQUEST, e.getMessage());
            return;
        }
        final ServerTransaction tx = st;
        if (!registrar.submit(plain, answer -> send(tx, req, answer))) {
            LOG.warn("REGISTER from {}: the registrar's queue is full or closed (503)", plain.source());
            responder.replyUnavailable(tx, req, 5);
        }
    }

    /** The request as plain values; IllegalArgumentException for what no registrar can judge. */
    private static RegisterRequest read(Request req, ServerTransaction st) {
        URI ruri = req.getRequestURI();
        if (!(ruri instanceof SipURI r)) {
            throw new IllegalArgumentException("Request-URI " + ruri + " is not a SIP URI");
        }
        ToHeader toHeader = (ToHeader) req.getHeader(ToHeader.NAME);
        if (!(toHeader.getAddress().getURI() instanceof SipURI to)) {
            throw new IllegalArgumentException("To " + toHeader.getAddress().getURI() + " is not a SIP URI");
        }
        List<String> authorizations = values(req, "Authorization");
        boolean star = false;
        List<RequestContact> contacts = new ArrayList<>();
        ListIterator<?> it = req.getHeaders(ContactHeader.NAME);
        while (it.hasNext()) {
            ContactHeader c = (ContactHeader) it.next();
            if (c.isWildCard()) {
                star = true;
            } else {
                contacts.add(new RequestContact(c.getAddress().getURI().toString(), c.getParameter("expires"),
                        c.getParameter("q")));
            }
        }
        if (star && !contacts.isEmpty()) {
            // step 6: the registrar answers 400 for '*' with other Contacts; keep them for it to see
            contacts.add(0, new RequestContact("*", null, null));
        }
        CSeqHeader cseq = (CSeqHeader) req.getHeader(CSeqHeader.NAME);
        InetSocketAddress src = SipMessages.source(req);
        String transport = st instanceof SIPTransaction t && t.getTransport() != null ? t.getTransport()
                : SipMessages.transport(req);
        Flow flow = new Flow(transport, src.getAddress().getHostAddress(), src.getPort());
        return new RegisterRequest(r.getHost(), unescape(to.getUser()), to.getHost(), authorizations, callId(req),
                cseq.getSeqNumber(), headerValue(req, "Expires"), star, contacts, values(req, "Path"),
                SipMessages.optionTagPresent(req, "Supported", "path"), flow, headerValue(req, "User-Agent"));
    }

    /** The registrar's answer on the transaction (registrar thread). */
    private void send(ServerTransaction st, Request req, RegisterResponse answer) {
        try {
            Response r = responder.messages().createResponse(answer.status(), req);
            r.setReasonPhrase(answer.reason());
            HeaderFactory h = responder.headers();
            for (RegisterResponse.GrantedContact c : answer.contacts()) {
                r.addHeader(h.createHeader(ContactHeader.NAME, c.headerValue()));
            }
            for (String challenge : answer.challenges()) {
                r.addHeader(h.createHeader("WWW-Authenticate", challenge));
            }
            if (answer.status() == Response.INTERVAL_TOO_BRIEF) {
                r.addHeader(h.createMinExpiresHeader((int) Math.min(Integer.MAX_VALUE, answer.minExpiresS())));
            }
            if (answer.retryAfterS() > 0) {
                r.addHeader(h.createRetryAfterHeader((int) Math.min(Integer.MAX_VALUE, answer.retryAfterS())));
            }
            for (String p : answer.path()) {
                r.addHeader(h.createHeader("Path", p));
            }
            // RFC 3261 10.3 step 8: the 200 SHOULD carry a Date (phones without a clock set it from it).
            r.addHeader(h.createDateHeader(Calendar.getInstance(TimeZone.getTimeZone("GMT"), Locale.ROOT)));
            responder.addToTag(r, null);
            if (!answer.path().isEmpty()) {
                r.addHeader(h.createHeader("Supported", "path")); // RFC 3327 5.3 (the RI wants one tag a header)
            }
            st.sendResponse(r);
        } catch (SipException | ParseException | InvalidArgumentException | RuntimeException e) {
            LOG.warn("could not send {} to REGISTER (Call-ID {}): {}", answer.status(), callId(req), e.toString());
        }
    }

    private static List<String> values(Request req, String name) {
        List<String> out = new ArrayList<>();
        ListIterator<?> it = req.getHeaders(name);
        while (it.hasNext()) {
            out.add(headerValue((Header) it.next()));
        }
        return out;
    }

    private static String unsupportedRequire(Request req) {
        ListIterator<?> it = req.getHeaders("Require");
        while (it.hasNext()) {
            for (String tag : headerValue((Header) it.next()).split(",")) {
                String t = tag.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty() && !SUPPORTED_REQUIRE.contains(t)) {
                    return t;
                }
            }
        }
        return null;
    }

    /** RFC 3261 19.1.4: the user part compares unescaped ({@code %61lice} is {@code alice}). */
    static String unescape(String user) {
        if (user == null || user.indexOf('%') < 0) {
            return user;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(user.length());
        for (int i = 0; i < user.length(); i++) {
            char ch = user.charAt(i);
            if (ch == '%' && i + 2 < user.length() && hex(user.charAt(i + 1)) >= 0 && hex(user.charAt(i + 2)) >= 0) {
                out.write(hex(user.charAt(i + 1)) * 16 + hex(user.charAt(i + 2)));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(ch).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
