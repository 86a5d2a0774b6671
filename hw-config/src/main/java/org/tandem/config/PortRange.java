package org.tandem.config;

/** An inclusive UDP port range, e.g. {@code 20000-29999}. */
public record PortRange(int first, int last) {
    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    /** RTP uses the even port of each pair and RTCP the odd one above it (RFC 3550 section 11). */
    public int rtpSessions() {
        return (last - first + 1) / 2;
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
