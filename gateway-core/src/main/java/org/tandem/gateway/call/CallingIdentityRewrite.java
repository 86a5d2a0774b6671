package org.tandem.gateway.call;

import org.tandem.gateway.interwork.CallingIdentity;
import org.tandem.gateway.interwork.NumberingPlan;
import org.tandem.gateway.interwork.TypeOfNumber;
import org.tandem.gateway.route.RoutedNumber;

/**
 * The calling identity a call is placed with, in either direction: the identity as received
 * (SIP identity mapped to Q.931, or the SETUP's calling number and name) with the route's
 * calling-number rewrite applied (digits, and type of number and numbering plan when the route
 * sets them; a leading "+" means international). A pure function of the call, run on the
 * {@link CallControlAgent} thread by both set-up classes.
 */
final class CallingIdentityRewrite {
    private CallingIdentityRewrite() {
    }

    /** The calling identity of a PSTN call after the route's rewrite. */
    static CallingIdentity rewrittenCalling(Call c) {
        CallingIdentity received = c.pstnCalling != null ? c.pstnCalling : CallingIdentity.unavailable();
        if (received.number().isEmpty() && c.callingOut.isEmpty()) {
            return received;
        }
        RoutedNumber r = c.route.calling();
        String number = r.digits();
        TypeOfNumber ton = received.typeOfNumber();
        if (number.startsWith("+")) {
            number = number.substring(1);
            ton = TypeOfNumber.INTERNATIONAL;
        }
        if (r.ton() >= 0) {
            ton = TypeOfNumber.fromCode(r.ton());
        }
        NumberingPlan npi = r.npi() >= 0 ? NumberingPlan.fromCode(r.npi()) : received.numberingPlan();
        return received.withNumber(number, ton, npi);
    }
}
