package org.tandem.gateway.call;

import java.util.ArrayList;
import java.util.List;
import org.tandem.gateway.interwork.Reason;

/**
 * The branches of one call forked to a user's registered contacts, as plain state: which branch
 * to start, which to cancel, and, when every branch has failed, the best response (RFC 3261
 * 16.7). No SIP stack, no timers, no threads: {@link UserFork} does the sending and the timing
 * and asks this class what follows. Branches are numbered 0..n-1 in the order the contacts are
 * tried ({@code Binding.PREFERENCE}: highest q first).
 *
 * <p>Parallel: every branch starts at once. Sequential: one branch at a time; the next starts
 * when the current one fails or rings out. Either way the first 2xx wins and every other live
 * branch is cancelled.
 *
 * <p>The best response when all failed, in this order:
 * <ol>
 *   <li>a 6xx (the first received): "global failure", no other branch can change it (16.7 step 6
 *       and 16.7 step 5: a 6xx ends the forking at once, in which case the others are cancelled);</li>
 *   <li>a branch that rang out (alerted or not, the ring time passed without answer): no answer,
 *       whatever the other branches said, because the user was offered the call on a device and did
 *       not take it (a busy second phone does not make the user busy);</li>
 *   <li>else 486 Busy Here (busy on every device is busy), then any other 4xx, then 5xx, then
 *       a 3xx (a redirect the SIP side did not follow: RFC 3261 16.7 would prefer the lowest
 *       class, but a proxy sends a 3xx upstream to be followed; we cannot, and it says the least
 *       about the user), 408 (request timeout, no response at all) last;</li>
 *   <li>a branch whose INVITE could not even be sent ranks below everything (status 0).</li>
 * </ol>
 * Runs on the call-control thread only.
 */
final class ForkState {
    enum Mode { PARALLEL, SEQUENTIAL }

    enum Branch { WAITING, TRYING, EARLY, ANSWERED, FAILED, RANG_OUT, CANCELLED }

    /** What follows an event. */
    sealed interface Step {
    }

    /** Nothing to do: other branches are still live. */
    record Wait() implements Step {
    }

    /** Start these branches now (their INVITEs). */
    record Start(List<Integer> branches) implements Step {
    }

    /** A branch answered: cancel these (Reason "Call completed elsewhere"). */
    record Won(int branch, List<Integer> cancel) implements Step {
    }

    /**
     * Every branch failed. {@code status} is the best final response (0 when none), {@code reason}
     * its Reason header; {@code noAnswer} when a branch rang out (then {@code alerted} says whether
     * that branch had sent a provisional 18x).
     */
    record AllFailed(int status, Reason reason, boolean noAnswer, boolean alerted) implements Step {
    }

    private static final Wait WAIT = new Wait();

    private final Mode mode;
    private final Branch[] branches;
    private final int[] status;
    private final Reason[] reasons;
    private final boolean[] alerted;
    private int winner = -1;
    private int firstGlobalFailure = -1;

    ForkState(Mode mode, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a fork needs at least one branch, not " + count);
        }
        this.mode = mode;
        this.branches = new Branch[count];
        java.util.Arrays.fill(branches, Branch.WAITING);
        this.status = new int[count];
        this.reasons = new Reason[count];
        this.alerted = new boolean[count];
    }

    Mode mode() {
        return mode;
    }

    int size() {
        return branches.length;
    }

    Branch branch(int i) {
        return branches[i];
    }

    /** The branch that answered, or -1. */
    int winner() {
        return winner;
    }

    /** True while no branch has won and not all have failed. */
    boolean ringing() {
        return winner < 0 && liveCount() > 0;
    }

    /** The branches to start first: all of them (parallel) or the most preferred (sequential). */
    Start start() {
        List<Integer> first = new ArrayList<>();
        for (int i = 0; i < branches.length && (mode == Mode.PARALLEL || first.isEmpty()); i++) {
            first.add(i);
        }
        for (int i : first) {
            branches[i] = Branch.TRYING;
        }
        return new Start(List.copyOf(first));
    }

    /** A provisional 18x on branch i. */
    void onProvisional(int i) {
        if (isLive(i)) {
            branches[i] = Branch.EARLY;
            alerted[i] = true;
        }
    }

    /** A 2xx on branch i: it wins if nothing has yet, and every other live branch is to be cancelled. */
    Step onAnswered(int i) {
        if (winner >= 0 || !isLive(i)) {
            return WAIT; // a late 2xx: the SIP side ACKs and BYEs it once call control hangs it up
        }
        winner = i;
        branches[i] = Branch.ANSWERED;
        return new Won(i, cancelOthers(i));
    }

    /**
     * A final failure on branch i ({@code status} 300..699, 408 for no response, 0 when the INVITE
     * could not be sent). A 6xx ends the fork: the others are cancelled (RFC 3261 16.7 step 5).
     */
    Step onFailed(int i, int finalStatus, Reason reason) {
        if (!isLive(i) || winner >= 0) {
            return WAIT;
        }
        branches[i] = Branch.FAILED;
        status[i] = finalStatus;
        reasons[i] = reason;
        if (finalStatus >= 600 && firstGlobalFailure < 0) {
            firstGlobalFailure = i;
            List<Integer> cancel = cancelOthers(i);
            AllFailed f = best();
            return cancel.isEmpty() ? f : new GlobalFailure(cancel, f);
        }
        return next();
    }

    /** Branch i rang for its ring time without answer: it is to be cancelled. */
    Step onRingTimeout(int i) {
        if (!isLive(i) || winner >= 0) {
            return WAIT;
        }
        branches[i] = Branch.RANG_OUT;
        return next();
    }

    /**
     * A 6xx on one branch while others were live: cancel those, then the call fails with
     * {@code failed}.
     */
    record GlobalFailure(List<Integer> cancel, AllFailed failed) implements Step {
    }

    /** The live branches (trying or early), for a release that cancels them all. */
    List<Integer> live() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < branches.length; i++) {
            if (isLive(i)) {
                out.add(i);
            }
        }
        return out;
    }

    /** Marks every live branch cancelled (the caller gave up or the call is released). */
    List<Integer> cancelAll() {
        List<Integer> out = live();
        for (int i : out) {
            branches[i] = Branch.CANCELLED;
        }
        return out;
    }

    boolean isLive(int i) {
        return branches[i] == Branch.TRYING || branches[i] == Branch.EARLY;
    }

    private int liveCount() {
        return live().size();
    }

    private List<Integer> cancelOthers(int except) {
        List<Integer> out = new ArrayList<>();
        for (int j = 0; j < branches.length; j++) {
            if (j != except && isLive(j)) {
                branches[j] = Branch.CANCELLED;
                out.add(j);
            }
        }
        return out;
    }

    /** After a branch ended without answer: the next one (sequential), waiting, or the outcome. */
    private Step next() {
        if (liveCount() > 0) {
            return WAIT;
        }
        if (mode == Mode.SEQUENTIAL) {
            for (int j = 0; j < branches.length; j++) {
                if (branches[j] == Branch.WAITING) {
                    branches[j] = Branch.TRYING;
                    return new Start(List.of(j));
                }
            }
        }
        return best();
    }

    /** RFC 3261 16.7 step 6, as the class comment orders it. */
    AllFailed best() {
        if (firstGlobalFailure >= 0) {
            return new AllFailed(status[firstGlobalFailure], reasons[firstGlobalFailure], false, false);
        }
        boolean rangOut = false;
        boolean rangOutAlerted = false;
        for (int i = 0; i < branches.length; i++) {
            if (branches[i] == Branch.RANG_OUT) {
                rangOut = true;
                rangOutAlerted |= alerted[i];
            }
        }
        if (rangOut) {
            return new AllFailed(0, null, true, rangOutAlerted);
        }
        int best = -1;
        for (int i = 0; i < branches.length; i++) {
            if (branches[i] == Branch.FAILED && (best < 0 || rank(status[i]) < rank(status[best]))) {
                best = i;
            }
        }
        return best < 0 ? new AllFailed(0, null, false, false)
                : new AllFailed(status[best], reasons[best], false, false);
    }

    /** Lower is better: 486, other 4xx, 5xx, 3xx not followed, 408, not sent (0) last. */
    private static int rank(int s) {
        if (s == 0) {
            return Integer.MAX_VALUE;
        }
        if (s == 486) {
            return 0;
        }
        if (s == 408) {
            return 4000;
        }
        int cls = s / 100;
        int order = cls == 4 ? 1 : cls == 5 ? 2 : 3; // 3xx: a redirect the SIP side did not follow
        return order * 1000 + s % 100;
    }
}
