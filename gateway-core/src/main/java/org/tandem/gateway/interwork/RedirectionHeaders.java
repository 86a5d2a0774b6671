package org.tandem.gateway.interwork;

/**
 * Which SIP headers carry a diverted call's redirection on a trunk ({@code [trunk]
 * redirection_headers}): sent on our INVITEs to it and read from its INVITEs to us.
 */
public enum RedirectionHeaders {
    /** RFC 5806 Diversion (the default: what carrier trunks and SBCs commonly use). */
    DIVERSION(true, false),
    /** RFC 7044 History-Info with RFC 4458 cause values. */
    HISTORY_INFO(false, true),
    /** Both are sent; of a received INVITE with both, Diversion is believed. */
    BOTH(true, true),
    /** Neither sent nor read: the trunk gets no redirecting number and cannot set one. */
    NONE(false, false);

    private final boolean diversion;
    private final boolean historyInfo;

    RedirectionHeaders(boolean diversion, boolean historyInfo) {
        this.diversion = diversion;
        this.historyInfo = historyInfo;
    }

    public boolean diversion() {
        return diversion;
    }

    public boolean historyInfo() {
        return historyInfo;
    }
}
