package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.media.MediaChannel;
import org.tandem.gateway.sip.testing.Baresip;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.pri.ChannelId;
import org.tandem.pri.PriCall;
import org.tandem.pri.PriEvent;
import org.tandem.simexchange.ChannelMode;
import org.tandem.simexchange.SimExchange;
import org.tandem.testing.tls.TestPki;

/**
 * SRTP with SDES keys against an independent implementation: Debian's baresip (its srtp module,
 * libre's own SRTP) with {@code mediaenc=srtp-mand} (RTP/SAVP, a=crypto), over TLS both ways.
 * baresip plays a 440 Hz tone; the exchange loops the B-channel, so the tone only comes back to
 * baresip if both directions were encrypted by one side and decrypted by the other: baresip ->
 * gateway (our unprotect) -> span -> loop -> span -> gateway (our protect) -> baresip. The
 * gateway's figures must show authenticated packets and no SRTP drop.
 */
class SrtpEndToEndTest extends AbstractEndToEndTest {
    private static final Path DIR;
    private static final TestPki.Pair CA;
    private static final TestPki.Pair GATEWAY;
    private static final TestPki.Pair PHONE;
    private static final int TLS_PORT = SippRunner.freePort();
    /** baresip's SIP port; it listens for TLS one above. */
    private static final int PHONE_SIP_PORT = SippRunner.freePort();
    private static final Pattern SRTP_LINE = Pattern.compile(
            "SRTP (AES_CM_128_HMAC_SHA1_(?:80|32)): (\\d+) packets authenticated, (\\d+) dropped, (\\d+) of them SRTP"
                    + " \\(SRTCP: (\\d+) authenticated");

    static {
        try {
            DIR = Files.createTempDirectory("tandem-srtp");
            TestPki pki = new TestPki(DIR);
            CA = pki.ca("ca");
            GATEWAY = pki.leaf("gateway", "IP:127.0.0.1", CA);
            PHONE = pki.leaf("phone", "IP:127.0.0.1", CA);
            // at JVM exit, not @AfterAll: surefire's rerun of a flaky test builds the class again
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Scenarios.deleteTree(DIR);
                } catch (Exception ignored) {
                    // a temp directory left behind
                }
            }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Baresip phone;
    private final ListAppender<ILoggingEvent> mediaLog = new ListAppender<>();

    SrtpEndToEndTest() {
        super(Gateway.Options.defaults(),
                "sip.tls_listen=127.0.0.1:" + TLS_PORT, "sip.tls_certificate=" + GATEWAY.certificate(),
                "sip.tls_key=" + GATEWAY.key(), "sip.tls_ca=" + CA.certificate(), "sip.tls_verify_clients=optional",
                // baresip calls in as trunk local (127.0.0.1), over TLS, SRTP required
                "trunk.local.transport=tls", "trunk.local.srtp=require",
                // and the exchange's calls to 2002 go to baresip as trunk phone, over TLS, SRTP required
                "trunk.phone.host=127.0.0.1", "trunk.phone.port=" + (PHONE_SIP_PORT + 1),
                "trunk.phone.transport=tls", "trunk.phone.srtp=require", "trunk.phone.trusted=127.0.0.9/32",
                "route.tophone.direction=pstn-to-sip", "route.tophone.priority=10",
                "route.tophone.match_called=2002", "route.tophone.target=trunk:phone");
    }

    @BeforeAll
    void startPhone() throws Exception {
        assumeTrue(Baresip.available() && Files.exists(Path.of("/usr/lib/baresip/modules/srtp.so")),
                "baresip with its srtp module is not installed (bin/setup-debian installs baresip-core)");
        Path bundle = DIR.resolve("phone-bundle.pem"); // baresip wants certificate and key in one file
        Files.writeString(bundle, Files.readString(PHONE.certificate()) + Files.readString(PHONE.key()));
        Path tone = Baresip.writeTone(DIR.resolve("tone-440.wav"), 440, 30, 8_000);
        phone = Baresip.start(Files.createTempDirectory(DIR, "phone"), "<sip:2002@127.0.0.1:" + TLS_PORT + ";transport=tls>"
                + ";regint=0;answermode=auto;mediaenc=srtp-mand;audio_codecs=PCMA,PCMU", tone, PHONE_SIP_PORT,
                List.of("module srtp.so", "sip_certificate " + bundle, "sip_cafile " + CA.certificate()));
        Logger logger = (Logger) LoggerFactory.getLogger(MediaChannel.class);
        mediaLog.start();
        logger.addAppender(mediaLog);
        ((Logger) LoggerFactory.getLogger("org.tandem.gateway.call.SipToPstnSetup")).addAppender(mediaLog);
    }

    @AfterAll
    void stopPhone() throws Exception {
        ((Logger) LoggerFactory.getLogger(MediaChannel.class)).detachAppender(mediaLog);
        ((Logger) LoggerFactory.getLogger("org.tandem.gateway.call.SipToPstnSetup")).detachAppender(mediaLog);
        if (phone != null) {
            phone.close();
        }
    }

    @Test
    void shouldCarryEncryptedAudioBothWaysWhenBaresipCallsTheLoopAroundLine() throws Exception {
        int established = phone.eventCount("CALL_ESTABLISHED");
        int closed = phone.eventCount("CALL_CLOSED");
        int before = phone.receivedAudio().size();
        int logged = srtpLines().size();
        phone.dial("sip:1000@127.0.0.1:" + TLS_PORT + ";transport=tls");
        assertNotNull(phone.awaitEvent("CALL_ESTABLISHED", established + 1, 10_000), () -> "call not established: "
                + phone.events() + "\n" + phone.log());
        Thread.sleep(3_000);
        phone.hangup();
        assertNotNull(phone.awaitEvent("CALL_CLOSED", closed + 1, 5_000), () -> "call not closed: " + phone.events());

        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("1000"), 5_000);
        assertNotNull(cdr, "no CDR for baresip's call");
        assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
        assertTrue(gw.awaitIdle(5_000));
        assertSecured(logged);
        assertHeardItsToneBack(before);
    }

    @Test
    void shouldCarryEncryptedAudioBothWaysOnAPstnCallToBaresip() throws Exception {
        int before = phone.receivedAudio().size();
        int established = phone.eventCount("CALL_ESTABLISHED");
        int closed = phone.eventCount("CALL_CLOSED");
        int logged = srtpLines().size();
        SimExchange exchange = gw.gateway.exchange(1);
        CompletableFuture<Integer> answered = new CompletableFuture<>();
        exchange.addObserver((span, event) -> {
            if (event instanceof PriEvent.Answered a && !answered.isDone()) {
                exchange.setChannelMode(a.channel(), ChannelMode.LOOPBACK);
                answered.complete(a.channel());
            }
        });
        PriCall call = exchange.originate("5550100", "2002", ChannelId.ANY);
        assertNotNull(call);
        answered.get(10, TimeUnit.SECONDS);
        assertNotNull(phone.awaitEvent("CALL_ESTABLISHED", established + 1, 10_000), () -> "baresip did not answer: "
                + phone.events() + "\n" + phone.log());
        Thread.sleep(3_000);
        exchange.hangup(call, 16);
        assertNotNull(phone.awaitEvent("CALL_CLOSED", closed + 1, 5_000), () -> "call not closed: " + phone.events());
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("2002"), 5_000);
        assertNotNull(cdr, "no CDR for the call to baresip");
        assertEquals("pstn->sip", cdr[1]);
        assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
        assertTrue(gw.awaitIdle(5_000));
        assertSecured(logged);
        assertHeardItsToneBack(before);
    }

    @Test
    void shouldRefuseSdesKeysOfferedOverUdpWith488() throws Exception {
        String key = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(new java.net.InetSocketAddress(
                java.net.InetAddress.getByName(SippRunner.LOOPBACK), 0))) {
            s.setSoTimeout(5_000);
            String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                    + "m=audio 40000 RTP/SAVP 8\r\na=rtpmap:8 PCMA/8000\r\n"
                    + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + key + "\r\n";
            int port = s.getLocalPort();
            String invite = "INVITE sip:1004@127.0.0.1 SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bKsavp1;rport\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:5550100@127.0.0.1>;tag=savp\r\nTo: <sip:1004@127.0.0.1>\r\n"
                    + "Call-ID: savp-over-udp-" + port + "\r\nCSeq: 1 INVITE\r\n"
                    + "Contact: <sip:5550100@127.0.0.1:" + port + ">\r\nContent-Type: application/sdp\r\n"
                    + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
            String r = org.tandem.gateway.sip.testing.UdpSip.exchange(s, gw.sipPort, invite);
            assertTrue(r.startsWith("SIP/2.0 488"), r);
            assertTrue(mediaLog.list.stream().map(ILoggingEvent::getFormattedMessage).anyMatch(l ->
                    l.contains("SDP offer not acceptable") && l.contains("RFC 4568 8.3") && !l.contains(key)),
                    "the gateway logs why, without the key: " + mediaLog.list);
            assertFalse(r.contains("a=crypto"), "no key of ours in the clear: " + r);
            // our ACK for the 488 (RFC 3261 17.1.1.3), so the server transaction ends quietly
            String to = r.lines().filter(l -> l.startsWith("To:")).findFirst().orElse("To: <sip:1004@127.0.0.1>");
            byte[] ack = ("ACK sip:1004@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + port
                    + ";branch=z9hG4bKsavp1;rport\r\nMax-Forwards: 70\r\nFrom: <sip:5550100@127.0.0.1>;tag=savp\r\n"
                    + to + "\r\nCall-ID: savp-over-udp-" + port + "\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            s.send(new java.net.DatagramPacket(ack, ack.length, java.net.InetAddress.getByName(SippRunner.LOOPBACK),
                    gw.sipPort));
        }
        assertTrue(gw.awaitIdle(5_000));
    }

    /**
     * The gateway's own figures: SRTP in force, packets authenticated, no SRTP packet dropped, and
     * SRTCP authenticated too. baresip 1.0 also sends two RTCP packets in the clear, which the
     * gateway rightly drops (RFC 3711 3.4: SRTCP must be authenticated): an APP "PING" keepalive at
     * the start and its BYE ("Adjo") after it has torn its SRTP down; so RTCP drops are not zero.
     */
    private void assertSecured(int linesBefore) {
        List<String> lines = srtpLines();
        assertEquals(linesBefore + 1, lines.size(), () -> "one SRTP summary per call: " + lines);
        Matcher m = SRTP_LINE.matcher(lines.get(lines.size() - 1));
        assertTrue(m.find(), lines::toString);
        long authenticated = Long.parseLong(m.group(2));
        assertTrue(authenticated > 100, "3 s of 20 ms packets authenticated: " + m.group());
        assertEquals("0", m.group(4), "no SRTP (RTP) packet dropped: " + lines);
        assertTrue(Long.parseLong(m.group(5)) >= 1, "baresip's SRTCP reports authenticated: " + lines);
        String log = phone.log();
        assertTrue(log.contains("SRTP is Enabled"), log);
        assertFalse(log.contains("failed to decrypt"), "baresip decrypted everything we sent:\n" + log);
    }

    /** The tone is back in what baresip decrypted and decoded (ToneCheck: a wrong key leaves no clean window). */
    private void assertHeardItsToneBack(int before) throws IOException {
        List<short[]> heard = phone.receivedAudio();
        assertEquals(before + 1, heard.size(), "one more call, one more recording");
        ToneCheck.assertHeard(heard.get(heard.size() - 1), 440,
                "baresip's 440 Hz, decrypted by it after the gateway encrypted it");
    }

    private List<String> srtpLines() {
        return mediaLog.list.stream().map(ILoggingEvent::getFormattedMessage)
                .filter(s -> SRTP_LINE.matcher(s).find()).toList();
    }
}
