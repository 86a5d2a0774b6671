package org.tandem.gateway.route;

import java.util.Locale;

/**
 * The parts of a fixed {@code sip:} route target the gateway needs to send an INVITE:
 * {@code sip:[user@]host[:port][;transport=udp|tcp]}.
 *
 * @param user the user part, or null (the routed called number is used)
 */
public record SipUri(String user, String host, int port, String transport) {

    /** Parses a target; null when it is not a usable sip: URI. */
    public static SipUri parse(String uri) {
        if (uri == null || !uri.regionMatches(true, 0, "sip:", 0, 4)) {
            return null;
        }
        String rest = uri.substring(4);
        String transport = "udp";
        int semi = rest.indexOf(';');
        if (semi >= 0) {
            for (String p : rest.substring(semi + 1).split(";")) {
                String[] kv = p.split("=", 2);
                if (kv.length == 2 && kv[0].equalsIgnoreCase("transport")) {
                    transport = kv[1].toLowerCase(Locale.ROOT);
                }
            }
            rest = rest.substring(0, semi);
        }
        String user = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            user = rest.substring(0, at);
            rest = rest.substring(at + 1);
        }
        String host = rest;
        int port = 5060;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = rest.substring(1, close);
            if (rest.length() > close + 2 && rest.charAt(close + 1) == ':') {
                port = parsePort(rest.substring(close + 2));
            }
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon >= 0) {
                host = rest.substring(0, colon);
                port = parsePort(rest.substring(colon + 1));
            }
        }
        if (host.isEmpty() || port <= 0 || (!transport.equals("udp") && !transport.equals("tcp"))) {
            return null;
        }
        return new SipUri(user == null || user.isEmpty() ? null : user, host, port, transport);
    }

    private static int parsePort(String s) {
        try {
            int p = Integer.parseInt(s);
            return p > 0 && p <= 65535 ? p : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
