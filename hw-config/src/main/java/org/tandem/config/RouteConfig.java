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
 */
public record RouteConfig(String name, Direction direction, int priority, Pattern matchCalled,
        Pattern matchCalling, List<String> fromTrunks, List<String> fromGroups, NumberRewrite called,
        NumberRewrite calling, RouteTarget target, List<RouteTarget> failover,
        Set<Integer> failoverCauses) {

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
