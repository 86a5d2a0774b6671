package org.tandem.gateway.call;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.tandem.config.ChannelGroupConfig;
import org.tandem.config.GatewayConfig;
import org.tandem.config.SpanConfig;
import org.tandem.gateway.interwork.Q850Cause;
import org.tandem.gateway.media.MediaHandle;
import org.tandem.gateway.ops.CallDirection;
import org.tandem.gateway.sip.CallHandle;
import org.tandem.gateway.sip.SipSide;
import org.tandem.pri.PriCall;
import org.tandem.pri.PriSpan;
import org.tandem.tdm.TdmSpan;

/**
 * What the call-control roles share, so that none of them reaches into another: the calls and
 * their indexes (by gateway call id, SIP handle, PRI call and media handle), the started spans,
 * the B-channel table, the SIP side and the drain state. It finds things and hands out call ids;
 * it decides nothing.
 *
 * <p>Runs on the {@link CallControlAgent} thread only, like every role it serves. The SIP side is
 * the exception: it is set once by the wiring thread before the agent starts, hence volatile.
 */
final class CallRegistry {
    private final CallControlAgent agent;
    private final LongSupplier clockMillis;
    private final ChannelTable table = new ChannelTable();
    private final Map<Integer, SpanInfo> spans = new LinkedHashMap<>();
    private final Map<Long, Call> sipCalls = new HashMap<>();
    private final Map<PriCall, PstnLeg> legs = new IdentityHashMap<>();
    private final Map<MediaHandle, Call> mediaCalls = new IdentityHashMap<>();
    private final Map<String, Call> calls = new LinkedHashMap<>();
    private volatile SipSide sip;
    private long callSequence;
    private boolean draining;
    private boolean refusingNew;
    private int drainCause = Q850Cause.TEMPORARY_FAILURE;
    private CompletableFuture<Void> drained;

    /** A started span: its configuration, its libpri instance and its TDM channels. */
    static final class SpanInfo {
        final SpanConfig config;
        final PriSpan pri;
        final TdmSpan tdm;

        SpanInfo(SpanConfig config, PriSpan pri, TdmSpan tdm) {
            this.config = config;
            this.pri = pri;
            this.tdm = tdm;
        }
    }

    /** Builds the channel table from the configuration's groups (the spans as configured at start). */
    CallRegistry(CallControlAgent agent, LongSupplier clockMillis, GatewayConfig config) {
        this.agent = agent;
        this.clockMillis = clockMillis;
        for (ChannelGroupConfig g : config.groups().values()) {
            List<int[]> channels = new ArrayList<>();
            for (SpanConfig s : config.spans()) {
                if (s.group().equals(g.name())) {
                    s.bchannels().stream().forEach(ts -> channels.add(new int[] {s.number(), ts}));
                }
            }
            table.addGroup(g.name(), g.hunting(), channels);
        }
    }

    CallControlAgent agent() {
        return agent;
    }

    long nowMillis() {
        return clockMillis.getAsLong();
    }

    ChannelTable table() {
        return table;
    }

    SipSide sip() {
        return sip;
    }

    void setSip(SipSide sipSide) {
        this.sip = sipSide;
    }

    // ------------------------------------------------------------------ spans

    void addSpan(SpanInfo span) {
        spans.put(span.config.number(), span);
    }

    SpanInfo span(int number) {
        return spans.get(number);
    }

    Set<Integer> spanNumbers() {
        return spans.keySet();
    }

    /** True when there are spans and every one's D-channel is up and in service. */
    boolean allSpansUsable() {
        boolean up = !spans.isEmpty();
        for (int s : spans.keySet()) {
            up &= table.spanUsable(s);
        }
        return up;
    }

    // ------------------------------------------------------------------ calls and their indexes

    /** A new call with the next gateway call id ("c1", "c2", ...), registered until {@link #remove}. */
    Call newCall(CallDirection direction) {
        Call c = new Call("c" + (++callSequence), direction, clockMillis.getAsLong());
        calls.put(c.id, c);
        return c;
    }

    Call call(String id) {
        return calls.get(id);
    }

    Collection<Call> calls() {
        return calls.values();
    }

    int callCount() {
        return calls.size();
    }

    void remove(Call c) {
        calls.remove(c.id);
    }

    /** Indexes the call by its SIP leg's handle ({@code c.sip} must be set). */
    void bindSip(Call c) {
        sipCalls.put(c.sip.id(), c);
    }

    Call bySip(long sipId) {
        return sipCalls.get(sipId);
    }

    /** Indexes one branch of a forked call by its handle (UserFork: several handles, one call). */
    void bindSipHandle(CallHandle handle, Call c) {
        sipCalls.put(handle.id(), c);
    }

    void unbindSipHandle(CallHandle handle) {
        sipCalls.remove(handle.id());
    }

    void unbindSip(Call c) {
        sipCalls.remove(c.sip.id());
    }

    void bindLeg(PstnLeg leg) {
        legs.put(leg.pri, leg);
    }

    PstnLeg leg(PriCall call) {
        return legs.get(call);
    }

    PstnLeg unbindLeg(PriCall call) {
        return legs.remove(call);
    }

    void bindMedia(MediaHandle h, Call c) {
        mediaCalls.put(h, c);
    }

    Call byMedia(MediaHandle h) {
        return mediaCalls.get(h);
    }

    void unbindMedia(MediaHandle h) {
        mediaCalls.remove(h);
    }

    // ------------------------------------------------------------------ drain

    /** From now on new calls are refused with {@code cause}; {@code whenEmpty} completes at the last call's end. */
    void startDraining(int cause, CompletableFuture<Void> whenEmpty) {
        draining = true;
        drainCause = cause;
        drained = whenEmpty;
    }

    boolean isDraining() {
        return draining;
    }

    /** The operator's drain ({@code tandem ctl drain}): new calls refused, calls in progress go on. */
    void setRefusingNewCalls(boolean on) {
        refusingNew = on;
    }

    boolean refusingNewCalls() {
        return refusingNew;
    }

    int drainCause() {
        return drainCause;
    }

    void checkDrained() {
        if (drained != null && calls.isEmpty()) {
            drained.complete(null);
        }
    }
}
