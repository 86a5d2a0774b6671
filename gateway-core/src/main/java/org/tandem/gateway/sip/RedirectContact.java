package org.tandem.gateway.sip;

/**
 * One Contact of a 302 we send as a redirect server ({@link SipSide#redirect}).
 *
 * @param uri the SIP URI the caller should try
 * @param qMillis its q-value in thousandths (0-1000), or -1 for none
 */
public record RedirectContact(String uri, int qMillis) {
    public RedirectContact {
        if (uri == null || !uri.regionMatches(true, 0, "sip:", 0, 4)) {
            throw new IllegalArgumentException("a redirect Contact must be a sip: URI, not " + uri);
        }
        if (qMillis < -1 || qMillis > 1000) {
            throw new IllegalArgumentException("q " + qMillis + "/1000 of " + uri + " is outside 0-1000");
        }
    }
}
