package org.tandem.gateway.sip;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The dialogs one INVITE of ours has created, by the remote (To) tag: a forking proxy on the way
 * may make several phones ring, each answering with its own tag (RFC 3261 12.1, 13.2.2.4). Plain
 * rules, no stack types: {@link InviteClient} asks it what each response means and acts on it.
 *
 * <ul>
 *   <li>Early dialogs (a 1xx with a To tag) are kept, one per tag, at most {@link #MAX_EARLY}: a
 *       peer cannot grow this without bound. Only the first early dialog that brings SDP is
 *       reported with it: a gateway renders one early-media stream, and the others are heard in
 *       the 2xx of whoever answers (RFC 3960 gateway model).</li>
 *   <li>The first 2xx is the call. A 2xx with another tag is another fork answering: it must be
 *       ACKed and then ended with BYE (13.2.2.4). A 2xx with the call's tag is a retransmission.</li>
 *   <li>Extra 2xx are only expected for 64*T1 after the first one (13.2.2.4: the UAC considers the
 *       INVITE transaction done then; RFC 6026 Timer M); a later one is not acted on.</li>
 *   <li>Every early dialog ends at the final response: with the 2xx (the others are over once the
 *       window passes; a proxy CANCELs its other branches) or with a failure.</li>
 * </ul>
 *
 * <p>Threading: none of its own; used under the leg monitor.
 */
final class ForkedDialogs {
    /** Early dialogs tracked per INVITE; more tags are still reported, just not remembered. */
    static final int MAX_EARLY = 16;
    /** RFC 3261 13.2.2.4: 64*T1 with T1 = 500 ms. */
    static final long ANSWER_WINDOW_NS = TimeUnit.SECONDS.toNanos(32);

    /** What a 2xx to the INVITE is. */
    enum Answer {
        /** The first 2xx: this fork is the call. */
        FIRST,
        /** The call's 2xx again (our ACK was lost): ACK it again. */
        RETRANSMISSION,
        /** Another fork answered within the window: ACK, then BYE. */
        OTHER_FORK,
        /** That other fork's 2xx again: ACK it again, its BYE is already on the way. */
        OTHER_FORK_AGAIN,
        /** Another fork answered after the window: too late to be this INVITE's; ignored. */
        LATE
    }

    private final Set<String> early = new LinkedHashSet<>();
    private final Set<String> closedForks = new LinkedHashSet<>();
    private String earlyMediaTag;
    private String answeredTag;
    private long answeredAtNs;
    private boolean final_;

    /**
     * A provisional (not 100) from the fork with this To tag (null: a peer that sends no tag, which
     * RFC 3261 allows for 1xx; it creates no dialog).
     *
     * @return true when its SDP (if any) is the early media to report
     */
    boolean onProvisional(String tag, boolean hasSdp) {
        if (tag != null && !final_ && early.size() < MAX_EARLY) {
            early.add(tag);
        }
        if (hasSdp && (earlyMediaTag == null || earlyMediaTag.equals(tag))) {
            earlyMediaTag = tag == null ? "" : tag;
            return true;
        }
        return false;
    }

    /** A 2xx from the fork with this To tag, at {@code nowNs} (System.nanoTime scale). */
    Answer onAnswer(String tag, long nowNs) {
        String t = tag == null ? "" : tag;
        if (answeredTag == null) {
            answeredTag = t;
            answeredAtNs = nowNs;
            final_ = true;
            early.clear();
            return Answer.FIRST;
        }
        if (answeredTag.equals(t)) {
            return Answer.RETRANSMISSION;
        }
        if (closedForks.contains(t)) {
            return Answer.OTHER_FORK_AGAIN;
        }
        if (nowNs - answeredAtNs > ANSWER_WINDOW_NS || closedForks.size() >= MAX_EARLY) {
            return Answer.LATE;
        }
        closedForks.add(t);
        return Answer.OTHER_FORK;
    }

    /**
     * A 2xx that the stack's dialog did not take (it confirmed another fork's 2xx first, on another
     * worker thread): forget it as the call so that fork's 2xx, processed next, becomes it.
     */
    void notTheCall(String tag) {
        if (answeredTag != null && answeredTag.equals(tag == null ? "" : tag)) {
            answeredTag = null;
            final_ = false;
        }
        closedForks.add(tag == null ? "" : tag);
    }

    /** A final failure: every early dialog ends. */
    void onFailure() {
        final_ = true;
        early.clear();
    }

    /** The early dialogs now alive, oldest first. */
    Set<String> earlyTags() {
        return Set.copyOf(early);
    }

    int earlyCount() {
        return early.size();
    }

    /** The To tag of the fork that is the call, or null before a 2xx. */
    String answeredTag() {
        return answeredTag;
    }
}
