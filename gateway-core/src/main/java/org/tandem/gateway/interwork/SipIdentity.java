package org.tandem.gateway.interwork;

/**
 * The caller's identity as SIP carries it: the From header, the P-Asserted-Identity (RFC 3325)
 * and whether Privacy: id (RFC 3325 section 9.3 / RFC 3323) is requested.
 *
 * @param fromUser user part of the From URI ("anonymous" when withheld)
 * @param fromDisplayName display name of From; null when none
 * @param assertedUser user part of the P-Asserted-Identity URI; null when no PAI
 * @param assertedDisplayName display name of the PAI; null when none
 * @param privacyId true when the identity must not be shown to the called user
 */
public record SipIdentity(String fromUser, String fromDisplayName, String assertedUser,
        String assertedDisplayName, boolean privacyId) {
    public static final String ANONYMOUS_USER = "anonymous";
    /** RFC 3323 section 4.1.1.3: the host of an anonymous From URI. */
    public static final String ANONYMOUS_HOST = "anonymous.invalid";
    public static final String PAI_HEADER = "P-Asserted-Identity";
    public static final String PRIVACY_HEADER = "Privacy";

    public boolean isAnonymousFrom() {
        return ANONYMOUS_USER.equalsIgnoreCase(fromUser);
    }
}
