package org.tandem.gateway.call;

import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.sdp.NegotiatedMedia;
import org.tandem.gateway.sdp.Negotiation;
import org.tandem.gateway.sdp.OfferAnswer;
import org.tandem.gateway.sdp.SessionDescription;

/**
 * Offer/answer after set-up: answers a re-offer from the SIP peer (re-INVITE: hold, resume, a new
 * address) in a call of either direction, with a new SDP version, and points the running media
 * session at the new address and direction; an unusable offer gets 488 and changes nothing.
 * Runs on the {@link CallControlAgent} thread.
 */
final class ReofferHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ReofferHandler.class);

    private final CallRegistry calls;
    private final PstnHold pstnHold;

    ReofferHandler(CallRegistry calls, PstnHold pstnHold) {
        this.calls = calls;
        this.pstnHold = pstnHold;
    }

    void onSipReoffer(Call c, SessionDescription offer) {
        c.origin = c.origin.next();
        Negotiation n = OfferAnswer.answer(offer, c.policy, c.origin);
        if (n instanceof Negotiation.Agreed a) {
            NegotiatedMedia previous = c.negotiated;
            c.negotiated = a.media();
            c.localSdp = a.localSdp();
            if (c.media != null) {
                if (a.media().remoteChangedFrom(previous)) {
                    c.media.updateRemote(new InetSocketAddress(a.media().remoteAddress(), a.media().remotePort()));
                }
                if (a.media().srtpChangedFrom(previous)) {
                    c.media.rekey(a.media().srtp());
                }
                c.media.setDirection(CallMedia.mediaDirection(a.media().direction()));
            }
            calls.sip().answerReoffer(c.sip, a.localSdp());
            pstnHold.onSipDirection(c, a.media().direction());
            LOG.info("call {}: re-offer accepted ({})", c.id, a.media().direction().attribute());
        } else {
            calls.sip().rejectReoffer(c.sip, 488);
        }
    }
}
