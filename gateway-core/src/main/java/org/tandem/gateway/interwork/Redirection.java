package org.tandem.gateway.interwork;

/**
 * A diverted call's redirection information in neutral terms, between the ISDN Redirecting
 * number (Q.931 4.5.21) and SIP's Diversion (RFC 5806) / History-Info (RFC 7044).
 *
 * @param redirectingUser the party that diverted the call last: digits, with a leading '+' when
 *                        the number is international (as {@link IdentityMapper#sipUser})
 * @param presentation whether the redirecting number may be shown (restricted: RFC 5806
 *                     {@code privacy=full}, RFC 7044 {@code Privacy: history})
 * @param reason why it was diverted (the last diversion)
 * @param count how many diversions there were, 1..{@value #MAX_COUNT}
 * @param originalCalledUser the number first called when there was more than one diversion, or null
 */
public record Redirection(String redirectingUser, Presentation presentation, RedirectionReason reason, int count,
        String originalCalledUser) {
    /** The ETSI / ISUP redirection counter has 4 bits; RFC 5806 counters are summed and capped here. */
    public static final int MAX_COUNT = 15;

    public Redirection {
        if (redirectingUser == null || IdentityMapper.digits(redirectingUser).isEmpty()) {
            throw new IllegalArgumentException("a redirecting number is required, got '" + redirectingUser + "'");
        }
        if (presentation == null || reason == null) {
            throw new IllegalArgumentException("presentation and reason must not be null");
        }
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("redirection count 1.." + MAX_COUNT + " expected, got " + count);
        }
        if (originalCalledUser != null && IdentityMapper.digits(originalCalledUser).isEmpty()) {
            originalCalledUser = null;
        }
    }

    public boolean restricted() {
        return presentation != Presentation.ALLOWED;
    }
}
