package org.tandem.gateway.sip;

import java.util.function.DoubleSupplier;

/**
 * The life of one outbound registration (RFC 3261 section 10.2) as plain state: what to send
 * next and when, from the responses and timeouts it is told about. No stack, no clock of its
 * own, no thread: {@link TrunkRegistrations} feeds it on its one thread and does what each
 * {@link Step} says; tests feed it directly.
 *
 * <p>The rules, each a choice RFC 3261 leaves open:
 * <ul>
 * <li><b>Refresh</b> at half the granted interval, but no later than 32 s before the binding
 *     expires, and never sooner than a quarter of it: 3600 s refreshes after 1800 s, 60 s after
 *     28 s, 10 s after 2.5 s ({@link #refreshDelayMillis}).
 * <li><b>Granted interval</b>: the {@code expires} parameter of our Contact in the 200, else its
 *     {@code Expires} header, else what we asked for (10.2.4).
 * <li><b>423</b> (Interval Too Brief): asked again at once with the Min-Expires given (10.2.8),
 *     at most {@link #MAX_IMMEDIATE_RETRIES} times in a row and never above
 *     {@link #MAX_EXPIRES_S}.
 * <li><b>401/407</b>: answered at once with the trunk's credentials, at most
 *     {@link #MAX_IMMEDIATE_RETRIES} times in a row (a second challenge after our credentials is
 *     a wrong password unless it says {@code stale=true}, which the caller reports as answerable).
 * <li><b>Any other failure, or no response</b> (Timer F): FAILED, and the next attempt after a
 *     back-off of 30 s doubling with each consecutive failure up to 30 min, each drawn between
 *     80% and 100% of that so trunks that failed together do not retry together
 *     ({@link #backoffMillis}). A 200 resets the count.
 * </ul>
 */
public final class RegistrationMachine {
    /** States as operators see them (ctl, SNMP). */
    public enum State {
        /** Not registered and not trying: before start, or after un-REGISTER. */
        UNREGISTERED(1),
        /** A REGISTER is out and no binding is known to be in force. */
        REGISTERING(2),
        /** The registrar holds our binding until {@link #expiresAtMillis()}. */
        REGISTERED(3),
        /** The last attempt failed; the next one is at {@link #nextAttemptMillis()}. */
        FAILED(4);

        private final int code;

        State(int code) {
            this.code = code;
        }

        /** The SNMP enumeration value (TANDEM-GATEWAY-MIB tgTrunkRegState). */
        public int code() {
            return code;
        }
    }

    /** What the caller must do now. */
    public enum Action {
        /** Send a REGISTER asking for {@link Step#expiresS()}; with credentials if {@code withCredentials}. */
        SEND,
        /** Nothing now; call {@link #onTimer} at {@link Step#atMillis()}. */
        WAIT,
        /** Nothing at all (stopped). */
        NONE
    }

    /** One decision: the action, the interval to ask for, credentials, and when the next timer fires. */
    public record Step(Action action, int expiresS, boolean withCredentials, long atMillis) {
    }

    public static final long FIRST_BACKOFF_MILLIS = 30_000;
    public static final long MAX_BACKOFF_MILLIS = 30 * 60_000;
    public static final int MAX_EXPIRES_S = 86_400;
    public static final int MAX_IMMEDIATE_RETRIES = 2;
    /** Status recorded for a REGISTER that got no response (RFC 3261 Timer F). */
    public static final int TIMEOUT_STATUS = 408;

    private final int wantedExpiresS;
    private final DoubleSupplier random;
    private State state = State.UNREGISTERED;
    private int askingS;
    private int lastStatus;
    private long expiresAtMillis;
    private long nextAttemptMillis;
    private int failures;
    private int authRetries;
    private int intervalRetries;
    private boolean stopped;

    /**
     * @param wantedExpiresS the interval to ask for ({@code register_expires_s})
     * @param random values in [0, 1) for the back-off jitter ({@code Math::random} in production)
     */
    public RegistrationMachine(int wantedExpiresS, DoubleSupplier random) {
        if (wantedExpiresS < 1 || wantedExpiresS > MAX_EXPIRES_S) {
            throw new IllegalArgumentException("register expires " + wantedExpiresS + " s is out of 1.."
                    + MAX_EXPIRES_S);
        }
        this.wantedExpiresS = wantedExpiresS;
        this.askingS = wantedExpiresS;
        this.random = random;
    }

    /** The first REGISTER. */
    public Step start(long nowMillis) {
        stopped = false;
        authRetries = 0;
        intervalRetries = 0;
        return send(nowMillis, false);
    }

    /** The timer of the last {@link Action#WAIT} fired: refresh or retry. */
    public Step onTimer(long nowMillis) {
        if (stopped) {
            return none();
        }
        if (state == State.REGISTERED && nowMillis >= expiresAtMillis) {
            state = State.REGISTERING; // a refresh that never happened: the binding is gone
        }
        authRetries = 0;
        intervalRetries = 0;
        return send(nowMillis, false);
    }

    /**
     * A final response to our REGISTER.
     *
     * @param grantedS the interval granted (Contact expires, else Expires), or -1 if the 200 gave none
     * @param minExpiresS the Min-Expires of a 423, or -1
     * @param challengeAnswerable for 401/407: a Digest challenge we can answer (MD5/SHA-256)
     */
    public Step onResponse(int status, int grantedS, int minExpiresS, boolean challengeAnswerable, long nowMillis) {
        if (stopped) {
            return none();
        }
        lastStatus = status;
        if (status >= 200 && status < 300) {
            int granted = grantedS > 0 ? Math.min(grantedS, MAX_EXPIRES_S) : grantedS == 0 ? 0 : askingS;
            if (granted == 0) {
                // The registrar dropped the binding it was asked to keep: a failure like any other.
                return fail(nowMillis);
            }
            state = State.REGISTERED;
            failures = 0;
            authRetries = 0;
            intervalRetries = 0;
            expiresAtMillis = nowMillis + granted * 1000L;
            nextAttemptMillis = nowMillis + refreshDelayMillis(granted);
            return new Step(Action.WAIT, askingS, false, nextAttemptMillis);
        }
        if ((status == 401 || status == 407) && challengeAnswerable && authRetries < MAX_IMMEDIATE_RETRIES) {
            authRetries++;
            return send(nowMillis, true);
        }
        if (status == 423 && minExpiresS > askingS && minExpiresS <= MAX_EXPIRES_S
                && intervalRetries < MAX_IMMEDIATE_RETRIES) {
            intervalRetries++;
            askingS = minExpiresS;
            return send(nowMillis, false);
        }
        return fail(nowMillis);
    }

    /** Our REGISTER got no final response (RFC 3261 Timer F, or the transport failed). */
    public Step onTimeout(long nowMillis) {
        if (stopped) {
            return none();
        }
        lastStatus = TIMEOUT_STATUS;
        return fail(nowMillis);
    }

    /** Shutdown: no more attempts; the caller un-REGISTERs if {@link #holdsBinding} said so. */
    public void stop() {
        stopped = true;
        state = State.UNREGISTERED;
        nextAttemptMillis = 0;
    }

    /** True while the registrar is believed to route to us (REGISTERED and not expired). */
    public boolean holdsBinding(long nowMillis) {
        return state == State.REGISTERED && nowMillis < expiresAtMillis;
    }

    public State state() {
        return state;
    }

    /** Status of the last final response, {@link #TIMEOUT_STATUS} for none, 0 before any. */
    public int lastStatus() {
        return lastStatus;
    }

    /** When the current binding expires (epoch ms), 0 if none was granted. */
    public long expiresAtMillis() {
        return state == State.REGISTERED ? expiresAtMillis : 0;
    }

    /** When the next REGISTER goes out (refresh or retry), 0 when none is planned. */
    public long nextAttemptMillis() {
        return nextAttemptMillis;
    }

    /** Failures in a row since the last 200. */
    public int failures() {
        return failures;
    }

    /** The interval asked for now (the configured one, or a registrar's Min-Expires). */
    public int askingS() {
        return askingS;
    }

    /**
     * When to refresh a binding granted for {@code grantedS}: half of it, no later than 32 s
     * before expiry, no sooner than a quarter of it (and at least 1 s).
     */
    public static long refreshDelayMillis(int grantedS) {
        long g = grantedS * 1000L;
        long delay = Math.min(g / 2, g - 32_000);
        return Math.max(Math.max(delay, g / 4), 1_000);
    }

    /**
     * The wait before attempt {@code failures + 1} after {@code failures} failures in a row (1 for
     * the first): 30 s * 2^(failures-1), at most 30 min, times a factor in [0.8, 1.0).
     */
    public static long backoffMillis(int failures, double random01) {
        int doublings = Math.min(Math.max(failures - 1, 0), 16);
        long base = Math.min(FIRST_BACKOFF_MILLIS << doublings, MAX_BACKOFF_MILLIS);
        return (long) (base * (0.8 + 0.2 * random01));
    }

    private Step send(long nowMillis, boolean withCredentials) {
        if (state != State.REGISTERED) {
            state = State.REGISTERING;
        }
        nextAttemptMillis = 0;
        return new Step(Action.SEND, askingS, withCredentials, nowMillis);
    }

    private Step fail(long nowMillis) {
        state = State.FAILED;
        failures++;
        authRetries = 0;
        intervalRetries = 0;
        askingS = Math.max(askingS, wantedExpiresS);
        nextAttemptMillis = nowMillis + backoffMillis(failures, random.getAsDouble());
        return new Step(Action.WAIT, askingS, false, nextAttemptMillis);
    }

    private static Step none() {
        return new Step(Action.NONE, 0, false, 0);
    }
}
