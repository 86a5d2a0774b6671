package org.tandem.gateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OverloadDetectorTest {
    private final GatewayModel model = TestModels.twoSpansWithCalls(new AtomicLong(TestModels.T0));
    private final List<OpsEvent.OverloadChanged> events = new ArrayList<>();

    OverloadDetectorTest() {
        model.addListener(e -> {
            if (e instanceof OpsEvent.OverloadChanged o) {
                events.add(o);
            }
        });
    }

    @Test
    void shouldStartOverloadAtTheThirdConsecutiveRefusalAndAnnounceItOnce() {
        OverloadDetector d = model.overload();
        d.refused("B-channels of group pstn");
        d.refused("B-channels of group pstn");
        assertFalse(model.snapshot().overloaded());
        d.refused("B-channels of group pstn");
        d.refused("B-channels of group pstn");
        assertTrue(model.snapshot().overloaded());
        assertEquals("B-channels of group pstn exhausted (3 consecutive calls refused)",
                model.snapshot().overloadReason());
        assertEquals(1, events.size(), "one tgOverloadBegin however long it lasts");
        assertEquals(1, model.counters().rejectedOverload(), "the refusal after it began");
    }

    @Test
    void shouldNotCountRefusalsInterruptedByAnAdmission() {
        OverloadDetector d = model.overload();
        d.refused("RTP ports");
        d.refused("RTP ports");
        d.admitted("RTP ports");
        d.refused("RTP ports");
        d.refused("RTP ports");
        assertFalse(model.snapshot().overloaded());
        assertTrue(events.isEmpty());
    }

    @Test
    void shouldEndOverloadOnlyWhenEveryExhaustedResourceAdmitsAgain() {
        OverloadDetector d = model.overload();
        for (int i = 0; i < OverloadDetector.THRESHOLD; i++) {
            d.refused("RTP ports");
            d.refused("B-channels of group pstn");
        }
        assertTrue(model.snapshot().overloaded());
        d.admitted("RTP ports");
        assertTrue(model.snapshot().overloaded());
        assertEquals("B-channels of group pstn exhausted (3 consecutive calls refused)",
                model.snapshot().overloadReason());
        d.admitted("B-channels of group pstn");
        assertFalse(model.snapshot().overloaded());
        assertFalse(events.get(events.size() - 1).overloaded(), "tgOverloadEnd");
    }
}
