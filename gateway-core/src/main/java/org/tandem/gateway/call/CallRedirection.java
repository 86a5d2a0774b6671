package org.tandem.gateway.call;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.config.TrunkConfig;
import org.tandem.gateway.interwork.Redirection;
import org.tandem.gateway.interwork.RedirectionHeaders;
import org.tandem.gateway.interwork.RedirectionMapper;
import org.tandem.gateway.sip.OutboundInvite;
import org.tandem.gateway.sip.SipEvent;

/**
 * Which redirection (the ISDN redirecting number, RFC 5806 Diversion / RFC 7044 History-Info)
 * a call carries across the gateway. It is identity information, so the trust rule of RFC 3325's
 * PAI applies: it is read only from INVITEs of a trunk's trusted sources and sent only to trunks,
 * each in the headers of its {@code [trunk] redirection_headers}. From the PSTN it is always taken
 * (the span is the operator's network). Malformed headers are logged and the call goes on
 * without them.
 *
 * <p>Call-control thread; pure functions of the configuration in force.
 */
final class CallRedirection {
    private static final Logger LOG = LoggerFactory.getLogger(CallRedirection.class);

    private CallRedirection() {
    }

    /** SIP -> PSTN: the redirection of a received INVITE, or null. */
    static Redirection fromSip(ActiveConfig config, String callId, SipEvent.IncomingCall e) {
        if (e.redirection().isEmpty()) {
            return null;
        }
        RedirectionHeaders mode = mode(config, e.trunk());
        if (mode == RedirectionHeaders.NONE) {
            LOG.debug("call {}: Diversion/History-Info not read: {}", callId,
                    e.trunk() == null ? "not from a trunk" : "trunk " + e.trunk() + " has redirection_headers = none");
            return null;
        }
        try {
            Optional<Redirection> r = RedirectionMapper.fromSip(e.redirection(), mode);
            r.ifPresent(x -> LOG.info("call {}: diverted by {} ({}, {} diversion(s){})", callId, x.redirectingUser(),
                    x.reason().diversionToken(), x.count(),
                    x.originalCalledUser() == null ? "" : ", originally to " + x.originalCalledUser()));
            return r.orElse(null);
        } catch (IllegalArgumentException ex) {
            LOG.warn("call {}: malformed redirection header from trunk {} ignored, the call goes on without it: {}",
                    callId, e.trunk(), ex.getMessage());
            return null;
        }
    }

    /** PSTN -> SIP: the INVITE to a trunk with the call's redirection in the trunk's headers. */
    static OutboundInvite toSip(ActiveConfig config, Redirection r, OutboundInvite invite) {
        if (r == null || invite.trunk() == null) {
            return invite;
        }
        RedirectionHeaders mode = mode(config, invite.trunk().name());
        return mode == RedirectionHeaders.NONE ? invite : invite.withRedirection(r, mode);
    }

    /** The trunk's {@code redirection_headers}; NONE for no trunk (phones, URIs: not trusted). */
    private static RedirectionHeaders mode(ActiveConfig config, String trunk) {
        TrunkConfig t = trunk == null ? null : config.config().trunks().get(trunk);
        if (t == null) {
            return RedirectionHeaders.NONE;
        }
        return RedirectionHeaders.valueOf(t.redirectionHeaders().name());
    }
}
