package org.tandem.gateway.sip;

/**
 * Call control's reference to one SIP call leg (one INVITE dialog). Opaque; compare by identity
 * or {@link #id()}.
 *
 * @param id unique within this SipUserAgent
 * @param callId the SIP Call-ID (for CDRs and logs)
 * @param inbound true when the peer sent the INVITE
 */
public record CallHandle(long id, String callId, boolean inbound) {
    @Override
    public String toString() {
        return (inbound ? "in#" : "out#") + id + "(" + callId + ")";
    }
}
