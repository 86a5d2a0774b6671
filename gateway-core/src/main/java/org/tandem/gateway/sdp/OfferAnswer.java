package org.tandem.gateway.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tandem.gateway.srtp.SrtpProfile;

/**
 * RFC 3264 offer/answer for one G.711 audio stream plus RFC 4733 telephone-event.
 *
 * <p>Codec choice: the span's law if the peer offers it (no transcoding), else the other law if
 * the policy allows, else nothing usable. The first usable audio stream is taken; every other
 * m= line is refused with port 0 in the answer, in the same position (RFC 3264 section 6).
 *
 * <p>SRTP (RFC 3711) keyed by SDES (RFC 4568) as {@link SrtpPolicy} says: a=crypto lines in our
 * offers, the first usable offered line answered with our own key, 488 reasons when SRTP is
 * required and not offered or when keys would travel in the clear.
 */
public final class OfferAnswer {
    private static final String AVP = "RTP/AVP";
    /** RFC 3711 with SDES keys (RFC 4568), only when the SDP travels over TLS (docs/SIP.md "SRTP"). */
    private static final String SAVP = "RTP/SAVP";
    /** Our tags for the two suites in our offers. */
    private static final long TAG_80 = 1;
    private static final long TAG_32 = 2;

    private OfferAnswer() {
    }

    /** Builds an offer: preferred law first, the other one if allowed, telephone-event, ptime. */
    public static SessionDescription offer(MediaPolicy policy, SdpOrigin origin, Direction direction) {
        List<String> formats = new ArrayList<>();
        Map<Integer, RtpMap> maps = new java.util.LinkedHashMap<>();
        Map<Integer, String> fmtps = new java.util.HashMap<>();
        G711 first = policy.preferredLaw();
        formats.add(String.valueOf(first.payloadType()));
        maps.put(first.payloadType(), first.rtpMap());
        if (policy.allowOtherLaw()) {
            formats.add(String.valueOf(first.other().payloadType()));
            maps.put(first.other().payloadType(), first.other().rtpMap());
        }
        if (policy.telephoneEvent()) {
            int pt = policy.telephoneEventPt();
            formats.add(String.valueOf(pt));
            maps.put(pt, new RtpMap(pt, "telephone-event", 8000, 1));
            fmtps.put(pt, "0-15");
        }
        SrtpPolicy srtp = policy.srtp();
        List<String> attributes = List.of();
        String protocol = AVP;
        if (srtp.offersKeys()) {
            // RFC 4568 6.1: one line per suite, most preferred first, each with its own key
            attributes = List.of(
                    "crypto:" + CryptoAttribute.of(TAG_80, SrtpProfile.AES_CM_128_HMAC_SHA1_80, srtp.key80())
                            .attributeValue(),
                    "crypto:" + CryptoAttribute.of(TAG_32, SrtpProfile.AES_CM_128_HMAC_SHA1_32, srtp.key32())
                            .attributeValue());
            protocol = srtp.mode() == SrtpPolicy.Mode.REQUIRE ? SAVP : AVP;
        }
        MediaDescription m = new MediaDescription("audio", policy.localRtpPort(), protocol, formats, null, maps,
                fmtps, policy.ptimeMs(), direction, attributes);
        return new SessionDescription(origin.user(), origin.sessionId(), origin.version(), origin.address(),
                "Tandem", policy.localAddress(), null, List.of(m));
    }

    /** Answers a peer's offer (an INVITE's, a re-INVITE's or an UPDATE's). */
    public static Negotiation answer(SessionDescription offer, MediaPolicy policy, SdpOrigin origin) {
        List<MediaDescription> answerMedia = new ArrayList<>();
        NegotiatedMedia chosen = null;
        String why = offer.media().isEmpty() ? "offer has no m= line" : null;
        for (MediaDescription m : offer.media()) {
            if (chosen == null) {
                Choice c = choose(offer, m, policy, m.payloadTypes());
                SrtpAnswer s = c.media == null ? null : answerSrtp(m, policy.srtp());
                if (s != null && s.why == null) {
                    chosen = withSrtp(c.media, s.keys);
                    answerMedia.add(answerStream(m, c, policy, s.ours));
                    continue;
                }
                why = why == null ? (s == null ? c.why : s.why) : why;
            }
            answerMedia.add(refused(m));
        }
        if (chosen == null) {
            return new Negotiation.NotAcceptable(why);
        }
        SessionDescription sdp = new SessionDescription(origin.user(), origin.sessionId(), origin.version(),
                origin.address(), "Tandem", policy.localAddress(), null, answerMedia);
        return new Negotiation.Agreed(sdp, chosen);
    }

    /** Processes the peer's answer to our offer (200 OK to our INVITE, or ACK after an offer in 200). */
    public static Negotiation acceptAnswer(SessionDescription ourOffer, SessionDescription answer,
            MediaPolicy policy) {
        if (ourOffer.media().isEmpty() || answer.media().isEmpty()) {
            return new Negotiation.NotAcceptable("answer has no m= line");
        }
        MediaDescription ours = ourOffer.media().get(0);
        MediaDescription theirs = answer.media().get(0);
        // RFC 3264 6.1: the answer may list formats we did not offer; keep only ours, in their order.
        List<Integer> common = new ArrayList<>();
        for (int pt : theirs.payloadTypes()) {
            if (ours.payloadTypes().contains(pt) || isTelephoneEvent(theirs.rtpMap(pt))) {
                common.add(pt);
            }
        }
        Choice c = choose(answer, theirs, policy, common);
        if (c.media == null) {
            return new Negotiation.NotAcceptable(c.why);
        }
        List<CryptoAttribute> offered = ours.cryptos();
        if (offered.isEmpty()) {
            return new Negotiation.Agreed(null, c.media); // no keys offered: plain RTP whatever came back
        }
        for (CryptoAttribute a : theirs.cryptos()) {
            for (CryptoAttribute o : offered) {
                if (a.usable() && a.tag() == o.tag() && a.profile() == o.profile()) {
                    return new Negotiation.Agreed(null, withSrtp(c.media,
                            new SrtpKeys(o.profile(), o.keySalt(), a.keySalt())));
                }
            }
        }
        if (ours.isSavp() || policy.srtp().mode() == SrtpPolicy.Mode.REQUIRE) {
            return new Negotiation.NotAcceptable("SRTP required but the answer has no a=crypto matching our offer's"
                    + " tags (got " + theirs.cryptos() + ")");
        }
        return new Negotiation.Agreed(null, c.media); // best effort: the peer chose plain RTP
    }

    /** Our SRTP answer to one offered stream: keys, our a=crypto line, or why the stream is refused. */
    private record SrtpAnswer(SrtpKeys keys, CryptoAttribute ours, String why) {
    }

    private static final SrtpAnswer PLAIN = new SrtpAnswer(null, null, null);

    /**
     * RFC 4568 7.1.2: the answerer takes the first offered line it supports, answers its tag with a
     * fresh key of its own; none usable means the stream is refused. Over a transport in the clear
     * an RTP/SAVP offer is refused (RFC 4568 8.3: the keys would be readable); a=crypto in an
     * RTP/AVP offer ("best effort") is used only over TLS and unless SRTP is off.
     */
    private static SrtpAnswer answerSrtp(MediaDescription m, SrtpPolicy srtp) {
        List<CryptoAttribute> offered = m.cryptos();
        if (m.isSavp() && !srtp.secureSignalling()) {
            return new SrtpAnswer(null, null, "RTP/SAVP offered over a transport in the clear: SDES keys must"
                    + " not travel unencrypted (RFC 4568 8.3); use TLS");
        }
        if (m.isSavp() || (srtp.secureSignalling() && srtp.mode() != SrtpPolicy.Mode.OFF)) {
            for (CryptoAttribute a : offered) {
                if (a.usable()) {
                    byte[] ours = srtp.keyFor(a.profile());
                    return new SrtpAnswer(new SrtpKeys(a.profile(), ours, a.keySalt()),
                            CryptoAttribute.of(a.tag(), a.profile(), ours), null);
                }
            }
            if (m.isSavp()) {
                return new SrtpAnswer(null, null, "no usable a=crypto in the RTP/SAVP offer " + offered
                        + ": we do AES_CM_128_HMAC_SHA1_80/_32, one inline key, no MKI, no session parameters");
            }
        }
        if (srtp.mode() == SrtpPolicy.Mode.REQUIRE) {
            return new SrtpAnswer(null, null, "SRTP required but the offer has no usable a=crypto " + offered);
        }
        return PLAIN;
    }

    private static NegotiatedMedia withSrtp(NegotiatedMedia m, SrtpKeys keys) {
        return keys == null ? m : new NegotiatedMedia(m.codec(), m.payloadType(), m.telephoneEventPt(),
                m.sendPtimeMs(), m.remoteAddress(), m.remotePort(), m.direction(), keys);
    }

    private record Choice(NegotiatedMedia media, G711 law, int telephoneEventPt, String why) {
    }

    private static Choice choose(SessionDescription sd, MediaDescription m, MediaPolicy policy,
            List<Integer> payloadTypes) {
        if (!m.isAudio()) {
            return new Choice(null, null, -1, "no audio stream offered (" + m.media() + ")");
        }
        if (m.isDisabled()) {
            return new Choice(null, null, -1, "audio stream has port 0");
        }
        if (!AVP.equals(m.protocol()) && !SAVP.equals(m.protocol())) {
            return new Choice(null, null, -1, "transport " + m.protocol() + " not supported (RTP/AVP or RTP/SAVP)");
        }
        String address = sd.connectionFor(m);
        if (address == null) {
            return new Choice(null, null, -1, "no c= connection address for the audio stream");
        }
        int pcmu = -1;
        int pcma = -1;
        int te = -1;
        for (int pt : payloadTypes) {
            RtpMap r = m.rtpMap(pt);
            if (r == null) {
                continue;
            }
            if (r.is("PCMU", 8000) && pcmu < 0) {
                pcmu = pt;
            } else if (r.is("PCMA", 8000) && pcma < 0) {
                pcma = pt;
            } else if (isTelephoneEvent(r) && te < 0) {
                te = pt;
            }
        }
        G711 law;
        int pt;
        G711 preferred = policy.preferredLaw();
        int preferredPt = preferred == G711.PCMA ? pcma : pcmu;
        int otherPt = preferred == G711.PCMA ? pcmu : pcma;
        if (preferredPt >= 0) {
            law = preferred;
            pt = preferredPt;
        } else if (otherPt >= 0 && policy.allowOtherLaw()) {
            law = preferred.other();
            pt = otherPt;
        } else {
            return new Choice(null, null, -1, "no common codec: offered " + m.rtpMaps().values()
                    + ", we accept " + preferred + (policy.allowOtherLaw() ? " or " + preferred.other() : ""));
        }
        if (!policy.telephoneEvent()) {
            te = -1;
        }
        Direction remote = sd.directionFor(m);
        Direction ours = remote.answerTo();
        if (isNullAddress(address) && ours.sends()) {
            // RFC 3264 8.4 / RFC 2543 hold: c=0.0.0.0 means "do not send to me".
            ours = ours == Direction.SENDRECV ? Direction.RECVONLY : Direction.INACTIVE;
        }
        int sendPtime = m.ptimeMs() > 0 ? m.ptimeMs() : 20;
        return new Choice(new NegotiatedMedia(law, pt, te, sendPtime, address, m.port(), ours), law, te, null);
    }

    private static MediaDescription answerStream(MediaDescription offered, Choice c, MediaPolicy policy,
            CryptoAttribute crypto) {
        List<String> formats = new ArrayList<>();
        Map<Integer, RtpMap> maps = new java.util.LinkedHashMap<>();
        Map<Integer, String> fmtps = new java.util.HashMap<>();
        int pt = c.media.payloadType();
        formats.add(String.valueOf(pt));
        maps.put(pt, new RtpMap(pt, c.law.name(), 8000, 1));
        if (c.telephoneEventPt >= 0) {
            formats.add(String.valueOf(c.telephoneEventPt));
            maps.put(c.telephoneEventPt, new RtpMap(c.telephoneEventPt, "telephone-event", 8000, 1));
            fmtps.put(c.telephoneEventPt, "0-15"); // DTMF digits 0-9,*,#,A-D: all the span can carry
        }
        return new MediaDescription("audio", policy.localRtpPort(), offered.protocol(), formats, null, maps,
                fmtps, policy.ptimeMs(), c.media.direction(),
                crypto == null ? List.of() : List.of("crypto:" + crypto.attributeValue()));
    }

    private static MediaDescription refused(MediaDescription m) {
        List<String> formats = m.formats().isEmpty() ? List.of("0") : m.formats();
        return new MediaDescription(m.media(), 0, m.protocol(), formats, null, Map.of(), Map.of(), 0, null,
                List.of());
    }

    private static boolean isTelephoneEvent(RtpMap r) {
        return r != null && r.is("telephone-event", 8000);
    }

    private static boolean isNullAddress(String address) {
        return "0.0.0.0".equals(address) || "::".equals(address);
    }
}
