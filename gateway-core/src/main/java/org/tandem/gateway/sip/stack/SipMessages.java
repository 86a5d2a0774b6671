package org.tandem.gateway.sip.stack;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import org.tandem.gateway.interwork.Reason;
import org.tandem.gateway.interwork.ReceivedRedirection;
import org.tandem.gateway.interwork.RedirectionMapper;
import org.tandem.gateway.interwork.SipIdentity;

/**
 * Reading JAIN-SIP RI messages: the header values, identities, addresses and bodies the user
 * agent's behaviours ask about, whatever class the RI parsed a header into. Static and
 * stateless: safe on any thread. Nothing here sends or changes a message.
 */
public final class SipMessages {
    private SipMessages() {
    }

    /** The first Require option tag other than "timer" and "replaces" (RFC 3891), or null. */
    public static String unsupportedRequire(Request req) {
        return unsupportedRequire(req, false);
    }

    /**
     * The first option tag of the request's Require that we do not support ("timer", "replaces"
     * are), or null.
     *
     * @param prack 100rel (RFC 3262) counts as supported
     */
    public static String unsupportedRequire(Request req, boolean prack) {
        ListIterator<?> it = req.getHeaders("Require");
        while (it.hasNext()) {
            for (String tag : headerValue((Header) it.next()).split(",")) {
                String t = tag.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty() && !t.equals("timer") && !t.equals("replaces") && !(prack && t.equals("100rel"))) {
                    return t;
                }
            }
        }
        return null;
    }

    /** Whether any of the message's {@code header} headers lists the option tag. */
    public static boolean optionTagPresent(Message m, String header, String tag) {
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

    /** Calling identity of a request: From, P-Asserted-Identity and Privacy (RFC 3325). */
    public static SipIdentity identity(Request req) {
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

    /**
     * The redirection headers of a request as text (RFC 5806 Diversion, RFC 7044 History-Info, a
     * Privacy: history); call control judges them ({@code interwork.RedirectionMapper}).
     */
    public static ReceivedRedirection redirection(Request req) {
        List<String> diversion = headerValues(req, RedirectionMapper.DIVERSION);
        List<String> historyInfo = headerValues(req, RedirectionMapper.HISTORY_INFO);
        if (diversion.isEmpty() && historyInfo.isEmpty()) {
            return ReceivedRedirection.NONE;
        }
        boolean privacyHistory = false;
        ListIterator<?> it = req.getHeaders(SipIdentity.PRIVACY_HEADER);
        while (it.hasNext()) {
            for (String p : headerValue((Header) it.next()).split(";")) {
                privacyHistory |= p.trim().equalsIgnoreCase("history");
            }
        }
        return new ReceivedRedirection(diversion, historyInfo, privacyHistory);
    }

    /** The values of every header of that name, in message order (at most 32). */
    public static List<String> headerValues(Message m, String name) {
        List<String> out = new ArrayList<>();
        ListIterator<?> it = m.getHeaders(name);
        while (it.hasNext() && out.size() < 32) {
            out.add(headerValue((Header) it.next()));
        }
        return out;
    }

    /** The user part of "sip:user@host", "sips:..." or the number of "tel:+123;..." */
    public static String uriUser(String uri) {
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

    public static String userOf(URI uri) {
        if (uri instanceof SipURI s) {
            return s.getUser();
        }
        return uriUser(uri.toString());
    }

    /** Where the request came from: the packet's source, not what Via claims. */
    public static InetSocketAddress source(Request req) {
        SIPRequest r = (SIPRequest) req;
        InetAddress a = r.getPeerPacketSourceAddress() != null ? r.getPeerPacketSourceAddress() : r.getRemoteAddress();
        int port = r.getPeerPacketSourcePort() > 0 ? r.getPeerPacketSourcePort() : r.getRemotePort();
        return new InetSocketAddress(a, port);
    }

    /** "udp" or "tcp": the transport of the top Via, in lower case. */
    public static String transport(Request req) {
        ViaHeader via = (ViaHeader) req.getHeader(ViaHeader.NAME);
        return via == null ? "udp" : via.getTransport().toLowerCase(Locale.ROOT);
    }

    public static String callId(Message m) {
        CallIdHeader h = (CallIdHeader) m.getHeader(CallIdHeader.NAME);
        return h == null ? "" : h.getCallId();
    }

    public static String fromTag(Message m) {
        FromHeader from = (FromHeader) m.getHeader(FromHeader.NAME);
        return from == null ? null : from.getTag();
    }

    /** The CSeq number, -1 without a CSeq. */
    public static long cseqNumber(Message m) {
        CSeqHeader c = (CSeqHeader) m.getHeader(CSeqHeader.NAME);
        return c == null ? -1 : c.getSeqNumber();
    }

    public static String toTag(Message m) {
        ToHeader to = (ToHeader) m.getHeader(ToHeader.NAME);
        return to == null ? null : to.getTag();
    }

    public static boolean hasSdp(Message m) {
        ContentTypeHeader ct = (ContentTypeHeader) m.getHeader(ContentTypeHeader.NAME);
        return ct != null && m.getRawContent() != null && m.getRawContent().length > 0
                && "application".equalsIgnoreCase(ct.getContentType()) && "sdp".equalsIgnoreCase(ct.getContentSubType());
    }

    public static String body(Message m) {
        return new String(m.getRawContent(), StandardCharsets.UTF_8);
    }

    /** The first Q.850 cause of the Reason header (RFC 3326), or null. */
    public static Reason reasonOf(Message m) {
        Header h = m.getHeader(Reason.HEADER);
        return h == null ? null : Reason.firstQ850(headerValue(h)).orElse(null);
    }

    public static String headerValue(Message m, String name) {
        Header h = m.getHeader(name);
        return h == null ? null : headerValue(h);
    }

    /** A header's value without "Name:" and line end, whatever class the RI parsed it into. */
    public static String headerValue(Header h) {
        if (h instanceof SIPHeader s) {
            return s.getHeaderValue().trim();
        }
        String text = h.toString();
        int colon = text.indexOf(':');
        return (colon < 0 ? text : text.substring(colon + 1)).trim();
    }

    /** A fresh random From/To tag. */
    public static String newTag() {
        return Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }
}
