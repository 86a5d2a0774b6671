package org.tandem.config;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code [route NAME]}: one routing rule. Routes of a direction are tried by ascending
 * {@code priority}; the first whose matches all hold wins. Patterns must match the whole number.
 *
 * @param matchCalled null matches any called number
 * @param matchCalling null matches any calling number (also an absent one)
 * @param fromTrunks for sip-to-pstn: trunks the call may come from; empty means any trusted source
 * @param fromGroups for pstn-to-sip: channel groups the call may come from; empty means any
 * @param failover targets tried in order when the target fails with one of {@code failoverCauses}
 * @param redirect sip-to-pstn redirect-server mode: {@link #REDIRECT_USERS} (302 with the called
 *     number's registered contacts) or a {@code sip:} URI (302 to it); null for a normal route
 */
public record RouteConfig(String name, Direction direction, int priority, Pattern matchCalled,
        Pattern matchCalling, List<String> fromTrunks, List<String> fromGroups, NumberRewrite called,
        NumberRewrite calling, RouteTarget target, List<RouteTarget> failover,
        Set<Integer> failoverCauses, String redirect) {

    /** {@code redirect = users}: the registered contacts of the user owning the called number. */
    public static final String REDIRECT_USERS = "users";

    /** A route that is not in redirect-server mode. */
    public RouteConfig(String name, Direction direction, int priority, Pattern matchCalled,
            Pattern matchCalling, List<String> fromTrunks, List<String> fromGroups, NumberRewrite called,
            NumberRewrite calling, RouteTarget target, List<RouteTarget> failover,
            Set<Integer> failoverCauses) {
        this(name, direction, priority, matchCalled, matchCalling, fromTrunks, fromGroups, called, calling,
                target, failover, failoverCauses, null);
    }

    /** True when matching calls are answered 302 instead of being carried (redirect-server mode). */
    public boolean isRedirect() {
        return redirect != null;
    }

    public boolean matches(String calledNumber, String callingNumber) {
        return (matchCalled == null || matchCalled.matcher(calledNumber).matches())
                && (matchCalling == null
                        || matchCalling.matcher(callingNumber == null ? "" : callingNumber).matches());
    }

    public enum Direction implements Token {
        SIP_TO_PSTN("sip-to-pstn"), PSTN_TO_SIP("pstn-to-sip");

        private final String token;

        Direction(String token) {
            this.token = token;
        }

        @Override
        public String token() {
            return token;
        }
    }
}
