package org.tandem.simexchange;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tandem.codecs.g711.CompandingLaw;
import org.tandem.pri.ChannelId;
import org.tandem.pri.OutgoingCall;
import org.tandem.pri.PriCall;
import org.tandem.pri.PriCause;
import org.tandem.pri.PriEngine;
import org.tandem.pri.PriEvent;
import org.tandem.pri.PriEvent.ReleaseReason;
import org.tandem.pri.PriNode;
import org.tandem.pri.PriSpan;
import org.tandem.pri.PriSpanConfig;
import org.tandem.pri.PriTimer;
import org.tandem.tdm.SpanAlarms;
import org.tandem.tdm.SpanType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's CPE libpri against the simulated exchange's NETWORK libpri over the simulated
 * card: signalling through the card's D-channel relay, audio through its clocked B-channels.
 */
class SimExchangeTest {
    private PriEngine engine;
    private SimPstn pstn;
    private SimExchange exchange;
    private PriSpan gateway;
    private final Recorder gw = new Recorder(true);
    private final Recorder ex = new Recorder(false);

    void start(SpanType type) throws InterruptedException {
        start(type, PriSpanConfig.defaults("gw/span1", PriNode.CPE, type));
    }

    void start(SpanType type, PriSpanConfig gatewayConfig) throws InterruptedException {
        engine = PriEngine.start("pri-test");
        ExchangeConfig xc = ExchangeConfig.defaults(type)
            .withTimer(PriTimer.T200, 300).withTimer(PriTimer.T203, 1000).withTimer(PriTimer.T309, 500);
        pstn = SimPstn.start(engine, type, 1, xc);
        exchange = pstn.exchange(1);
        exchange.addObserver(ex);
        // T316 on: RESTARTs sent while both sides re-establish layer 2 at once can be lost (libpri
        // answers the late SABME by resetting the link and dropping its I-frames) and are sent again.
        PriSpanConfig cfg = gatewayConfig
            .withTimer(PriTimer.T200, 300).withTimer(PriTimer.T203, 1000).withTimer(PriTimer.T309, 500)
            .withTimer(PriTimer.T316, 1000);
        gateway = engine.addSpan(cfg, pstn.span(1), gw);
        gw.await(PriEvent.DChannelUp.class);
        ex.await(PriEvent.DChannelUp.class);
    }

    @BeforeEach
    void startE1() throws InterruptedException {
        start(SpanType.E1);
    }

    @AfterEach
    void stop() {
        engine.close();
        pstn.close();
    }

    private void awaitRestarts() throws InterruptedException {
        for (int ts : SimPstn.bChannels(pstn.type())) {
            gw.await(PriEvent.RestartAcknowledged.class, r -> r.channel() == ts);
        }
    }

    private PriCall callAndAnswer(String number, int ch) throws InterruptedException {
        PriCall call = gateway.setup(OutgoingCall.to(number, "5551234", ch));
        gw.await(PriEvent.Proceeding.class, p -> p.call() == call);
        gw.await(PriEvent.Answered.class, a -> a.call() == call);
        return call;
    }

    @Test
    void shouldRestartEveryBChannelWhenTheDChannelComesUp() throws InterruptedException {
        awaitRestarts();
        for (int ts : SimPstn.bChannels(SpanType.E1)) {
            ex.await(PriEvent.ChannelRestarted.class, r -> r.channel() == ts);
        }
    }

    @Test
    void shouldAnswerTheMilliwattLineWith1004HzAtZeroDbm0() throws InterruptedException {
        awaitRestarts();
        PriCall call = gateway.setup(OutgoingCall.to("1004", "5551234", 1));
        gw.await(PriEvent.Proceeding.class);
        gw.await(PriEvent.Alerting.class);
        gw.await(PriEvent.Answered.class);
        BChannelIo io = new BChannelIo(pstn.span(1).bChannel(1));
        io.drain();
        io.readBlock();
        short[] pcm = new short[1600];
        for (int b = 0; b < 10; b++) {
            byte[] block = io.readBlock();
            CompandingLaw.ALAW.decode(block, 0, pcm, b * 160, 160);
        }
        double level = CompandingLaw.ALAW.dbm0ForRms(rms(pcm));
        assertEquals(0.0, level, 0.3, "milliwatt level in dBm0");
        double at1004 = goertzel(pcm, 1004);
        assertTrue(at1004 > 100 * goertzel(pcm, 800) && at1004 > 100 * goertzel(pcm, 1300),
            "energy concentrated at 1004 Hz");

        call.hangup(PriCause.NORMAL_CLEARING);
        PriEvent.CallReleased r = gw.await(PriEvent.CallReleased.class);
        assertEquals(PriCause.NORMAL_CLEARING, r.cause());
        assertEquals(ReleaseReason.LOCAL, r.reason());
        PriEvent.CallReleased exr = ex.await(PriEvent.CallReleased.class);
        assertEquals(PriCause.NORMAL_CLEARING, exr.cause());
        assertEquals(ReleaseReason.REMOTE, exr.reason());
        assertEquals(ChannelMode.IDLE, exchange.channelMode(1));
    }

    @Test
    void shouldReturnAudioUnchangedOnTheLoopAroundLine() throws InterruptedException {
        awaitRestarts();
        callAndAnswer("1000", 7);
        BChannelIo io = new BChannelIo(pstn.span(1).bChannel(7));
        io.drain();
        List<byte[]> sent = new ArrayList<>();
        List<byte[]> received = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            byte[] block = new byte[160];
            for (int j = 0; j < block.length; j++) {
                block[j] = (byte) (i * 31 + j * 7 + 1);
            }
            received.add(io.readBlock());
            io.writeBlock(block);
            sent.add(block);
        }
        for (int i = 0; i < 8; i++) {
            received.add(io.readBlock());
        }
        int first = -1;
        for (int i = 0; i < received.size() && first < 0; i++) {
            if (Arrays.equals(received.get(i), sent.get(0))) {
                first = i;
            }
        }
        assertTrue(first >= 0, "the first block sent never came back");
        int compared = 0;
        for (int k = 0; k < sent.size() && first + k < received.size(); k++) {
            assertArrayEquals(sent.get(k), received.get(first + k), "block " + k + " came back altered");
            compared++;
        }
        assertTrue(compared >= 20, "compared " + compared + " blocks");
    }

    @Test
    void shouldReportBusyWithInbandToneAndCause17() throws InterruptedException {
        PriCall call = gateway.setup(OutgoingCall.to("1486", "5551234", 2));
        gw.await(PriEvent.Proceeding.class);
        assertTrue(gw.await(PriEvent.Progress.class).inbandAvailable());
        assertEquals(PriCause.USER_BUSY, gw.await(PriEvent.DisconnectRequested.class).cause());
        PriEvent.CallReleased r = gw.await(PriEvent.CallReleased.class, e -> e.call() == call);
        assertEquals(PriCause.USER_BUSY, r.cause());
        ex.await(PriEvent.CallReleased.class);
    }

    @Test
    void shouldRejectUnallocatedAndCongestedNumbersWithTheirCauses() throws InterruptedException {
        PriCall unallocated = gateway.setup(OutgoingCall.to("1404", "5551234", 3));
        PriEvent.CallReleased r1 = gw.await(PriEvent.CallReleased.class, e -> e.call() == unallocated);
        assertEquals(PriCause.UNALLOCATED, r1.cause());
        assertEquals(ReleaseReason.REMOTE, r1.reason());
        PriCall congested = gateway.setup(OutgoingCall.to("1503", "5551234", 3));
        PriEvent.CallReleased r2 = gw.await(PriEvent.CallReleased.class, e -> e.call() == congested);
        assertEquals(PriCause.NORMAL_CIRCUIT_CONGESTION, r2.cause());
        PriCall unknown = gateway.setup(OutgoingCall.to("99", "5551234", 3));
        assertEquals(PriCause.UNALLOCATED, gw.await(PriEvent.CallReleased.class, e -> e.call() == unknown).cause());
    }

    @Test
    void shouldRingWithInbandRingbackAndNeverAnswerOnTheNoAnswerLine() throws InterruptedException {
        PriCall call = gateway.setup(OutgoingCall.to("1480", "5551234", 4));
        gw.await(PriEvent.Proceeding.class);
        assertTrue(gw.await(PriEvent.Alerting.class).inbandAvailable());
        assertEquals(ChannelMode.RINGBACK, exchange.channelMode(4));
        BChannelIo io = new BChannelIo(pstn.span(1).bChannel(4));
        io.drain();
        short[] pcm = new short[160];
        CompandingLaw.ALAW.decode(io.readBlock(), 0, pcm, 0, 160);
        assertTrue(goertzel(pcm, 425) > 100 * goertzel(pcm, 1000), "ETSI ringback is 425 Hz");
        call.hangup(PriCause.NORMAL_CLEARING);
        assertEquals(PriCause.NORMAL_CLEARING, gw.await(PriEvent.CallReleased.class).cause());
        assertEquals(PriCause.NORMAL_CLEARING, ex.await(PriEvent.CallReleased.class).cause());
        assertFalse(gw.seenAnswered());
    }

    @Test
    void shouldReleaseWithCause18WhenT303ExpiresAndLeaveNoCallAtTheExchange() throws InterruptedException {
        stop();
        start(SpanType.E1, PriSpanConfig.defaults("gw/span1", PriNode.CPE, SpanType.E1).withTimer(PriTimer.T303, 300));
        awaitRestarts();
        PriCall call = gateway.setup(OutgoingCall.to("1408", "5551234", 8));
        PriEvent.CallReleased r = gw.await(PriEvent.CallReleased.class, e -> e.call() == call);
        assertEquals(PriCause.NO_USER_RESPONSE, r.cause());
        assertEquals(ReleaseReason.REMOTE, r.reason());
        // The SETUP and its retransmission at T303 both reached the exchange, which kept neither.
        for (int i = 0; i < 2; i++) {
            PriEvent.IncomingCall ring = ex.await(PriEvent.IncomingCall.class);
            assertEquals("1408", ring.called().digits());
            assertEquals(8, ring.channel());
            ex.await(PriEvent.CallReleased.class, e -> e.call() == ring.call());
        }
        // A call kept at the exchange would hold channel 8 and refuse this one with cause 44.
        PriCall next = callAndAnswer("1000", 8);
        next.hangup(PriCause.NORMAL_CLEARING);
        assertEquals(PriCause.NORMAL_CLEARING, gw.await(PriEvent.CallReleased.class, e -> e.call() == next).cause());
    }

    @Test
    void shouldDeliverACallFromTheExchangeAndClearItFromTheExchange() throws InterruptedException {
        awaitRestarts();
        PriCall out = exchange.originate("0301234567", "200", 9);
        PriEvent.IncomingCall ring = gw.await(PriEvent.IncomingCall.class);
        assertEquals(9, ring.channel());
        assertEquals("200", ring.called().digits());
        assertEquals("0301234567", ring.calling().digits());
        ring.call().proceeding(false);
        ring.call().progress(true);
        ring.call().alerting(false);
        ring.call().answer();
        ex.await(PriEvent.Proceeding.class, p -> p.call() == out);
        assertTrue(ex.await(PriEvent.Progress.class, p -> p.call() == out).inbandAvailable());
        ex.await(PriEvent.Alerting.class, p -> p.call() == out);
        ex.await(PriEvent.Answered.class, p -> p.call() == out);
        assertEquals(ChannelMode.SILENCE, exchange.channelMode(9));

        exchange.hangup(out, PriCause.NORMAL_CLEARING);
        assertEquals(PriCause.NORMAL_CLEARING, gw.await(PriEvent.DisconnectRequested.class).cause());
        PriEvent.CallReleased g = gw.await(PriEvent.CallReleased.class);
        assertEquals(ReleaseReason.REMOTE, g.reason());
        assertEquals(PriCause.NORMAL_CLEARING, g.cause());
        PriEvent.CallReleased x = ex.await(PriEvent.CallReleased.class);
        assertEquals(PriCause.NORMAL_CLEARING, x.cause());
        assertTrue(out.isReleased() && ring.call().isReleased());
    }

    @Test
    void shouldReleaseTheCallOnAChannelItRestarts() throws InterruptedException {
        awaitRestarts();
        PriCall call = callAndAnswer("1000", 3);
        gateway.resetChannel(3);
        PriEvent.CallReleased r = gw.await(PriEvent.CallReleased.class);
        assertEquals(ReleaseReason.RESTART, r.reason());
        assertTrue(call.isReleased());
        gw.await(PriEvent.RestartAcknowledged.class, a -> a.channel() == 3);
        ex.await(PriEvent.ChannelRestarted.class, a -> a.channel() == 3);
        assertEquals(ReleaseReason.RESTART, ex.await(PriEvent.CallReleased.class).reason());
        assertEquals(ChannelMode.IDLE, exchange.channelMode(3));
        callAndAnswer("1000", 3);
    }

    @Test
    void shouldReleaseCallsWithCause27WhenTheDChannelIsLost() throws InterruptedException {
        awaitRestarts();
        PriCall call = callAndAnswer("1000", 5);
        pstn.card().setDChannelLost(1, true);
        gw.await(PriEvent.DChannelDown.class);
        PriEvent.CallReleased r = gw.await(PriEvent.CallReleased.class);
        assertEquals(PriCause.DESTINATION_OUT_OF_ORDER, r.cause());
        assertTrue(call.isReleased());
        pstn.card().setDChannelLost(1, false);
        gw.await(PriEvent.DChannelUp.class);
        awaitRestarts();
        callAndAnswer("1004", 5);
    }

    @Test
    void shouldTakeTheSpanOutOfServiceOnRedAlarmAndBackWhenItClears() throws InterruptedException {
        awaitRestarts();
        PriCall call = callAndAnswer("1000", 6);
        pstn.card().raiseAlarm(1, SpanAlarms.RED);
        PriEvent.CallReleased r = gw.await(PriEvent.CallReleased.class);
        assertEquals(PriCause.NETWORK_OUT_OF_ORDER, r.cause());
        assertEquals(ReleaseReason.ALARM, r.reason());
        assertTrue(call.isReleased());
        PriEvent.SpanAlarm down = gw.await(PriEvent.SpanAlarm.class);
        assertFalse(down.inService());
        assertFalse(gateway.isInService());
        PriCall refused = gateway.setup(OutgoingCall.to("1004", "5551234", 6));
        assertEquals(ReleaseReason.SETUP_FAILED, gw.await(PriEvent.CallReleased.class, e -> e.call() == refused)
            .reason());

        pstn.card().clearAlarms(1);
        assertTrue(gw.await(PriEvent.SpanAlarm.class).inService());
        gw.await(PriEvent.RestartAcknowledged.class, a -> a.channel() == 6);
        callAndAnswer("1004", 6);
    }

    @Test
    void shouldWorkOnAT1SpanWithNi2And23BChannels() throws InterruptedException {
        stop();
        start(SpanType.T1);
        awaitRestarts();
        PriCall call = callAndAnswer("1000", 23);
        call.hangup(PriCause.NORMAL_CLEARING);
        assertEquals(PriCause.NORMAL_CLEARING, gw.await(PriEvent.CallReleased.class).cause());
        PriCall busy = gateway.setup(OutgoingCall.to("1486", "5551234", 1));
        assertEquals(PriCause.USER_BUSY, gw.await(PriEvent.CallReleased.class, e -> e.call() == busy).cause());
        PriCall any = exchange.originate("2125551234", "300", ChannelId.ANY);
        PriEvent.IncomingCall ring = gw.await(PriEvent.IncomingCall.class);
        assertEquals(1, ring.channel());
        ring.call().hangup(PriCause.USER_BUSY);
        assertEquals(PriCause.USER_BUSY, ex.await(PriEvent.CallReleased.class, e -> e.call() == any).cause());
    }

    @Test
    void shouldPlayAndDetectDtmfBothWays() throws InterruptedException {
        awaitRestarts();
        java.util.concurrent.LinkedBlockingQueue<Character> heard = new java.util.concurrent.LinkedBlockingQueue<>();
        exchange.addDigitListener((ch, d) -> {
            if (ch == 11) {
                heard.add(d);
            }
        });
        PriCall out = exchange.originate("0301234567", "200", 11);
        PriEvent.IncomingCall ring = gw.await(PriEvent.IncomingCall.class);
        ring.call().answer();
        ex.await(PriEvent.Answered.class, a -> a.call() == out);

        BChannelIo io = new BChannelIo(pstn.span(1).bChannel(11));
        io.drain();
        StringBuilder got = new StringBuilder();
        org.tandem.codecs.dtmf.DtmfDetector detector = new org.tandem.codecs.dtmf.DtmfDetector(
            new org.tandem.codecs.dtmf.DtmfListener() {
                @Override
                public void onDigitStart(char digit, long start) {
                    got.append(digit);
                }

                @Override
                public void onDigitEnd(char digit, long start, long end) {
                }
            }, CompandingLaw.ALAW);
        org.tandem.codecs.dtmf.DtmfGenerator gen = new org.tandem.codecs.dtmf.DtmfGenerator(CompandingLaw.ALAW);
        String toSend = "2*";
        short[] scratch = new short[160];
        exchange.playDigits(11, "159#");
        // 4 digits of 160 ms, 2 digits sent back: 100 blocks (2 s of audio) are plenty.
        for (int b = 0; b < 100; b++) {
            byte[] in = io.readBlock();
            detector.process(CompandingLaw.ALAW, in, 0, in.length);
            byte[] outBlock = new byte[160];
            int k = b / 8;
            if (b % 8 == 0 && k < toSend.length()) {
                gen.start(toSend.charAt(k), 80, -6, 2);
            }
            gen.generate(outBlock, 0, 160, scratch);
            io.writeBlock(outBlock);
        }
        assertEquals("159#", got.toString());
        StringBuilder exHeard = new StringBuilder();
        heard.forEach(exHeard::append);
        assertEquals("2*", exHeard.toString());
    }

    static double rms(short[] pcm) {
        double s = 0;
        for (short v : pcm) {
            s += (double) v * v;
        }
        return Math.sqrt(s / pcm.length);
    }

    static double goertzel(short[] pcm, double hz) {
        double w = 2 * Math.PI * hz / 8000.0;
        double c = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        for (short v : pcm) {
            double s0 = v + c * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return s1 * s1 + s2 * s2 - c * s1 * s2;
    }
}
