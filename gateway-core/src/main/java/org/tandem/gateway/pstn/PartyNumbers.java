package org.tandem.gateway.pstn;

import org.tandem.gateway.interwork.CallingIdentity;
import org.tandem.gateway.interwork.NumberingPlan;
import org.tandem.gateway.interwork.Presentation;
import org.tandem.gateway.interwork.Redirection;
import org.tandem.gateway.interwork.RedirectionReason;
import org.tandem.gateway.interwork.Screening;
import org.tandem.gateway.interwork.TypeOfNumber;
import org.tandem.pri.PartyNumber;
import org.tandem.pri.Redirecting;

/**
 * Q.931 party numbers ({@link PartyNumber}, as libpri carries them) to and from the interworking
 * types. The presentation octet (Q.931 4.5.10 octet 3a) is {@code presentation << 5 | screening}.
 */
public final class PartyNumbers {
    private PartyNumbers() {
    }

    /** The calling party of a received SETUP as the interworking layer sees it. */
    public static CallingIdentity callingIdentity(PartyNumber calling, String name) {
        if (calling == null || calling.digits().isEmpty()) {
            return CallingIdentity.unavailable();
        }
        int pres = (calling.presentation() >> 5) & 0x3;
        return new CallingIdentity(calling.digits(), name, tonOf(calling.ton()), npiOf(calling.npi()),
                pres == 3 ? Presentation.NOT_AVAILABLE : Presentation.fromCode(pres),
                Screening.fromCode(calling.presentation() & 0x3));
    }

    /** The calling party number to put in a SETUP. */
    public static PartyNumber calling(CallingIdentity id) {
        return new PartyNumber(id.number(), id.typeOfNumber().code(), id.numberingPlan().code(),
                id.presentation().code() << 5 | id.screening().code());
    }

    /**
     * A called number for a SETUP: a leading '+' is dropped and makes the type of number
     * international (RFC 3398 7.2.1); {@code ton}/{@code npi} of -1 keep that default.
     */
    public static PartyNumber called(String number, int ton, int npi) {
        boolean plus = number.startsWith("+");
        String digits = plus ? number.substring(1) : number;
        int t = ton >= 0 ? ton : plus ? TypeOfNumber.INTERNATIONAL.code() : TypeOfNumber.UNKNOWN.code();
        int p = npi >= 0 ? npi : NumberingPlan.ISDN_E164.code();
        return new PartyNumber(digits, t, p, 0);
    }

    /**
     * The Redirecting number of a diverted call for a SETUP. A leading '+' makes the number
     * international; the number is sent as verified (it is only taken from trusted trunks).
     */
    public static Redirecting redirecting(Redirection r) {
        int pres = r.presentation().code() << 5 | Screening.USER_VERIFIED_PASSED.code();
        PartyNumber orig = r.originalCalledUser() == null ? null : number(r.originalCalledUser(), pres);
        return new Redirecting(number(r.redirectingUser(), pres), orig, r.reason().q931(), r.count());
    }

    /** The redirection of a received SETUP, or null when it had no Redirecting number. */
    public static Redirection redirection(Redirecting r) {
        if (r == null) {
            return null;
        }
        int pres = (r.from().presentation() >> 5) & 0x3;
        return new Redirection(user(r.from()), pres == 0 ? Presentation.ALLOWED
                : pres == 1 ? Presentation.RESTRICTED : Presentation.NOT_AVAILABLE,
                RedirectionReason.fromQ931(r.reason()), Math.min(r.count(), Redirection.MAX_COUNT),
                r.originalCalled() == null ? null : user(r.originalCalled()));
    }

    private static PartyNumber number(String user, int presentation) {
        boolean plus = user.startsWith("+");
        return new PartyNumber(plus ? user.substring(1) : user,
                plus ? TypeOfNumber.INTERNATIONAL.code() : TypeOfNumber.UNKNOWN.code(),
                NumberingPlan.ISDN_E164.code(), presentation);
    }

    private static String user(PartyNumber n) {
        return (n.ton() == TypeOfNumber.INTERNATIONAL.code() ? "+" : "") + n.digits();
    }

    private static TypeOfNumber tonOf(int code) {
        for (TypeOfNumber t : TypeOfNumber.values()) {
            if (t.code() == code) {
                return t;
            }
        }
        return TypeOfNumber.UNKNOWN;
    }

    private static NumberingPlan npiOf(int code) {
        for (NumberingPlan p : NumberingPlan.values()) {
            if (p.code() == code) {
                return p;
            }
        }
        return NumberingPlan.UNKNOWN;
    }
}
