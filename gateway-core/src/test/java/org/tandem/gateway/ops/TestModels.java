package org.tandem.gateway.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Models filled with test data, shared by the ops, SNMP and console tests. */
public final class TestModels {
    /** 2025-03-01T10:00:00Z */
    public static final long T0 = 1_740_823_200_000L;

    private TestModels() {
    }

    /** E1 bearer channels: timeslots 1..31 without 16 (the D-channel). */
    public static List<Integer> e1Bearers() {
        List<Integer> b = new ArrayList<>();
        for (int i = 1; i <= 31; i++) {
            if (i != 16) {
                b.add(i);
            }
        }
        return b;
    }

    /**
     * Two E1 spans in service with D-channels up, RUNNING; one answered call on 1/1
     * (c1: 0301234567 -> 1004, SIP->PSTN) and one ringing call on 2/5 (c2, PSTN->SIP).
     */
    public static GatewayModel twoSpansWithCalls(AtomicLong clock) {
        GatewayModel m = new GatewayModel("gw-test", clock::get);
        m.addSpan(new SpanDefinition(1, "TE2/0/1", LineType.E1_CRC, LineCoding.HDB3, "pri_cpe",
                e1Bearers()));
        m.addSpan(new SpanDefinition(2, "TE2/0/2", LineType.E1_CRC, LineCoding.HDB3, "pri_net",
                e1Bearers()));
        for (int s = 1; s <= 2; s++) {
            m.setSpanAlarms(s, 0);
            m.setDChannelUp(s, true);
        }
        m.setGatewayState(GatewayState.RUNNING);
        m.counters().attempt(CallDirection.SIP_TO_PSTN);
        m.callStarted(1, 1, ActiveCall.started("c1", CallDirection.SIP_TO_PSTN, "0301234567",
                "1004", "a84b4c76e66710@10.0.0.1", clock.get()));
        m.callUpdated(1, 1, m.snapshot().span(1).channel(1).call().withAnswer(clock.get() + 2000)
                .withRtp(3, 1250));
        m.counters().attempt(CallDirection.PSTN_TO_SIP);
        m.callStarted(2, 5, ActiveCall.started("c2", CallDirection.PSTN_TO_SIP, "4930555",
                "200", "", clock.get()));
        clock.addAndGet(65_000);
        return m;
    }
}
