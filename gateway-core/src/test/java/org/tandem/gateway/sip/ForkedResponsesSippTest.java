package org.tandem.gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.interwork.CallingIdentity;
import org.tandem.gateway.interwork.IdentityMapper;
import org.tandem.gateway.interwork.NumberingPlan;
import org.tandem.gateway.interwork.Presentation;
import org.tandem.gateway.interwork.Reason;
import org.tandem.gateway.interwork.Screening;
import org.tandem.gateway.interwork.SipIdentity;
import org.tandem.gateway.interwork.TypeOfNumber;
import org.tandem.gateway.sdp.Direction;
import org.tandem.gateway.sdp.G711;
import org.tandem.gateway.sdp.MediaPolicy;
import org.tandem.gateway.sdp.OfferAnswer;
import org.tandem.gateway.sdp.SdpOrigin;
import org.tandem.gateway.sdp.SessionDescription;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.gateway.sip.testing.SippRunner.Result;

/** Forked responses to our INVITE (RFC 3261 13.2.2.4) against a sipp UAS acting as a forking proxy. */
class ForkedResponsesSippTest {
    private static final String HOST = SippRunner.LOOPBACK;
    private StandInCallControl cc;
    private SipUserAgent ua;

    @BeforeAll
    static void needSipp() {
        assumeTrue(SippRunner.available(), "sipp not installed");
    }

    private void start() throws Exception {
        cc = new StandInCallControl();
        ua = SipUserAgent.start(SipSettings.defaults(HOST, SippRunner.freePort()), cc.thread, cc);
        cc.sip = ua;
    }

    @AfterEach
    void stop() {
        if (ua != null) {
            ua.close();
        }
        if (cc != null) {
            assertNull(cc.wrongThread, "events must arrive on the call-control thread");
            cc.close();
        }
    }

    @Test
    void shouldKeepBothEarlyDialogsAndTakeTheForkThatAnswers() throws Exception {
        start();
        SippRunner.Sipp uas = SippRunner.scenario(SippRunner.resource("/sip/uas-fork.xml")).start();
        CallHandle call = ua.invite(OutboundInvite.toTrunk(trunk(uas.localPort()), "5551234", identity(), offer()));
        // Both early dialogs are reported; the stack's workers may hand them over in either order.
        SipEvent.Provisional first = cc.next(SipEvent.Provisional.class, 10000);
        SipEvent.Provisional second = cc.next(SipEvent.Provisional.class, 10000);
        SipEvent.Provisional progress = first.status() == 183 ? first : second;
        SipEvent.Provisional ringing = first.status() == 183 ? second : first;
        assertEquals(180, ringing.status());
        assertEquals(183, progress.status());
        assertNotNull(progress.sdp(), "early media of the second early dialog");
        SipEvent.Answered answered = cc.next(SipEvent.Answered.class, 10000);
        assertEquals(call, answered.call());
        ua.hangup(call, Reason.q850(16));
        Result r = uas.await();
        assertTrue(r.succeeded(), r.toString());
        assertEquals(0, ua.activeLegs());
    }

    @Test
    void shouldAckAndByeASecondAnswerFromAnotherFork() throws Exception {
        start();
        SippRunner.Sipp uas = SippRunner.scenario(SippRunner.resource("/sip/uas-fork-two-answers.xml")).start();
        CallHandle call = ua.invite(OutboundInvite.toTrunk(trunk(uas.localPort()), "5551234", identity(), offer()));
        SipEvent.Answered answered = cc.next(SipEvent.Answered.class, 10000);
        assertEquals(call, answered.call());
        // sipp sends fork2's 200 right after our ACK of fork1's; give the gateway time to ACK and
        // BYE it before our BYE of fork1, which the scenario expects last (a wait, not an assert).
        Thread.sleep(1500);
        ua.hangup(call, Reason.q850(16));
        Result r = uas.await();
        assertTrue(r.succeeded(), r.toString());
        assertEquals(0, ua.activeLegs());
        assertTrue(cc.events.stream().noneMatch(e -> e instanceof SipEvent.Answered),
                "one Answered only: " + cc.events);
    }

    private static SipTrunk trunk(int port) {
        return new SipTrunk("forker", HOST, port, "udp", null, null, a -> false);
    }

    static SipIdentity identity() {
        return IdentityMapper.toSip(new CallingIdentity("4930123", "PSTN caller", TypeOfNumber.INTERNATIONAL,
                NumberingPlan.ISDN_E164, Presentation.ALLOWED, Screening.NETWORK_PROVIDED), true);
    }

    static SessionDescription offer() {
        return OfferAnswer.offer(new MediaPolicy(G711.PCMA, true, true, 101, 20, HOST, 20002),
                SdpOrigin.create(HOST), Direction.SENDRECV);
    }
}
