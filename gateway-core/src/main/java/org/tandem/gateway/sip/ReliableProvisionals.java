package org.tandem.gateway.sip;

import java.util.ArrayDeque;
import org.tandem.gateway.sdp.SessionDescription;

/**
 * Our reliable provisional responses to one inbound INVITE (RFC 3262, UAS side), as plain state:
 * {@link InviteServer} asks it what to send and when; the stack (JAIN-SIP's
 * {@code Dialog.sendReliableProvisionalResponse}) numbers them (RSeq) and retransmits each with T1
 * doubling until its PRACK or 64*T1.
 *
 * <ul>
 *   <li>Whether to send reliably at all: {@link #decide} from the INVITE's Require/Supported and the
 *       trunk's {@link PrackPolicy}.</li>
 *   <li>One at a time (section 3: "the UAS MUST NOT send a second reliable provisional response
 *       until the first is acknowledged"): a 18x asked for while one is unacknowledged waits in a
 *       short queue ({@link #MAX_QUEUED}; beyond it the oldest waiting one is dropped, the newest
 *       news of the PSTN side being what matters) and goes out when the PRACK comes.</li>
 *   <li>The 2xx waits for the PRACK of an unacknowledged one ({@link #holdAnswer}); section 3
 *       demands this when that 18x carried SDP, and the RI refuses a 2xx with SDP while any reliable
 *       18x is unacknowledged, so we hold it in every case. Waiting 18x are dropped then: the answer
 *       supersedes them.</li>
 *   <li>A PRACK is matched by RAck (RSeq, CSeq number, method) against the unacknowledged one
 *       ({@link #onPrack}); anything else gets 481 (section 3), a new PRACK for the one
 *       acknowledged last included (told apart as a repeat, for the log).</li>
 *   <li>When a reliable 18x that carried our SDP answer is acknowledged, the offer/answer exchange
 *       is complete ({@link #answerDelivered}): the 2xx then carries no SDP (RFC 3261 13.2.1 / RFC
 *       3264: no second answer).</li>
 * </ul>
 *
 * <p>Threading: none of its own; used under the leg monitor.
 */
final class ReliableProvisionals {
    static final int MAX_QUEUED = 4;

    /** How our 18x to this INVITE go. */
    enum Use {
        /** With Require: 100rel and RSeq, retransmitted until PRACKed. */
        RELIABLE,
        /** As plain provisionals. */
        UNRELIABLE,
        /** Not at all: the INVITE requires 100rel and the trunk refuses it (420, Unsupported: 100rel). */
        REFUSE
    }

    /** What a PRACK acknowledges. */
    enum Prack {
        /** The unacknowledged reliable 18x: answer 200, send what waited. */
        MATCHED,
        /**
         * The one acknowledged last, in a new PRACK transaction (a retransmission is its old
         * transaction's business): it matches no unacknowledged 18x, so 481 as for UNKNOWN.
         */
        REPEATED,
        /** No reliable 18x of ours: 481. */
        UNKNOWN
    }

    /** A 18x call control asked for. */
    record Provisional(int status, SessionDescription sdp) {
    }

    /** What to send once a PRACK arrives: the held 2xx, the next 18x, or nothing. */
    record Next(boolean answer, SessionDescription answerSdp, Provisional provisional) {
        static final Next NOTHING = new Next(false, null, null);
    }

    private final ArrayDeque<Provisional> queued = new ArrayDeque<>();
    private long pendingRseq = -1;
    private long pendingCseq = -1;
    private boolean pendingSdp;
    private long lastAckedRseq = -1;
    private boolean answerDelivered;
    private boolean answerHeld;
    private SessionDescription heldAnswer;
    private int sent;

    /**
     * Whether our 18x to an INVITE are reliable.
     *
     * @param required  the INVITE has {@code Require: 100rel}
     * @param supported the INVITE has {@code Supported: 100rel}
     */
    static Use decide(PrackPolicy policy, boolean required, boolean supported) {
        if (required) {
            return policy == PrackPolicy.OFF ? Use.REFUSE : Use.RELIABLE;
        }
        return supported && policy == PrackPolicy.REQUIRED ? Use.RELIABLE : Use.UNRELIABLE;
    }

    /** A reliable 18x is out and not yet acknowledged. */
    boolean awaitingPrack() {
        return pendingRseq >= 0;
    }

    /**
     * Call control asks for a 18x.
     *
     * @return true when it can go now; false when it waits (or is dropped, an answer being held)
     */
    boolean offer(Provisional p) {
        if (answerHeld) {
            return false;
        }
        if (pendingRseq < 0) {
            return true;
        }
        if (queued.size() >= MAX_QUEUED) {
            queued.pollFirst();
        }
        queued.addLast(p);
        return false;
    }

    /** A reliable 18x went out with this RSeq, for the INVITE with this CSeq number. */
    void sent(long rseq, long inviteCseq, boolean hasSdp) {
        pendingRseq = rseq;
        pendingCseq = inviteCseq;
        pendingSdp = hasSdp;
        sent++;
    }

    /** What a PRACK with this RAck would acknowledge, changing nothing. */
    Prack classify(long rseq, long cseq, String method) {
        if (pendingRseq >= 0 && rseq == pendingRseq && cseq == pendingCseq && "INVITE".equalsIgnoreCase(method)) {
            return Prack.MATCHED;
        }
        return lastAckedRseq >= 0 && rseq == lastAckedRseq && cseq == pendingCseq ? Prack.REPEATED : Prack.UNKNOWN;
    }

    /** A PRACK with this RAck. */
    Prack onPrack(long rseq, long cseq, String method) {
        if (pendingRseq >= 0 && rseq == pendingRseq && cseq == pendingCseq && "INVITE".equalsIgnoreCase(method)) {
            lastAckedRseq = rseq;
            answerDelivered |= pendingSdp;
            pendingRseq = -1;
            pendingSdp = false;
            return Prack.MATCHED;
        }
        if (lastAckedRseq >= 0 && rseq == lastAckedRseq && cseq == pendingCseq) {
            return Prack.REPEATED;
        }
        return Prack.UNKNOWN;
    }

    /**
     * Call control answers: true when the 2xx must wait for the PRACK (kept here, sent by
     * {@link #next}); false when it can go now.
     */
    boolean holdAnswer(SessionDescription sdp) {
        if (pendingRseq < 0) {
            return false;
        }
        answerHeld = true;
        heldAnswer = sdp;
        queued.clear();
        return true;
    }

    /** After a {@link Prack#MATCHED} PRACK: the held 2xx first, else the next waiting 18x. */
    Next next() {
        if (answerHeld) {
            answerHeld = false;
            SessionDescription sdp = heldAnswer;
            heldAnswer = null;
            return new Next(true, sdp, null);
        }
        Provisional p = queued.pollFirst();
        return p == null ? Next.NOTHING : new Next(false, null, p);
    }

    /** An SDP answer of ours went in a reliable 18x that was acknowledged: offer/answer is done. */
    boolean answerDelivered() {
        return answerDelivered;
    }

    /** The 2xx is being held for a PRACK. */
    boolean answerHeld() {
        return answerHeld;
    }

    /** Reliable 18x sent so far. */
    int sentCount() {
        return sent;
    }

    int queuedCount() {
        return queued.size();
    }
}
