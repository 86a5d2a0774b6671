package org.tandem.gateway.sip;

import java.util.List;
import java.util.Objects;
import org.tandem.gateway.interwork.Redirection;
import org.tandem.gateway.interwork.RedirectionHeaders;
import org.tandem.gateway.interwork.SipIdentity;
import org.tandem.gateway.sdp.SessionDescription;

/**
 * An INVITE call control asks the SIP side to send.
 *
 * @param calledUser user part of the Request-URI and To (the called number as routed)
 * @param host target host (the trunk's, or of a fixed SIP URI; for a registered contact, its flow's)
 * @param port target port
 * @param transport "udp", "tcp" or "tls"
 * @param identity From / P-Asserted-Identity / Privacy (from IdentityMapper.toSip)
 * @param offer our SDP offer (the gateway always offers in the INVITE)
 * @param trunk the trunk for credentials when challenged, or null for a plain URI or a user
 * @param contact the registered contact this INVITE goes to, or null for a trunk or a URI
 * @param redirection a diverted call's redirecting party, or null: sent as the headers of
 *                    {@code redirectionHeaders} (call control sets it only for trusted trunks)
 * @param redirectionHeaders which headers carry {@code redirection} (NONE when it is null)
 * @param replaces a {@code Replaces} header value (RFC 3891) to send, or null: a transfer whose
 *                 REFER named a dialog of the target's (attended transfer passed on)
 */
public record OutboundInvite(String calledUser, String host, int port, String transport,
        SipIdentity identity, SessionDescription offer, SipTrunk trunk, ContactTarget contact,
        Redirection redirection, RedirectionHeaders redirectionHeaders, String replaces) {
    public OutboundInvite {
        redirectionHeaders = redirection == null || redirectionHeaders == null ? RedirectionHeaders.NONE
                : redirectionHeaders;
        if (offer == null) {
            throw new IllegalArgumentException("outbound INVITE needs an SDP offer");
        }
        if (!"udp".equals(transport) && !"tcp".equals(transport) && !"tls".equals(transport)) {
            throw new IllegalArgumentException("transport must be udp, tcp or tls: " + transport);
        }
    }

    /** Without Replaces. */
    public OutboundInvite(String calledUser, String host, int port, String transport, SipIdentity identity,
            SessionDescription offer, SipTrunk trunk, ContactTarget contact, Redirection redirection,
            RedirectionHeaders redirectionHeaders) {
        this(calledUser, host, port, transport, identity, offer, trunk, contact, redirection, redirectionHeaders, null);
    }

    /** The same INVITE with a Replaces header (RFC 3891). */
    public OutboundInvite withReplaces(String value) {
        return new OutboundInvite(calledUser, host, port, transport, identity, offer, trunk, contact, redirection,
                redirectionHeaders, value);
    }

    /** An INVITE to a trunk or a fixed URI: Request-URI {@code sip:calledUser@host:port}. */
    public OutboundInvite(String calledUser, String host, int port, String transport, SipIdentity identity,
            SessionDescription offer, SipTrunk trunk) {
        this(calledUser, host, port, transport, identity, offer, trunk, null, null, null);
    }

    /** An INVITE to a trunk, a URI or a contact, not of a diverted call. */
    public OutboundInvite(String calledUser, String host, int port, String transport, SipIdentity identity,
            SessionDescription offer, SipTrunk trunk, ContactTarget contact) {
        this(calledUser, host, port, transport, identity, offer, trunk, contact, null, null);
    }

    /** The same INVITE of a diverted call: {@code r} is sent in the headers {@code headers} says. */
    public OutboundInvite withRedirection(Redirection r, RedirectionHeaders headers) {
        return new OutboundInvite(calledUser, host, port, transport, identity, offer, trunk, contact, r, headers,
                replaces);
    }

    public static OutboundInvite toTrunk(SipTrunk trunk, String calledUser, SipIdentity identity,
            SessionDescription offer) {
        return new OutboundInvite(calledUser, trunk.host(), trunk.port(), trunk.transport(), identity, offer, trunk);
    }

    /**
     * An INVITE to one registered contact: Request-URI the Contact as registered, Route the Path
     * (RFC 3327), sent to the flow the REGISTER came from (its source address and port, so a
     * phone behind NAT is reached through the pinhole its REGISTER opened), To the AOR.
     */
    public static OutboundInvite toContact(ContactTarget contact, String calledUser, SipIdentity identity,
            SessionDescription offer) {
        return new OutboundInvite(calledUser, contact.flowHost(), contact.flowPort(), contact.flowTransport(),
                identity, offer, null, contact);
    }

    /** The host of the To URI: the AOR's domain for a registered contact, else the target host. */
    public String toHost() {
        return contact == null ? host : contact.aorHost();
    }

    /**
     * A registered contact as the SIP side needs it (plain values: the SIP side knows nothing of
     * the registrar).
     *
     * @param requestUri the Contact URI as registered (the Request-URI, RFC 3261 10.2.1 / 16.5)
     * @param path the Path values of the REGISTER in order, each {@code <sip:...;lr>}: the Route set
     * @param flowTransport transport the REGISTER came over ({@code udp}, {@code tcp})
     * @param flowHost source address of the REGISTER (Via received)
     * @param flowPort source port of the REGISTER (Via rport)
     * @param aorHost the served domain, host of the To URI
     */
    public record ContactTarget(String requestUri, List<String> path, String flowTransport, String flowHost,
            int flowPort, String aorHost) {
        public ContactTarget {
            Objects.requireNonNull(requestUri, "requestUri");
            Objects.requireNonNull(flowHost, "flowHost");
            Objects.requireNonNull(aorHost, "aorHost");
            path = List.copyOf(path);
        }
    }
}
