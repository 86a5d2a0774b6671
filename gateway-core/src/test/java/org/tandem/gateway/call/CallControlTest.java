package org.tandem.gateway.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tandem.config.ConfigLoader;
import org.tandem.config.GatewayConfig;
import org.tandem.config.LoadResult;
import org.tandem.gateway.cdr.CallRecord;
import org.tandem.gateway.cdr.Disposition;
import org.tandem.gateway.interwork.Reason;
import org.tandem.gateway.interwork.SipIdentity;
import org.tandem.gateway.media.MediaHandle;
import org.tandem.gateway.media.MediaListener;
import org.tandem.gateway.media.MediaProxy;
import org.tandem.gateway.media.MediaSessionSpec;
import org.tandem.gateway.ops.GatewayModel;
import org.tandem.gateway.rtp.RtpPortAllocator;
import org.tandem.gateway.rtp.RtpPorts;
import org.tandem.gateway.sdp.SessionDescription;
import org.tandem.gateway.sip.CallHandle;
import org.tandem.gateway.sip.OutboundInvite;
import org.tandem.gateway.sip.SipEvent;
import org.tandem.gateway.sip.SipSide;
import org.tandem.jna.libc.LibC;
import org.tandem.jna.libc.Posix;
import org.tandem.pri.FdDChannel;
import org.tandem.pri.OutgoingCall;
import org.tandem.pri.PartyNumber;
import org.tandem.pri.PriCall;
import org.tandem.pri.PriEngine;
import org.tandem.pri.PriEvent;
import org.tandem.pri.PriNode;
import org.tandem.pri.PriSpan;
import org.tandem.pri.PriSpanConfig;
import org.tandem.pri.PriTimer;
import org.tandem.pri.PriCause;
import org.tandem.gateway.pstn.PstnSignalling;
import org.tandem.tdm.SpanType;

/**
 * Call control between a real libpri pair (the gateway's CPE span and a NETWORK span standing in
 * for the exchange, over a SEQPACKET socketpair) and a recording SIP side. The agent runs on the
 * test thread ({@code doWork}) with a clock the test advances, so timers (inter-digit) are exact.
 * Media is not attached here (no call is answered); the end-to-end tests cover audio.
 */
class CallControlTest {
    private final Posix posix = Posix.system();
    private final AtomicLong nowNs = new AtomicLong(1_000_000_000L);
    private final CallControlAgent agent = new CallControlAgent("cc-test", nowNs::get);
    private final RecordingSip sip = new RecordingSip();
    private final List<CallRecord> cdrs = new CopyOnWriteArrayList<>();
    private final List<PriEvent> network = new CopyOnWriteArrayList<>();
    private PriEngine engine;
    private int[] pair;
    private PriSpan exchange;
    private CallControl control;
    private GatewayModel model;
    private RtpPortAllocator ports;

    /** A SipSide that records what call control asks of it. */
    static final class RecordingSip implements SipSide {
        final List<String> commands = new ArrayList<>();
        final List<OutboundInvite> invites = new ArrayList<>();
        private long ids = 1000;

        @Override
        public void progress(CallHandle call, int status, SessionDescription sdp) {
            commands.add("progress " + status);
        }

        @Override
        public void answer(CallHandle call, SessionDescription sdp) {
            commands.add("answer");
        }

        @Override
        public void reject(CallHandle call, int status, Reason reason) {
            commands.add("reject " + status + " " + (reason == null ? "-" : reason.toHeaderValue()));
        }

        @Override
        public void hangup(CallHandle call, Reason reason) {
            commands.add("hangup " + (reason == null ? "-" : reason.toHeaderValue()));
        }

        @Override
        public CallHandle invite(OutboundInvite invite) {
            invites.add(invite);
            commands.add("invite " + invite.calledUser() + " from " + invite.identity().fromUser());
            return new CallHandle(ids++, "out-" + ids + "@test", false);
        }

        @Override
        public void answerReoffer(CallHandle call, SessionDescription answer) {
            commands.add("answerReoffer");
        }

        @Override
        public void rejectReoffer(CallHandle call, int status) {
            commands.add("rejectReoffer " + status);
        }

        @Override
        public void acceptRefer(CallHandle call) {
            commands.add("acceptRefer");
        }

        @Override
        public void rejectRefer(CallHandle call, int status) {
            commands.add("rejectRefer " + status);
        }

        @Override
        public void notifyRefer(CallHandle call, int status) {
            commands.add("notifyRefer " + status);
        }

        @Override
        public void redirect(CallHandle call, java.util.List<org.tandem.gateway.sip.RedirectContact> contacts) {
            commands.add("redirect " + contacts.stream().map(c -> c.uri() + (c.qMillis() < 0 ? "" : ";q=" + c.qMillis()))
                    .toList());
        }
    }

    private void start(String... overrides) throws Exception {
        Path p = Path.of(System.getProperty("user.dir")).resolve("../conf/tandem.ini").normalize();
        if (!Files.exists(p)) {
            p = Path.of("conf/tandem.ini").toAbsolutePath();
        }
        List<String> all = new ArrayList<>(List.of("cdr.dir=/tmp"));
        all.addAll(List.of(overrides));
        LoadResult r = ConfigLoader.load(p, all);
        assertTrue(r.ok(), r::errorReport);
        GatewayConfig config = r.orThrow();
        InetAddress lo = InetAddress.getLoopbackAddress();
        int first = 46_000 + 2 * (int) (ProcessHandle.current().pid() % 1_000);
        ports = new RtpPortAllocator(lo, first, first + 99, 46);
        MediaProxy media = new MediaProxy() {
            @Override
            public RtpPorts allocatePorts() throws IOException {
                return ports.allocate();
            }

            @Override
            public MediaHandle attach(MediaSessionSpec spec, MediaListener listener) {
                throw new AssertionError("no call is answered in these tests");
            }

            @Override
            public int portsInUse() {
                return ports.inUseCount();
            }
        };
        model = new GatewayModel("test", System::currentTimeMillis);
        control = new CallControl(agent, config, media, model, cdrs::add, System::currentTimeMillis,
                CallControl.Settings.defaults("127.0.0.1", 20), () -> Optional.of(config));
        control.setSipSide(sip);

        engine = PriEngine.start("pri-cc-test");
        pair = posix.socketpair(LibC.AF_UNIX, LibC.SOCK_SEQPACKET | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC);
        PriSpanConfig cpe = PstnSignalling.priConfig(config.span(1).orElseThrow(), java.util.Map.of())
                .withRestartOnDChannelUp(false);
        PstnSignalling.Sink sink = control.priSink();
        PriSpan gatewaySpan = engine.addSpan(cpe, new FdDChannel(posix, pair[0], true), () -> 0,
                (s, e) -> agent.execute(() -> sink.onPriEvent(1, s, e)));
        control.addSpan(config.span(1).orElseThrow(), gatewaySpan, null);
        exchange = engine.addSpan(PriSpanConfig.defaults("net", PriNode.NETWORK, SpanType.E1)
                .withTimer(PriTimer.T303, 2_000).withOverlapDial(true), new FdDChannel(posix, pair[1], true), () -> 0,
                (s, e) -> {
                    network.add(e);
                    if (e instanceof PriEvent.DisconnectRequested d) {
                        d.call().hangup(d.cause()); // as an exchange does: RELEASE
                    }
                });
        assertTrue(pump(() -> network.stream().anyMatch(e -> e instanceof PriEvent.DChannelUp)
                && control.allSpansUp().getNow(false) == Boolean.FALSE), "link up");
        // span 2 of the shipped config has no D-channel here: only span 1 is usable
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        if (pair != null) {
            posix.closeQuietly(pair[0]);
            posix.closeQuietly(pair[1]);
        }
    }

    /** Runs the agent on this thread until the condition holds (at most 5 s). */
    private boolean pump(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() - deadline < 0) {
            agent.doWork();
            if (done.getAsBoolean()) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    private int busyChannels() {
        var f = control.busyChannels();
        agent.doWork();
        return f.getNow(-1);
    }

    private <T extends PriEvent> T networkEvent(Class<T> type) {
        for (PriEvent e : network) {
            if (type.isInstance(e)) {
                return type.cast(e);
            }
        }
        return null;
    }

    private static SipEvent.IncomingCall invite(long id, String called, String trunk, SessionDescription offer) {
        return new SipEvent.IncomingCall(new CallHandle(id, "in-" + id + "@test", true), called,
                new SipIdentity("5551234", null, null, null, false), offer,
                new InetSocketAddress("127.0.0.1", 5062), "udp", trunk, null);
    }

    private static SessionDescription offer() throws Exception {
        return SessionDescription.parse("v=0\r\no=a 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 40000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n");
    }

    @Test
    void shouldCollectOverlapDigitsUntilMinDigitsThenInviteAndMapA486ToCause17() throws Exception {
        start("group.pstn.min_digits=4");
        exchange.setup(new OutgoingCall(3, PartyNumber.of("12"), PartyNumber.of("5550100"), null, false));
        assertTrue(pump(() -> networkEvent(PriEvent.SetupAcknowledged.class) != null),
                "SETUP ACKNOWLEDGE: the gateway asks for more digits");
        assertTrue(sip.invites.isEmpty(), "no INVITE with 2 of 4 digits");
        PriCall call = networkEvent(PriEvent.SetupAcknowledged.class).call();
        call.sendDigits("34");
        assertTrue(pump(() -> !sip.invites.isEmpty()), "INVITE once 4 digits are in");
        assertEquals("1234", sip.invites.get(0).calledUser());
        assertEquals("5550100", sip.invites.get(0).identity().fromUser());
        assertTrue(pump(() -> networkEvent(PriEvent.Proceeding.class) != null), "CALL PROCEEDING while SIP works");

        control.onSipEvent(new SipEvent.Rejected(new CallHandle(1000, "x", false), 486, null));
        assertTrue(pump(() -> networkEvent(PriEvent.DisconnectRequested.class) != null));
        assertTrue(pump(() -> cdrs.size() == 1), "call ended once the PRI leg is released");
        assertEquals(PriCause.USER_BUSY, networkEvent(PriEvent.DisconnectRequested.class).cause(),
                "RFC 3398: 486 -> cause 17");
        CallRecord r = cdrs.get(0);
        assertEquals(Disposition.BUSY, r.disposition());
        assertEquals(486, r.sipStatus());
        assertEquals(17, r.q850Cause());
        assertEquals("12", r.calledIn().substring(0, 2));
        assertEquals("1234", r.calledOut());
        assertEquals(0, ports.inUseCount(), "RTP ports returned");
        assertTrue(pump(() -> busyChannels() == 0), "B-channel idle");
    }

    @Test
    void shouldRouteOverlapDigitsOnTheInterdigitTimeoutWhenNoMinimumIsSet() throws Exception {
        start("group.pstn.interdigit_timeout_ms=3000");
        exchange.setup(new OutgoingCall(4, PartyNumber.of("12"), PartyNumber.of("5550100"), null, false));
        assertTrue(pump(() -> networkEvent(PriEvent.SetupAcknowledged.class) != null));
        networkEvent(PriEvent.SetupAcknowledged.class).call().sendDigits("3");
        assertTrue(pump(() -> networkEvent(PriEvent.SetupAcknowledged.class) != null)); // digit delivered below
        Thread.sleep(200);
        agent.doWork();
        nowNs.addAndGet(TimeUnit.MILLISECONDS.toNanos(2_999));
        agent.doWork();
        assertTrue(sip.invites.isEmpty(), "still collecting before the timeout");
        nowNs.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertTrue(pump(() -> !sip.invites.isEmpty()), "routed on the inter-digit timeout");
        assertEquals("123", sip.invites.get(0).calledUser());

        control.onSipEvent(new SipEvent.Rejected(new CallHandle(1000, "x", false), 404,
                Reason.q850(1)));
        assertTrue(pump(() -> networkEvent(PriEvent.CallReleased.class) != null), network::toString);
        assertEquals(1, networkEvent(PriEvent.CallReleased.class).cause(),
                "the network hears the real cause (libpri clears it with RELEASE COMPLETE 1; PriSpan reports it)");
        assertTrue(pump(() -> cdrs.size() == 1));
        assertEquals(1, cdrs.get(0).q850Cause(), "the Reason header's Q.850 cause wins over the status mapping");
        assertTrue(pump(() -> busyChannels() == 0), "B-channel idle: the release was reported by libpri");
    }

    @Test
    void shouldCarrySipRefusalCausesOfThePstnBackInTheRejectWithAReason() throws Exception {
        start();
        control.onSipEvent(invite(1, "1486", "local", offer()));
        assertTrue(pump(() -> networkEvent(PriEvent.IncomingCall.class) != null), "SETUP reached the network");
        PriEvent.IncomingCall ring = networkEvent(PriEvent.IncomingCall.class);
        assertEquals("1486", ring.called().digits());
        assertEquals("5551234", ring.calling().digits());
        ring.call().proceeding(false);
        ring.call().hangup(PriCause.USER_BUSY);
        assertTrue(pump(() -> cdrs.size() == 1));
        assertTrue(sip.commands.contains("reject 486 Q.850;cause=17;text=\"User busy\""), sip.commands::toString);
        assertEquals(Disposition.BUSY, cdrs.get(0).disposition());
        assertEquals(0, ports.inUseCount());
    }

    @Test
    void shouldRefuseAnInviteFromNeitherATrustedTrunkNorAnAuthenticatedUserWith403() throws Exception {
        start();
        control.onSipEvent(invite(2, "1004", null, offer()));
        assertTrue(pump(() -> cdrs.size() == 1));
        assertTrue(sip.commands.get(0).startsWith("reject 403"), sip.commands::toString);
        assertEquals(Disposition.REJECTED, cdrs.get(0).disposition());
        assertEquals(null, networkEvent(PriEvent.IncomingCall.class), "nothing reached the PSTN");
    }

    @Test
    void shouldRefuseAnUnroutableNumberWith404AndCause3() throws Exception {
        start();
        control.onSipEvent(invite(3, "alice", "local", offer()));
        assertTrue(pump(() -> cdrs.size() == 1));
        assertTrue(sip.commands.get(0).startsWith("reject 404 Q.850;cause=3"), sip.commands::toString);
        assertEquals(Disposition.UNROUTABLE, cdrs.get(0).disposition());
    }

    @Test
    void shouldRefuseNewCallsWith503WhileDraining() throws Exception {
        start();
        control.drain(41);
        control.onSipEvent(invite(4, "1004", "local", offer()));
        assertTrue(pump(() -> cdrs.size() == 1));
        assertTrue(sip.commands.get(0).startsWith("reject 503 Q.850;cause=41"), sip.commands::toString);
    }

    @Test
    void shouldRefuseAnOfferWithoutG711With488() throws Exception {
        start();
        SessionDescription g729 = SessionDescription.parse("v=0\r\no=a 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
                + "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n");
        control.onSipEvent(invite(5, "1004", "local", g729));
        assertTrue(pump(() -> cdrs.size() == 1));
        assertTrue(sip.commands.get(0).startsWith("reject 488"), sip.commands::toString);
        assertEquals(0, ports.inUseCount(), "the RTP ports of the refused call are returned");
    }

    @Test
    void shouldCancelTheInviteWhenThePstnCallerGivesUpAndNeverFailOver() throws Exception {
        start();
        exchange.setup(OutgoingCall.to("200", "5550100", 7));
        assertTrue(pump(() -> !sip.invites.isEmpty()), "INVITE to the trunk");
        PriEvent.Proceeding p = null;
        assertTrue(pump(() -> networkEvent(PriEvent.Proceeding.class) != null));
        networkEvent(PriEvent.Proceeding.class).call().hangup(PriCause.NORMAL_CLEARING);
        assertTrue(pump(() -> cdrs.size() == 1), "call ended");
        assertTrue(sip.commands.contains("hangup Q.850;cause=16;text=\"Normal call clearing\""), sip.commands::toString);
        assertEquals(1, sip.invites.size(), "no failover for a caller who hung up");
        assertEquals(Disposition.CANCELLED, cdrs.get(0).disposition());
        assertEquals("pstn", cdrs.get(0).releasedBy());
        assertTrue(pump(() -> busyChannels() == 0));
        assertEquals(0, ports.inUseCount());
    }

    @Test
    void shouldHuntAnotherChannelWhenTheNetworkRefusesOursWithCause44() throws Exception {
        start();
        control.onSipEvent(invite(7, "1004", "local", offer()));
        assertTrue(pump(() -> networkEvent(PriEvent.IncomingCall.class) != null));
        PriEvent.IncomingCall first = networkEvent(PriEvent.IncomingCall.class);
        assertEquals(1, first.channel(), "ascending hunt");
        // As after glare: the network keeps channel 1 for its own call and refuses ours.
        first.call().hangup(44);
        assertTrue(pump(() -> network.stream().filter(e -> e instanceof PriEvent.IncomingCall).count() == 2),
                "a second SETUP on another channel");
        PriEvent.IncomingCall second = (PriEvent.IncomingCall) network.stream()
                .filter(e -> e instanceof PriEvent.IncomingCall).skip(1).findFirst().orElseThrow();
        assertEquals(2, second.channel());
        assertTrue(cdrs.isEmpty(), "the call goes on");
        assertTrue(sip.commands.isEmpty(), "the SIP caller noticed nothing: " + sip.commands);
        second.call().hangup(PriCause.USER_BUSY);
        assertTrue(pump(() -> cdrs.size() == 1));
        assertEquals(2, cdrs.get(0).channel());
        assertEquals(Disposition.BUSY, cdrs.get(0).disposition());
        assertTrue(pump(() -> busyChannels() == 0));
    }

    @Test
    void shouldSendTheAssertedIdentityRestrictedWhenATrustedCallerAsksForPrivacy() throws Exception {
        start();
        SipEvent.IncomingCall withheld = new SipEvent.IncomingCall(new CallHandle(8, "in-8@test", true), "1004",
                new SipIdentity("anonymous", "Anonymous", "+4930123456", null, true), offer(),
                new InetSocketAddress("127.0.0.1", 5062), "udp", "local", null);
        control.onSipEvent(withheld);
        assertTrue(pump(() -> networkEvent(PriEvent.IncomingCall.class) != null));
        PartyNumber calling = networkEvent(PriEvent.IncomingCall.class).calling();
        assertEquals("4930123456", calling.digits(), "RFC 3325: the PAI of a trusted peer is the number");
        assertEquals(1, calling.ton(), "a + makes it international");
        assertTrue(calling.presentationRestricted(), "Privacy: id -> presentation restricted");
        networkEvent(PriEvent.IncomingCall.class).call().hangup(PriCause.NORMAL_CLEARING);
        assertTrue(pump(() -> cdrs.size() == 1));
    }

    @Test
    void shouldGiveUpOnACallRingingLongerThanTheLimitWith480AndCause19() throws Exception {
        start();
        control.onSipEvent(invite(9, "1480", "local", offer()));
        assertTrue(pump(() -> networkEvent(PriEvent.IncomingCall.class) != null), "SETUP reached the network");
        PriCall ringing = networkEvent(PriEvent.IncomingCall.class).call();
        ringing.proceeding(false);
        ringing.alerting(false);
        assertTrue(pump(() -> sip.commands.contains("progress 180")), sip.commands::toString);
        nowNs.addAndGet(TimeUnit.MILLISECONDS.toNanos(CallControl.Settings.DEFAULT_NO_ANSWER_MS - 1));
        agent.doWork();
        assertTrue(sip.commands.stream().noneMatch(c -> c.startsWith("reject")), "still ringing: " + sip.commands);
        nowNs.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertTrue(pump(() -> cdrs.size() == 1), "released on the ringing limit");
        assertTrue(sip.commands.contains("reject 480 Q.850;cause=19;text=\"No answer from user (user alerted)\""),
                sip.commands::toString);
        assertEquals(PriCause.NO_ANSWER, networkEvent(PriEvent.DisconnectRequested.class).cause(), "DISCONNECT 19");
        assertEquals(Disposition.NO_ANSWER, cdrs.get(0).disposition());
        assertEquals("gateway", cdrs.get(0).releasedBy());
        assertEquals(0, ports.inUseCount(), "RTP ports returned");
        assertTrue(pump(() -> busyChannels() == 0), "B-channel idle");
    }

    @Test
    void shouldCancelAPstnCallTheSipSideLetsRingLongerThanTheLimitWithCause19() throws Exception {
        start();
        exchange.setup(new OutgoingCall(5, PartyNumber.of("200"), PartyNumber.of("5550100"), null, true));
        assertTrue(pump(() -> !sip.invites.isEmpty()), "INVITE to the trunk");
        control.onSipEvent(new SipEvent.Provisional(new CallHandle(1000, "x", false), 180, null));
        assertTrue(pump(() -> networkEvent(PriEvent.Alerting.class) != null), "ALERTING to the network");
        nowNs.addAndGet(TimeUnit.MILLISECONDS.toNanos(CallControl.Settings.DEFAULT_NO_ANSWER_MS));
        assertTrue(pump(() -> cdrs.size() == 1), "released on the ringing limit: " + sip.commands);
        assertTrue(sip.commands.contains("hangup Q.850;cause=19;text=\"No answer from user (user alerted)\""),
                sip.commands::toString);
        assertEquals(PriCause.NO_ANSWER, networkEvent(PriEvent.DisconnectRequested.class).cause(), "DISCONNECT 19");
        assertEquals(Disposition.NO_ANSWER, cdrs.get(0).disposition());
        assertTrue(pump(() -> busyChannels() == 0), "B-channel idle");
    }
}
