package org.tandem.gateway.interwork;

/**
 * Calling identity between Q.931 (number, type of number, presentation, screening) and SIP
 * (From, P-Asserted-Identity, Privacy), per RFC 3325 and the calling-party rules of RFC 3398
 * sections 7.2.1.1 / 8.2.1.1.
 *
 * <p>Trust decides the PAI: it is only believed from, and only sent to, peers in the trust domain
 * (RFC 3325 section 5); for others the From alone carries the identity, unscreened.
 */
public final class IdentityMapper {
    private IdentityMapper() {
    }

    /**
     * PSTN -> SIP (an outbound INVITE for a call from the span).
     *
     * @param peerTrusted whether the target trunk is in our trust domain (gets a PAI even when the
     *                    presentation is restricted)
     */
    public static SipIdentity toSip(CallingIdentity pstn, boolean peerTrusted) {
        String user = sipUser(pstn);
        boolean haveNumber = !user.isEmpty() && pstn.presentation() != Presentation.NOT_AVAILABLE;
        return switch (pstn.presentation()) {
            case ALLOWED -> haveNumber
                    ? new SipIdentity(user, pstn.displayName(), peerTrusted ? user : null,
                            peerTrusted ? pstn.displayName() : null, false)
                    : anonymous(null, false);
            case RESTRICTED -> anonymous(haveNumber && peerTrusted ? user : null, true);
            case NOT_AVAILABLE -> anonymous(null, false);
        };
    }

    /**
     * SIP -> PSTN (an inbound INVITE to be carried to the span).
     *
     * @param peerTrusted whether the source is in our trust domain (its PAI is believed)
     */
    public static CallingIdentity toPstn(SipIdentity sip, boolean peerTrusted) {
        String chosen;
        Screening screening;
        String display;
        if (peerTrusted && sip.assertedUser() != null && !digits(sip.assertedUser()).isEmpty()) {
            chosen = sip.assertedUser();
            screening = Screening.USER_VERIFIED_PASSED;
            display = sip.assertedDisplayName() != null ? sip.assertedDisplayName() : sip.fromDisplayName();
        } else if (!sip.isAnonymousFrom() && sip.fromUser() != null && !digits(sip.fromUser()).isEmpty()) {
            chosen = sip.fromUser();
            screening = Screening.USER_NOT_SCREENED;
            display = sip.fromDisplayName();
        } else {
            return CallingIdentity.unavailable();
        }
        String number = digits(chosen);
        boolean international = chosen.trim().startsWith("+");
        Presentation presentation = sip.privacyId() || sip.isAnonymousFrom()
                ? Presentation.RESTRICTED : Presentation.ALLOWED;
        return new CallingIdentity(number, presentation == Presentation.RESTRICTED ? null : display,
                international ? TypeOfNumber.INTERNATIONAL : TypeOfNumber.UNKNOWN,
                international ? NumberingPlan.ISDN_E164 : NumberingPlan.UNKNOWN,
                presentation, screening);
    }

    /**
     * The calling identity of a call from a phone the gateway authenticated ({@code [user NAME]}):
     * the phone may present any of the numbers its user owns (the From user, if it is one of
     * them: user-provided, verified and passed), otherwise the first (network-provided, as a
     * PBX substitutes the line's number); presentation and display name still come from the
     * request. A user without numbers keeps what the request says, unscreened. Nobody can send
     * another line's number to the PSTN by writing it into From.
     */
    public static CallingIdentity forAuthenticatedUser(SipIdentity sip, java.util.List<String> ownNumbers) {
        CallingIdentity asked = toPstn(sip, false);
        if (ownNumbers.isEmpty()) {
            return asked;
        }
        boolean own = ownNumbers.contains(asked.number());
        String number = own ? asked.number() : ownNumbers.get(0);
        Presentation presentation = sip.privacyId() || sip.isAnonymousFrom()
                ? Presentation.RESTRICTED : Presentation.ALLOWED;
        String display = presentation == Presentation.RESTRICTED ? null : sip.fromDisplayName();
        return new CallingIdentity(number, display, TypeOfNumber.UNKNOWN, NumberingPlan.UNKNOWN, presentation,
                own ? Screening.USER_VERIFIED_PASSED : Screening.NETWORK_PROVIDED);
    }

    /** The SIP user part for a PSTN number: '+' for an international number (RFC 3398 8.2.1.1). */
    public static String sipUser(CallingIdentity pstn) {
        if (pstn.number().isEmpty()) {
            return "";
        }
        return pstn.typeOfNumber() == TypeOfNumber.INTERNATIONAL ? "+" + pstn.number() : pstn.number();
    }

    /**
     * The dialable digits of a user part or telephone-subscriber, without '+' and RFC 3966 visual
     * separators; empty if anything else (letters) is present, since such a user has no number.
     */
    public static String digits(String user) {
        if (user == null) {
            return "";
        }
        String s = user.trim();
        int semi = s.indexOf(';');
        if (semi >= 0) {
            s = s.substring(0, semi); // tel/user parameters such as ;phone-context
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= '0' && c <= '9') || c == '*' || c == '#') {
                sb.append(c);
            } else if (c == '+' && i == 0 || c == '-' || c == '.' || c == '(' || c == ')') {
                continue;
            } else {
                return "";
            }
        }
        return sb.toString();
    }

    private static SipIdentity anonymous(String assertedUser, boolean privacy) {
        return new SipIdentity(SipIdentity.ANONYMOUS_USER, "Anonymous", assertedUser, null, privacy);
    }
}
