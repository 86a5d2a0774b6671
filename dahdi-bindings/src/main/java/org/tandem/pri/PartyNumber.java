package org.tandem.pri;

/**
 * A party number as Q.931 carries it: digits, type of number (TON, {@code PRI_TON_*}: 0 unknown,
 * 1 international, 2 national, 3 network specific, 4 subscriber, 6 abbreviated), numbering plan
 * (NPI: 0 unknown, 1 E.164, 9 private) and presentation ({@code PRES_*}: bit 0x20 restricted,
 * 0x40 not available; low bits screening).
 */
public record PartyNumber(String digits, int ton, int npi, int presentation) {
    public PartyNumber {
        if (digits == null) {
            throw new IllegalArgumentException("digits must not be null (use \"\")");
        }
        if (ton < 0 || ton > 7 || npi < 0 || npi > 15) {
            throw new IllegalArgumentException("TON 0..7 and NPI 0..15 expected, got ton=" + ton + " npi=" + npi);
        }
    }

    /** Unknown TON, E.164 plan, presentation allowed. */
    public static PartyNumber of(String digits) {
        return new PartyNumber(digits, 0, 1, 0);
    }

    /** The Q.931 octet 3 "plan" value libpri uses: {@code ton << 4 | npi}. */
    public int plan() {
        return ton << 4 | npi;
    }

    public static PartyNumber fromPlan(String digits, int plan, int presentation) {
        return new PartyNumber(digits, (plan >> 4) & 0x7, plan & 0xF, presentation);
    }

    public boolean presentationRestricted() {
        return (presentation & 0x60) == 0x20;
    }

    public boolean presentationUnavailable() {
        return (presentation & 0x60) == 0x40;
    }
}
