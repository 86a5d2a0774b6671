package org.tandem.config;

import java.util.regex.Pattern;

/**
 * How a route rewrites one number: first the regex replacement, then strip leading digits, then
 * add the prefix. {@code ton}/{@code npi} null means "keep what the call carried".
 */
public record NumberRewrite(Pattern replace, String replacement, int strip, String prefix,
        TypeOfNumber ton, NumberingPlan npi) {

    public static final NumberRewrite NONE = new NumberRewrite(null, null, 0, "", null, null);

    public String apply(String number) {
        String n = number;
        if (replace != null) {
            n = replace.matcher(n).replaceAll(replacement);
        }
        n = n.substring(Math.min(strip, n.length()));
        return prefix + n;
    }

    /** Q.931 type of number (octet 3 of the called/calling party number IE). */
    public enum TypeOfNumber implements Token {
        UNKNOWN("unknown", 0), INTERNATIONAL("international", 1), NATIONAL("national", 2),
        NETWORK("network", 3), SUBSCRIBER("subscriber", 4), ABBREVIATED("abbreviated", 6);

        private final String token;
        private final int q931;

        TypeOfNumber(String token, int q931) {
            this.token = token;
            this.q931 = q931;
        }

        @Override
        public String token() {
            return token;
        }

        public int q931() {
            return q931;
        }
    }

    /** Q.931 numbering plan identification. */
    public enum NumberingPlan implements Token {
        UNKNOWN("unknown", 0), ISDN("isdn", 1), DATA("data", 3), TELEX("telex", 4),
        NATIONAL("national", 8), PRIVATE("private", 9);

        private final String token;
        private final int q931;

        NumberingPlan(String token, int q931) {
            this.token = token;
            this.q931 = q931;
        }

        @Override
        public String token() {
            return token;
        }

        public int q931() {
            return q931;
        }
    }
}
