package org.tandem.pri;

/**
 * What libpri writes for one call while we are inside its {@code pri_hangup} (see
 * {@link PriCommands#hangupAndCheck}): any Q.931 message for the call's CRV, and whether one was
 * RELEASE COMPLETE. libpri 1.6.0 frees an unanswered call it clears with RELEASE COMPLETE and
 * reports nothing more about it; this is how we learn that it did.
 *
 * <p>PRI engine thread only: armed around {@code pri_hangup}, fed by the span's write callback,
 * which libpri calls from inside {@code pri_hangup} on that thread. Owns nothing but the watch.
 */
final class ReleaseCompleteWatch {
    private static final byte Q931_DISCRIMINATOR = 0x08;
    private static final int Q931_RELEASE_COMPLETE = 0x5A;

    private int watchCrv = -1;
    private boolean watchSentAny;
    private boolean watchSentReleaseComplete;

    /** Starts watching the frames for call reference {@code crv}. */
    void arm(int crv) {
        watchCrv = crv;
        watchSentAny = false;
        watchSentReleaseComplete = false;
    }

    void disarm() {
        watchCrv = -1;
    }

    boolean armed() {
        return watchCrv >= 0;
    }

    /** A frame for the watched call went out. */
    boolean sentAny() {
        return watchSentAny;
    }

    /** RELEASE COMPLETE for the watched call went out. */
    boolean sentReleaseComplete() {
        return watchSentReleaseComplete;
    }

    /**
     * One frame libpri wrote, {@code frame[0..len)}: if it is a Q.921 I-frame carrying Q.931 for
     * the watched CRV, note it (and whether it is RELEASE COMPLETE).
     */
    void onFrame(byte[] frame, int len) {
        int end = len - 2; // FCS
        if (end < 9 || (frame[2] & 1) != 0 || frame[4] != Q931_DISCRIMINATOR) {
            return;
        }
        int crLen = frame[5] & 0x0F;
        int p = 6;
        if (crLen < 1 || crLen > 2 || p + crLen >= end) {
            return;
        }
        int crv = 0;
        for (int i = 0; i < crLen; i++) {
            crv = (crv << 8) | (frame[p++] & 0xFF);
        }
        crv &= ~(0x80 << (8 * (crLen - 1)));
        if (crv != watchCrv) {
            return;
        }
        watchSentAny = true;
        if ((frame[p] & 0xFF) == Q931_RELEASE_COMPLETE) {
            watchSentReleaseComplete = true;
        }
    }
}
