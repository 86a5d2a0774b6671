package org.tandem.gateway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.interwork.CallingIdentity;
import org.tandem.gateway.interwork.IdentityMapper;
import org.tandem.gateway.interwork.NumberingPlan;
import org.tandem.gateway.interwork.Presentation;
import org.tandem.gateway.interwork.Reason;
import org.tandem.gateway.interwork.Screening;
import org.tandem.gateway.interwork.TypeOfNumber;
import org.tandem.gateway.sdp.Direction;
import org.tandem.gateway.sdp.G711;
import org.tandem.gateway.sdp.MediaPolicy;
import org.tandem.gateway.sdp.OfferAnswer;
import org.tandem.gateway.sdp.SdpOrigin;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.gateway.sip.testing.SippRunner.Result;

/**
 * {@code [trunk] prack} against sipp, with the stand-in call control: {@code off} refuses an
 * INVITE requiring 100rel (420, Unsupported: 100rel); {@code required} sends our 180 reliably to
 * an INVITE that only supports it, and puts Require: 100rel on our INVITEs, whose reliable 180 we
 * PRACK; with a forking proxy, each fork's reliable 18x gets its PRACK in that fork's dialog.
 * (The default, {@code supported}, is also tested through the gateway in PrackEndToEndTest.)
 */
class PrackSippTest {
    private static final String HOST = SippRunner.LOOPBACK;
    private StandInCallControl cc;
    private SipUserAgent ua;
    private int port;

    @BeforeAll
    static void needSipp() {
        assumeTrue(SippRunner.available(), "sipp not installed");
    }

    /** A user agent whose one trunk, trusted for loopback sources, has this PRACK policy. */
    private void start(PrackPolicy prack, int trunkPort) throws Exception {
        port = SippRunner.freePort();
        SipTrunk trunk = trunk(prack, trunkPort);
        cc = new StandInCallControl();
        ua = SipUserAgent.start(SipSettings.defaults(HOST, port).withTrustLoopback(false).withTrunks(List.of(trunk)),
                cc.thread, cc);
        cc.sip = ua;
    }

    private static SipTrunk trunk(PrackPolicy prack, int trunkPort) {
        return new SipTrunk("carrier", HOST, trunkPort, "udp", null, null, InetAddress::isLoopbackAddress,
                RedirectPolicy.FOLLOW, SipTrunk.DEFAULT_MAX_REDIRECTS, prack);
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
    void shouldRefuseAnInviteRequiring100relFromATrunkWithPrackOff() throws Exception {
        start(PrackPolicy.OFF, 5060);
        Result r = SippRunner.scenario(SippRunner.resource("/sip/prack-refused.xml")).to(HOST, port).run();
        assertTrue(r.succeeded(), r.toString());
        assertEquals(0, ua.activeLegs(), "no call started");
        assertTrue(cc.events.isEmpty(), "call control saw nothing: " + cc.events);
    }

    @Test
    void shouldSendA180ReliablyToAnInviteThatOnlySupports100relOnARequiredTrunk() throws Exception {
        start(PrackPolicy.REQUIRED, 5060);
        Result r = SippRunner.scenario(SippRunner.resource("/sip/prack-supported.xml")).to(HOST, port).run();
        assertTrue(r.succeeded(), r.toString());
        cc.next(SipEvent.Cancelled.class, 5000);
        assertEquals(0, ua.activeLegs());
    }

    @Test
    void shouldRequire100relOnOurInviteAndPrackTheTrunksReliable180() throws Exception {
        SippRunner.Sipp uas = SippRunner.scenario(SippRunner.resource("/sip/uas-require-100rel.xml")).start();
        start(PrackPolicy.REQUIRED, uas.localPort());
        CallHandle call = ua.invite(OutboundInvite.toTrunk(trunk(PrackPolicy.REQUIRED, uas.localPort()), "5551234",
                identity(), offer()));
        SipEvent.Provisional ringing = cc.next(SipEvent.Provisional.class, 10000);
        assertEquals(180, ringing.status());
        cc.next(SipEvent.Answered.class, 10000);
        ua.hangup(call, Reason.q850(16));
        Result r = uas.await();
        assertTrue(r.succeeded(), r.toString());
        assertEquals(0, ua.activeLegs());
    }

    @Test
    void shouldRetryWithoutRequire100relWhenTheTrunkAnswers420() throws Exception {
        SippRunner.Sipp uas = SippRunner.scenario(SippRunner.resource("/sip/uas-420-100rel.xml")).start();
        start(PrackPolicy.REQUIRED, uas.localPort());
        CallHandle call = ua.invite(OutboundInvite.toTrunk(trunk(PrackPolicy.REQUIRED, uas.localPort()), "5551234",
                identity(), offer()));
        cc.next(SipEvent.Answered.class, 10000);
        ua.hangup(call, Reason.q850(16));
        Result r = uas.await();
        assertTrue(r.succeeded(), r.toString());
        assertEquals(0, ua.activeLegs());
    }

    @Test
    void shouldSendOneReliable18xAtATime() throws Exception {
        start(PrackPolicy.SUPPORTED, 5060);
        Result r = SippRunner.scenario(SippRunner.resource("/sip/prack-in-turn.xml")).to(HOST, port).run();
        assertTrue(r.succeeded(), r.toString());
        cc.next(SipEvent.Cancelled.class, 5000);
        assertEquals(0, ua.activeLegs());
    }

    @Test
    void shouldHoldThe200ForThePrackAndLeaveOutTheAnswerGivenInTheReliable183() throws Exception {
        start(PrackPolicy.SUPPORTED, 5060);
        Result r = SippRunner.scenario(SippRunner.resource("/sip/prack-answer.xml")).to(HOST, port).run();
        assertTrue(r.succeeded(), r.toString());
        cc.next(SipEvent.Acked.class, 5000);
        cc.next(SipEvent.RemoteHangup.class, 5000);
        assertEquals(0, ua.activeLegs());
    }

    @Test
    void shouldDoTheSameOverTcp() throws Exception {
        start(PrackPolicy.SUPPORTED, 5060);
        Result r = SippRunner.scenario(SippRunner.resource("/sip/prack-answer.xml")).to(HOST, port)
                .option("-t", "t1").run();
        assertTrue(r.succeeded(), r.toString());
        assertEquals("tcp", cc.next(SipEvent.IncomingCall.class, 5000).transport());
        cc.next(SipEvent.RemoteHangup.class, 5000);
        assertEquals(0, ua.activeLegs());
    }

    @Test
    void shouldPrackEachForksReliable18xInItsOwnDialogOnce() throws Exception {
        Path trace = Files.createTempFile("tandem-prack-forks", ".log");
        try {
            SippRunner.Sipp uas = SippRunner.scenario(SippRunner.resource("/sip/uas-fork-reliable.xml"))
                    .option("-trace_msg", "-message_file", trace.toString()).start();
            start(PrackPolicy.SUPPORTED, uas.localPort());
            CallHandle call = ua.invite(OutboundInvite.toTrunk(trunk(PrackPolicy.SUPPORTED, uas.localPort()),
                    "5551234", identity(), offer()));
            cc.next(SipEvent.Answered.class, 10000);
            ua.hangup(call, Reason.q850(16));
            Result r = uas.await();
            assertTrue(r.succeeded(), r.toString());
            List<String> pracks = new ArrayList<>();
            for (String m : Files.readString(trace, StandardCharsets.ISO_8859_1).split("message received \\[\\d+\\] bytes :")) {
                String msg = m.stripLeading();
                int end = msg.indexOf("message sent");
                if (msg.startsWith("PRACK ")) {
                    pracks.add(end > 0 ? msg.substring(0, end) : msg);
                }
            }
            assertEquals(2, pracks.size(), "one PRACK per fork's reliable 18x, none for the repeat: " + pracks);
            for (String fork : List.of("fork1", "fork2")) {
                String rack = fork.equals("fork1") ? "10 1 INVITE" : "20 1 INVITE";
                assertTrue(pracks.stream().anyMatch(p -> p.startsWith("PRACK sip:" + fork + "@")
                        && Pattern.compile("(?mi)^To:.*tag=" + fork).matcher(p).find()
                        && Pattern.compile("(?mi)^RAck: *" + rack).matcher(p).find()),
                        "a PRACK to " + fork + "'s Contact, in its dialog, with RAck " + rack + ": " + pracks);
            }
            assertEquals(0, ua.activeLegs());
        } finally {
            Files.deleteIfExists(trace);
        }
    }

    private static org.tandem.gateway.interwork.SipIdentity identity() {
        return IdentityMapper.toSip(new CallingIdentity("4930123", "PSTN caller", TypeOfNumber.INTERNATIONAL,
                NumberingPlan.ISDN_E164, Presentation.ALLOWED, Screening.NETWORK_PROVIDED), true);
    }

    private static org.tandem.gateway.sdp.SessionDescription offer() {
        return OfferAnswer.offer(new MediaPolicy(G711.PCMA, true, true, 101, 20, HOST, 20002),
                SdpOrigin.create(HOST), Direction.SENDRECV);
    }
}
