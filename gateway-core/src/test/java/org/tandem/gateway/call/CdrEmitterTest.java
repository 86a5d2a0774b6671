package org.tandem.gateway.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tandem.config.ChannelGroupConfig.Hunting;
import org.tandem.gateway.cdr.Disposition;
import org.tandem.gateway.ops.CallDirection;
import org.tandem.gateway.sip.CallHandle;

/** The call's one INFO line, at its end: what the setup line said (DEBUG now) and how it ended. */
class CdrEmitterTest {
    @Test
    void theEndedLineSaysWhoCalledWhomOnWhichChannelAndDialogAndHowItEnded() {
        ChannelTable table = new ChannelTable();
        table.addGroup("pstn", Hunting.ASCENDING, List.of(new int[] {2, 7}));
        table.setDChannelUp(2, true);
        Call c = new Call("c12", CallDirection.SIP_TO_PSTN, 1_000);
        c.callingIn = "5551234";
        c.calledIn = "1000";
        c.calledOut = "01000";
        c.sip = new CallHandle(3, "8a2f@10.0.0.1", true);
        c.sipPeer = "load 10.0.0.1:5060";
        c.cause = 16;
        c.releasedBy = "sip";
        c.sipStatus = 200;
        c.answerMillis = 1_500;
        PstnLeg leg = new PstnLeg(c, table.seize("pstn", new Object()), null);
        assertEquals("call c12: 5551234 -> 01000 on 2/7 (8a2f@10.0.0.1 from load 10.0.0.1:5060) ended ANSWERED"
                + " cause 16 by sip, sip 200 (62001 ms, answered)",
                CdrEmitter.endedLine(c, leg, Disposition.ANSWERED, 63_001));
    }

    @Test
    void aCallRefusedBeforeRoutingHasNoChannelAndNoOutgoingNumber() {
        Call c = new Call("c13", CallDirection.PSTN_TO_SIP, 1_000);
        c.callingIn = "0301234567";
        c.calledIn = "999";
        c.cause = 1;
        assertEquals("call c13: 0301234567 -> 999 ended UNROUTABLE cause 1 by -, sip 0 (5 ms)",
                CdrEmitter.endedLine(c, null, Disposition.UNROUTABLE, 1_005));
        c.sipPeer = "trunk 10.0.0.2:5060";
        assertEquals("call c13: 0301234567 -> 999 (to trunk 10.0.0.2:5060) ended UNROUTABLE cause 1 by -, sip 0 (5 ms)",
                CdrEmitter.endedLine(c, null, Disposition.UNROUTABLE, 1_005));
    }
}
