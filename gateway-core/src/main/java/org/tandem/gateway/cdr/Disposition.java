package org.tandem.gateway.cdr;

/**
 * How a call attempt ended, for billing and reporting. Call control chooses it; the usual mapping
 * from the Q.850 release cause of an unanswered attempt is {@link #fromUnansweredCause}.
 */
public enum Disposition {
    /** Answered (CONNECT / 200 OK), whatever ended it afterwards. */
    ANSWERED,
    /** Called user busy (Q.850 17, SIP 486/600). */
    BUSY,
    /** Rang, nobody answered (Q.850 18/19, SIP 480/408). */
    NO_ANSWER,
    /** The caller gave up before answer (SIP CANCEL, or PRI DISCONNECT from the caller). */
    CANCELLED,
    /** The called side refused it (Q.850 21 call rejected, SIP 403/603) or toll-fraud protection did. */
    REJECTED,
    /** Number does not exist or cannot be routed (Q.850 1, 3, 28; SIP 404/484). */
    UNROUTABLE,
    /** No capacity: no free B-channel, overload, network congestion (Q.850 34, 42, 44; SIP 503). */
    CONGESTION,
    /** Anything else: signalling or media failure, span alarm, D-channel loss, timeout. */
    FAILED,
    /** Not carried: redirect-server mode answered the INVITE with 302 and the caller's Contacts to try. */
    REDIRECTED;

    /** The disposition of an attempt that was not answered and not cancelled by its caller. */
    public static Disposition fromUnansweredCause(int q850Cause) {
        switch (q850Cause) {
            case 17:
                return BUSY;
            case 18:
            case 19:
                return NO_ANSWER;
            case 21:
                return REJECTED;
            case 1:
            case 3:
            case 28:
                return UNROUTABLE;
            case 34:
            case 42:
            case 44:
                return CONGESTION;
            default:
                return FAILED;
        }
    }
}
