package org.tandem.gateway.registrar;

/**
 * The {@code q} parameter of a Contact (RFC 3261 section 20.10 and the grammar of 25.1:
 * {@code qvalue = ("0" ["." 0*3DIGIT]) / ("1" ["." 0*3("0")])}), held as thousandths.
 */
final class QValue {
    private QValue() {
    }

    /** Thousandths 0-1000, or -1 when {@code text} is not a qvalue. */
    static int parseMillis(String text) {
        if (text == null || !text.matches("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?")) {
            return -1;
        }
        if (text.charAt(0) == '1') {
            return 1000;
        }
        String frac = text.length() > 2 ? text.substring(2) : "";
        return frac.isEmpty() ? 0 : Integer.parseInt((frac + "00").substring(0, 3));
    }

    /** {@code 1000 -> "1.0"}, {@code 500 -> "0.5"}, {@code 125 -> "0.125"}. */
    static String format(int millis) {
        if (millis >= 1000) {
            return "1.0";
        }
        String f = String.format("%03d", millis).replaceFirst("0+$", "");
        return "0." + (f.isEmpty() ? "0" : f);
    }
}
