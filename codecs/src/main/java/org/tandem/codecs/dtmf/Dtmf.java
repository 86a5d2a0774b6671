package org.tandem.codecs.dtmf;

/** The DTMF frequency grid of ITU-T Q.23. */
public final class Dtmf {
    /** Low group (rows), Hz. */
    static final double[] ROW_HZ = {697, 770, 852, 941};
    /** High group (columns), Hz. */
    static final double[] COLUMN_HZ = {1209, 1336, 1477, 1633};
    /** Digits by [row][column]. */
    static final char[][] DIGITS = {
            {'1', '2', '3', 'A'},
            {'4', '5', '6', 'B'},
            {'7', '8', '9', 'C'},
            {'*', '0', '#', 'D'}};
    /** Every digit, in keypad order. */
    public static final String ALL_DIGITS = "123A456B789C*0#D";

    private Dtmf() {
    }

    /** Row index 0..3 of a digit. @throws IllegalArgumentException for a non-DTMF character */
    static int row(char digit) {
        int i = ALL_DIGITS.indexOf(Character.toUpperCase(digit));
        if (i < 0) {
            throw new IllegalArgumentException("not a DTMF digit: '" + digit + "' (expected one of " + ALL_DIGITS + ")");
        }
        return i / 4;
    }

    static int column(char digit) {
        row(digit);
        return ALL_DIGITS.indexOf(Character.toUpperCase(digit)) % 4;
    }

    public static double lowFrequencyHz(char digit) {
        return ROW_HZ[row(digit)];
    }

    public static double highFrequencyHz(char digit) {
        return COLUMN_HZ[column(digit)];
    }
}
