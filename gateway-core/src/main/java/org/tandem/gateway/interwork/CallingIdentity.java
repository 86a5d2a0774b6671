package org.tandem.gateway.interwork;

/**
 * The calling party as the PSTN sees it (Q.931 Calling party number IE plus the display name).
 *
 * @param number digits only, without a '+' (the type of number says international); empty when
 *               no number is known
 * @param displayName a name for the display IE / SIP display-name; null when none
 */
public record CallingIdentity(String number, String displayName, TypeOfNumber typeOfNumber,
        NumberingPlan numberingPlan, Presentation presentation, Screening screening) {

    public CallingIdentity {
        number = number == null ? "" : number;
        if (typeOfNumber == null || numberingPlan == null || presentation == null || screening == null) {
            throw new IllegalArgumentException("calling identity indicators must not be null");
        }
    }

    /** No calling number at all ("number not available due to interworking"). */
    public static CallingIdentity unavailable() {
        return new CallingIdentity("", null, TypeOfNumber.UNKNOWN, NumberingPlan.UNKNOWN,
                Presentation.NOT_AVAILABLE, Screening.NETWORK_PROVIDED);
    }

    public CallingIdentity withNumber(String newNumber, TypeOfNumber ton, NumberingPlan npi) {
        return new CallingIdentity(newNumber, displayName, ton, npi, presentation, screening);
    }
}
