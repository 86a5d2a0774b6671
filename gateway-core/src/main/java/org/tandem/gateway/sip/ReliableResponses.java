package org.tandem.gateway.sip;

import java.util.HashMap;
import java.util.Map;

/**
 * The reliable provisional responses (RFC 3262, UAC side) to our current INVITE, per early dialog
 * (the To tag: a forking proxy may bring several, each numbering its own RSeq). Plain rules:
 * {@link InviteClient} asks whether a reliable 18x is new, and PRACKs only those.
 *
 * <p>Section 4: the first reliable 18x of a dialog may carry any RSeq; each later one must carry
 * the previous plus one. One that does not (a retransmission because our PRACK was lost, which
 * our PRACK's own transaction repeats, or one out of order) "MUST NOT be acknowledged with a
 * PRACK, and MUST NOT be processed further". At most {@link ForkedDialogs#MAX_EARLY} dialogs are
 * remembered: a peer cannot grow this; a reliable 18x from one more dialog is ignored.
 *
 * <p>Threading: none of its own; used under the leg monitor.
 */
final class ReliableResponses {
    private final Map<String, Long> lastRseq = new HashMap<>();

    /**
     * A reliable 18x with this To tag (null: none, which a reliable 18x should not lack; treated
     * as one dialog) and RSeq.
     *
     * @return true when it is new: PRACK it and act on it; false: ignore it
     */
    boolean accept(String tag, long rseq) {
        String t = tag == null ? "" : tag;
        Long last = lastRseq.get(t);
        if (last == null) {
            if (lastRseq.size() >= ForkedDialogs.MAX_EARLY || rseq < 0) {
                return false;
            }
            lastRseq.put(t, rseq);
            return true;
        }
        if (rseq == last + 1) {
            lastRseq.put(t, rseq);
            return true;
        }
        return false;
    }

    /** Early dialogs that sent a reliable 18x. */
    int dialogCount() {
        return lastRseq.size();
    }
}
