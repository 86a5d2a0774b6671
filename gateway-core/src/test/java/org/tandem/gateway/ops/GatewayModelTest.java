package org.tandem.gateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.tandem.tdm.SpanAlarms;

class GatewayModelTest {
    private final AtomicLong clock = new AtomicLong(TestModels.T0);
    private final GatewayModel model = TestModels.twoSpansWithCalls(clock);

    @Test
    void shouldShowCallsAndDeriveChannelStates() {
        GatewaySnapshot s = model.snapshot();
        assertEquals(2, s.activeCalls().size());
        SpanView span1 = s.span(1);
        assertEquals(30, span1.channels().size());
        assertEquals(ChannelStatus.BUSY, span1.channel(1).status());
        assertEquals(29, span1.count(ChannelStatus.IDLE));
        assertEquals("c2", s.findCall("c2").call().callId());
        assertEquals(65, span1.channel(1).call().durationSeconds(clock.get()));
    }

    @Test
    void shouldKeepAnOldSnapshotUnchangedWhenTheModelMoves() {
        GatewaySnapshot before = model.snapshot();
        model.callEnded(1, 1);
        assertEquals(ChannelStatus.BUSY, before.span(1).channel(1).status());
        assertEquals(ChannelStatus.IDLE, model.snapshot().span(1).channel(1).status());
        assertSame(before.span(2), model.snapshot().span(2), "untouched span is shared");
    }

    @Test
    void aCallsChangeReusesTheOtherChannelsViewsAndAlarmsStillReachEveryChannel() {
        SpanView before = model.snapshot().span(1);
        model.callEnded(1, 1);
        SpanView after = model.snapshot().span(1);
        assertEquals(ChannelStatus.BUSY, before.channel(1).status(), "the old snapshot keeps its call");
        assertEquals(ChannelStatus.IDLE, after.channel(1).status());
        for (int ch = 2; ch <= 30; ch++) {
            assertSame(before.channel(ch), after.channel(ch), "channel " + ch + " untouched: its view shared");
        }
        model.setDChannelUp(1, false);
        assertEquals(30, model.snapshot().span(1).count(ChannelStatus.ALARM), "every channel of a span whose D-channel is down");
        model.setDChannelUp(1, true);
        assertEquals(30, model.snapshot().span(1).count(ChannelStatus.IDLE));
        assertEquals(ChannelStatus.IDLE, after.channel(1).status(), "snapshots stay as published");
    }

    @Test
    void shouldDrainABlockedChannelThenShowItBlocked() {
        model.setChannelBlocked(1, 1, true);
        assertEquals(ChannelStatus.BUSY, model.snapshot().span(1).channel(1).status());
        assertTrue(model.snapshot().span(1).channel(1).blocked());
        model.callEnded(1, 1);
        assertEquals(ChannelStatus.BLOCKED, model.snapshot().span(1).channel(1).status());
    }

    @Test
    void shouldMarkIdleChannelsAlarmedAndTellListenersOnceWhenTheSpanGoesRed() {
        List<OpsEvent> events = new ArrayList<>();
        model.addListener(events::add);
        model.setSpanAlarms(2, SpanAlarms.RED);
        model.setSpanAlarms(2, SpanAlarms.RED);
        assertEquals(1, events.size());
        OpsEvent.SpanAlarmChanged e = (OpsEvent.SpanAlarmChanged) events.get(0);
        assertTrue(e.serviceChanged());
        assertEquals(SpanAlarms.RED, e.snapshot().span(2).alarms(), "event carries its snapshot");
        SpanView span2 = model.snapshot().span(2);
        assertEquals(29, span2.count(ChannelStatus.ALARM));
        assertEquals(ChannelStatus.BUSY, span2.channel(5).status(), "the call is still shown");
        assertFalse(span2.operational());
    }

    @Test
    void shouldCountAsrAndNerPerE411() {
        CallCounters c = new CallCounters();
        c.completed(CallDirection.SIP_TO_PSTN, true, 16);
        c.completed(CallDirection.SIP_TO_PSTN, false, 17);
        c.completed(CallDirection.PSTN_TO_SIP, false, 34);
        c.completed(CallDirection.PSTN_TO_SIP, false, 200);
        assertEquals(2500, c.asrBasisPoints());
        assertEquals(5000, c.nerBasisPoints());
        assertEquals(1, c.failedByCause(127), "out-of-range cause counted as 127");
        assertEquals(2, c.failed(CallDirection.PSTN_TO_SIP));
    }

    @Test
    void shouldRejectUnknownSpansAndChannels() {
        assertThrows(IllegalArgumentException.class, () -> model.setDChannelUp(9, true));
        assertThrows(IllegalArgumentException.class, () -> model.callEnded(1, 16));
    }

    @Test
    void shouldIgnoreAnUpdateForACallThatAlreadyEnded() {
        ActiveCall c1 = model.snapshot().span(1).channel(1).call();
        model.callEnded(1, 1);
        model.callUpdated(1, 1, c1.withRtp(9, 9));
        assertNull(model.snapshot().span(1).channel(1).call());
    }

    @Test
    void shouldParseChannelReferences() {
        assertEquals(new ChannelRef(1, 0), ChannelRef.parse("1"));
        assertEquals(new ChannelRef(2, 17), ChannelRef.parse("2/17"));
        assertThrows(IllegalArgumentException.class, () -> ChannelRef.parse("1/x"));
        assertThrows(IllegalArgumentException.class, () -> ChannelRef.parse("0"));
    }
}
