package org.tandem.gateway.sip;

import org.tandem.gateway.interwork.SipIdentity;
import org.tandem.gateway.sdp.SessionDescription;

/**
 * An INVITE call control asks the SIP side to send.
 *
 * @param calledUser user part of the Request-URI and To (the called number as routed)
 * @param host target host (the trunk's, or of a fixed SIP URI)
 * @param port target port
 * @param transport "udp" or "tcp"
 * @param identity From / P-Asserted-Identity / Privacy (from IdentityMapper.toSip)
 * @param offer our SDP offer (the gateway always offers in the INVITE)
 * @param trunk the trunk for credentials when challenged, or null for a plain URI
 */
public record OutboundInvite(String calledUser, String host, int port, String transport,
        SipIdentity identity, SessionDescription offer, SipTrunk trunk) {
    public OutboundInvite {
        if (offer == null) {
            throw new IllegalArgumentException("outbound INVITE needs an SDP offer");
        }
        if (!"udp".equals(transport) && !"tcp".equals(transport)) {
            throw new IllegalArgumentException("transport must be udp or tcp: " + transport);
        }
    }

    public static OutboundInvite toTrunk(SipTrunk trunk, String calledUser, SipIdentity identity,
            SessionDescription offer) {
        return new OutboundInvite(calledUser, trunk.host(), trunk.port(), trunk.transport(), identity, offer, trunk);
    }
}
