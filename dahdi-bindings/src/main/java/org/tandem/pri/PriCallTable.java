package org.tandem.pri;

import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tandem.pri.PriEvent.ReleaseReason;

/**
 * The live calls of one span, keyed by libpri's {@code q931_call*} handle. libpri reuses a handle
 * once its call is released, so a call is in the table only while it lives: {@link #release}
 * drops it and reports its {@link PriEvent.CallReleased}, exactly once. Commands hold the
 * {@link PriCall}, never the pointer.
 *
 * <p>PRI engine thread only. Owns the map (and through it which B-channel is busy).
 */
final class PriCallTable {
    private final PriSpan span;
    private final PriSpanConfig config;
    private final Map<Long, PriCall> calls = new HashMap<>();

    PriCallTable(PriSpan span, PriSpanConfig config) {
        this.span = span;
        this.config = config;
    }

    /** The call of handle {@code h}, or null (also for a null handle). */
    PriCall get(Pointer h) {
        return h == null ? null : calls.get(Pointer.nativeValue(h));
    }

    void put(Pointer h, PriCall call) {
        calls.put(Pointer.nativeValue(h), call);
    }

    /** Drops the mapping of {@code h} without reporting anything; returns the call it had. */
    PriCall remove(Pointer h) {
        return calls.remove(Pointer.nativeValue(h));
    }

    int size() {
        return calls.size();
    }

    /** A copy, to iterate while releasing. */
    List<PriCall> snapshot() {
        return new ArrayList<>(calls.values());
    }

    PriCall callOn(int ts) {
        for (PriCall c : calls.values()) {
            if (c.channel == ts) {
                return c;
            }
        }
        return null;
    }

    /** The lowest B-channel without a call, or {@link ChannelId#ANY}. */
    int idleChannel() {
        for (int ts : config.bChannels()) {
            if (callOn(ts) == null) {
                return ts;
            }
        }
        return ChannelId.ANY;
    }

    /** Forgets the call's handle and reports the release, unless it was reported already. */
    void release(PriCall call, int cause, ReleaseReason reason) {
        if (call.handle != null) {
            calls.remove(Pointer.nativeValue(call.handle));
        }
        call.handle = null;
        if (!call.isReleased()) {
            call.markReleased();
            span.emit(new PriEvent.CallReleased(call, cause, reason));
        }
    }
}
