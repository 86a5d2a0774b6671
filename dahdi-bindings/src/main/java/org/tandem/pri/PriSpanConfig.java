package org.tandem.pri;

import org.tandem.tdm.SpanType;
import org.tandem.tdm.TdmLaw;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * How one libpri instance is run. Validated once, in the constructor.
 *
 * @param name                 for logs, e.g. "span1" or "exchange/span1"
 * @param node                 CPE (the gateway towards a carrier) or NETWORK (the exchange)
 * @param switchType           Q.931 variant
 * @param bChannels            the timeslots that carry calls, ascending
 * @param law                  bearer capability layer 1 sent in SETUP (A-law on E1, mu-law on T1)
 * @param timers               overrides of libpri's defaults (ms; N200 a count)
 * @param restartOnDChannelUp  send RESTART for every idle B-channel when the D-channel comes up
 *                             (and when a span alarm clears), as carrier switches expect of CPE
 * @param overlapDial          accept overlap dialling (SETUP ACKNOWLEDGE / INFORMATION)
 * @param debugMask            {@code PRI_DEBUG_*} bits; libpri's text goes to SLF4J at DEBUG
 * @param supplementaryServices libpri's supplementary services ({@code pri_facility_enable}):
 *                             facility IEs such as ETSI DivertingLegInformation2, which carries a
 *                             diverted call's count and original called number; off by default
 * @param hold                 call hold (HOLD / RETRIEVE, ETS 300 139; {@code pri_hold_enable});
 *                             off by default
 */
public record PriSpanConfig(String name, PriNode node, SwitchType switchType, int[] bChannels, TdmLaw law,
                            Map<PriTimer, Integer> timers, boolean restartOnDChannelUp, boolean overlapDial,
                            int debugMask, boolean supplementaryServices, boolean hold) {
    public PriSpanConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("span name required");
        }
        if (node == null || switchType == null || law == null) {
            throw new IllegalArgumentException("span " + name + ": node, switch type and law are required");
        }
        if (bChannels == null || bChannels.length == 0) {
            throw new IllegalArgumentException("span " + name + ": at least one B-channel required");
        }
        bChannels = bChannels.clone();
        Arrays.sort(bChannels);
        for (int ts : bChannels) {
            if (ts < 1 || ts > 31) {
                throw new IllegalArgumentException("span " + name + ": B-channel timeslot " + ts + " is not in 1..31");
            }
        }
        EnumMap<PriTimer, Integer> t = new EnumMap<>(PriTimer.class);
        if (timers != null) {
            for (Map.Entry<PriTimer, Integer> e : timers.entrySet()) {
                if (e.getValue() == null || e.getValue() <= 0) {
                    throw new IllegalArgumentException("span " + name + ": timer " + e.getKey() + " must be > 0, got "
                        + e.getValue());
                }
                t.put(e.getKey(), e.getValue());
            }
        }
        timers = Collections.unmodifiableMap(t);
    }

    /** Without libpri's supplementary services. */
    public PriSpanConfig(String name, PriNode node, SwitchType switchType, int[] bChannels, TdmLaw law,
                         Map<PriTimer, Integer> timers, boolean restartOnDChannelUp, boolean overlapDial,
                         int debugMask) {
        this(name, node, switchType, bChannels, law, timers, restartOnDChannelUp, overlapDial, debugMask, false, false);
    }

    /** Without call hold. */
    public PriSpanConfig(String name, PriNode node, SwitchType switchType, int[] bChannels, TdmLaw law,
                         Map<PriTimer, Integer> timers, boolean restartOnDChannelUp, boolean overlapDial,
                         int debugMask, boolean supplementaryServices) {
        this(name, node, switchType, bChannels, law, timers, restartOnDChannelUp, overlapDial, debugMask,
            supplementaryServices, false);
    }

    /**
     * Defaults for a span type: E1 EuroISDN, timeslots 1-15,17-31, A-law; T1 NI2, 1-23, mu-law.
     * RESTART on D-channel up is on for CPE.
     */
    public static PriSpanConfig defaults(String name, PriNode node, SpanType type) {
        int[] ts = type == SpanType.E1 ? e1Timeslots() : rangeOf(1, 23);
        return new PriSpanConfig(name, node, type == SpanType.E1 ? SwitchType.EUROISDN_E1 : SwitchType.NI2, ts,
            type == SpanType.E1 ? TdmLaw.ALAW : TdmLaw.MULAW, Map.of(), node == PriNode.CPE, false, 0);
    }

    public PriSpanConfig withTimer(PriTimer timer, int value) {
        EnumMap<PriTimer, Integer> t = new EnumMap<>(PriTimer.class);
        t.putAll(timers);
        t.put(timer, value);
        return new PriSpanConfig(name, node, switchType, bChannels, law, t, restartOnDChannelUp, overlapDial,
            debugMask, supplementaryServices, hold);
    }

    public PriSpanConfig withName(String newName) {
        return new PriSpanConfig(newName, node, switchType, bChannels, law, timers, restartOnDChannelUp, overlapDial,
            debugMask, supplementaryServices, hold);
    }

    public PriSpanConfig withSwitchType(SwitchType type) {
        return new PriSpanConfig(name, node, type, bChannels, law, timers, restartOnDChannelUp, overlapDial,
            debugMask, supplementaryServices, hold);
    }

    public PriSpanConfig withRestartOnDChannelUp(boolean on) {
        return new PriSpanConfig(name, node, switchType, bChannels, law, timers, on, overlapDial, debugMask,
            supplementaryServices, hold);
    }

    public PriSpanConfig withOverlapDial(boolean on) {
        return new PriSpanConfig(name, node, switchType, bChannels, law, timers, restartOnDChannelUp, on, debugMask,
            supplementaryServices, hold);
    }

    public PriSpanConfig withDebugMask(int mask) {
        return new PriSpanConfig(name, node, switchType, bChannels, law, timers, restartOnDChannelUp, overlapDial,
            mask, supplementaryServices, hold);
    }

    /** libpri's supplementary services on or off (see the record's parameter). */
    public PriSpanConfig withSupplementaryServices(boolean on) {
        return new PriSpanConfig(name, node, switchType, bChannels, law, timers, restartOnDChannelUp, overlapDial,
            debugMask, on, hold);
    }

    /** Call hold (HOLD / RETRIEVE) on or off (see the record's parameter). */
    public PriSpanConfig withHold(boolean on) {
        return new PriSpanConfig(name, node, switchType, bChannels, law, timers, restartOnDChannelUp, overlapDial,
            debugMask, supplementaryServices, on);
    }

    @Override
    public int[] bChannels() {
        return bChannels.clone();
    }

    public boolean hasBChannel(int ts) {
        return Arrays.binarySearch(bChannels, ts) >= 0;
    }

    static int[] e1Timeslots() {
        int[] ts = new int[30];
        int i = 0;
        for (int t = 1; t <= 31; t++) {
            if (t != 16) {
                ts[i++] = t;
            }
        }
        return ts;
    }

    static int[] rangeOf(int from, int to) {
        int[] ts = new int[to - from + 1];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = from + i;
        }
        return ts;
    }
}
