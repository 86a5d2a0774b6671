package org.tandem.simexchange;

import org.tandem.pri.PriNode;
import org.tandem.pri.PriSpanConfig;
import org.tandem.pri.PriTimer;
import org.tandem.pri.SwitchType;
import org.tandem.tdm.SpanType;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The simulated exchange's settings: number plan, switch type and timer overrides. Numbers not in
 * the plan are unallocated (cause 1).
 */
public record ExchangeConfig(Map<String, TestLine> numberPlan, SwitchType switchType,
                             Map<PriTimer, Integer> timers, boolean supplementaryServices) {
    public ExchangeConfig {
        if (numberPlan == null || switchType == null) {
            throw new IllegalArgumentException("number plan and switch type are required");
        }
        for (String n : numberPlan.keySet()) {
            if (n.isEmpty() || !n.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '*' || c == '#')) {
                throw new IllegalArgumentException("number plan entry '" + n + "' is not a dialable number");
            }
        }
        numberPlan = Collections.unmodifiableMap(new LinkedHashMap<>(numberPlan));
        EnumMap<PriTimer, Integer> t = new EnumMap<>(PriTimer.class);
        if (timers != null) {
            t.putAll(timers);
        }
        timers = Collections.unmodifiableMap(t);
    }

    /** An exchange without libpri's supplementary services. */
    public ExchangeConfig(Map<String, TestLine> numberPlan, SwitchType switchType, Map<PriTimer, Integer> timers) {
        this(numberPlan, switchType, timers, false);
    }

    /** The same exchange with libpri's supplementary services on or off (match the gateway's span). */
    public ExchangeConfig withSupplementaryServices(boolean on) {
        return new ExchangeConfig(numberPlan, switchType, timers, on);
    }

    /** 1004 milliwatt, 1000 loop-around, 1486 busy, 1404 unallocated, 1503 congestion, 1480 no answer, 1408 no response. */
    public static Map<String, TestLine> defaultNumberPlan() {
        Map<String, TestLine> m = new LinkedHashMap<>();
        m.put("1004", TestLine.MILLIWATT);
        m.put("1000", TestLine.LOOPBACK);
        m.put("1486", TestLine.BUSY);
        m.put("1404", TestLine.UNALLOCATED);
        m.put("1503", TestLine.CONGESTION);
        m.put("1480", TestLine.NO_ANSWER);
        m.put("1408", TestLine.NO_RESPONSE);
        return m;
    }

    /** Default plan; EuroISDN on E1, NI2 on T1. */
    public static ExchangeConfig defaults(SpanType type) {
        return new ExchangeConfig(defaultNumberPlan(), type == SpanType.E1 ? SwitchType.EUROISDN_E1 : SwitchType.NI2,
            Map.of());
    }

    public ExchangeConfig withTimer(PriTimer timer, int value) {
        EnumMap<PriTimer, Integer> t = new EnumMap<>(PriTimer.class);
        t.putAll(timers);
        t.put(timer, value);
        return new ExchangeConfig(numberPlan, switchType, t, supplementaryServices);
    }

    /** The longest number of the plan: an overlap-dialled number is complete at this length. */
    public int longestNumber() {
        int n = 0;
        for (String k : numberPlan.keySet()) {
            n = Math.max(n, k.length());
        }
        return n;
    }

    public TestLine lineFor(String number) {
        return numberPlan.getOrDefault(number, TestLine.UNALLOCATED);
    }

    /** The NETWORK-side libpri settings for a span of this type. */
    PriSpanConfig priConfig(String name, SpanType type) {
        PriSpanConfig c = PriSpanConfig.defaults(name, PriNode.NETWORK, type).withSwitchType(switchType)
            .withRestartOnDChannelUp(false).withSupplementaryServices(supplementaryServices)
            .withHold(true) // a network offering call hold: HOLD arrives only from spans with hold = yes
            .withOverlapDial(true); // overlap receiving: SETUP ACKNOWLEDGE, digits in INFORMATION
        for (Map.Entry<PriTimer, Integer> e : timers.entrySet()) {
            c = c.withTimer(e.getKey(), e.getValue());
        }
        return c;
    }
}
