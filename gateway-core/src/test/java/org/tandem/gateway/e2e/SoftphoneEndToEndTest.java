package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.registrar.Binding;
import org.tandem.gateway.sip.testing.Baresip;
import org.tandem.pri.PriCall;
import org.tandem.pri.PriEvent;
import org.tandem.simexchange.ChannelMode;
import org.tandem.simexchange.SimExchange;
import org.tandem.pri.ChannelId;
import org.tandem.gateway.snmp.NetSnmp;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.gateway.sip.testing.UdpSip;

/**
 * A real softphone stack from Debian, baresip, hung directly off the gateway as a {@code [user]}
 * phone: it registers (digest, qop=auth), and its calls to the PSTN are digest-authenticated
 * like its REGISTERs, because loopback is not trusted here ({@code [trunk local] trusted} names
 * another address). Audio is checked in what baresip itself decoded: it plays a 440 Hz tone as its
 * microphone, and a call to the exchange's loop-around line (1000) must bring that tone back
 * through the gateway's RTP -> A-law -> span -> exchange -> span -> RTP path. The CDR names the
 * number the user owns, whatever baresip put in From.
 */
class SoftphoneEndToEndTest extends AbstractEndToEndTest {
    private static final Path STATE = tempDir();
    private static final int SNMP_PORT = SippRunner.freePort();
    private static final String COMMUNITY = "softphone-e2e";
    private Baresip alice;

    SoftphoneEndToEndTest() {
        super(Gateway.Options.defaults(),
                "trunk.local.trusted=127.0.0.2/32",
                "snmp.listen=127.0.0.1:" + SNMP_PORT, "snmp.community=" + COMMUNITY,
                "registrar.algorithms=md5", // baresip 1.0 gives up on a 401 that also offers SHA-256
                "registrar.min_expires_s=60",
                "user.alice.password=alice-pw", "user.alice.numbers=2001",
                "registrar.bindings_file=" + STATE.resolve("bindings.txt"),
                // the shipped to-pstn route takes calls from trunk local only; phones get their own
                "route.phones.direction=sip-to-pstn", "route.phones.priority=50", "route.phones.target=group:pstn",
                // calls from the exchange to alice's number ring her registered contacts
                "route.alice.direction=pstn-to-sip", "route.alice.priority=10", "route.alice.match_called=2001",
                "route.alice.target=users");
    }

    @BeforeAll
    void startSoftphone() throws Exception {
        assumeTrue(Baresip.available(), "baresip is not installed (bin/setup-debian installs baresip-core)");
        Path tone = Baresip.writeTone(STATE.resolve("tone-440.wav"), 440, 30, 8_000);
        alice = Baresip.start(STATE.resolve("alice"), "<sip:alice@127.0.0.1:" + gw.sipPort
                + ">;auth_pass=alice-pw;regint=600;answermode=auto;audio_codecs=PCMA,PCMU", tone);
    }

    @AfterAll
    void stopSoftphone() throws Exception {
        try {
            if (alice != null) {
                alice.close();
            }
        } finally {
            Scenarios.deleteTree(STATE);
        }
    }

    @Test
    void shouldRegisterAndCallThePstnWithDigestAndCarryItsAudioBothWays() throws Exception {
        // The binding, not baresip's REGISTER_OK event: baresip may register before the control
        // socket is connected, and events are only sent to a connected client.
        List<Binding> b = awaitBindings("alice", 10_000);
        assertEquals(1, b.size(), () -> "alice did not register: " + alice.log());
        assertTrue(b.get(0).userAgent().startsWith("baresip"), b::toString);
        assertEquals(alice.sipPort(), b.get(0).flow().port(), b::toString);

        // the registrar counts a REGISTER just after it publishes the binding
        for (int i = 0; i < 100 && gw.gateway.registrar().counters().accepted.get() == 0; i++) {
            Thread.sleep(20);
        }
        Path ietf = NetSnmp.baseMibDir();
        assertNotNull(ietf, "no IETF base MIBs (bin/setup-debian installs erlang-snmp)");
        { // the registrar's objects by name, as docs/OPERATIONS.md walks them
            NetSnmp.Result walk = NetSnmp.run(List.of("snmpwalk", "-v2c", "-c", COMMUNITY, "-M",
                    "+" + NetSnmp.REPO_MIBS + ":" + ietf, "-m", "TANDEM-GATEWAY-MIB", "udp:127.0.0.1:" + SNMP_PORT,
                    "TANDEM-GATEWAY-MIB::tgRegistrar"));
            assertEquals(0, walk.exit(), walk.err());
            String out = walk.out();
            assertTrue(out.contains("TANDEM-GATEWAY-MIB::tgRegUsers.0 = Gauge32: 1"), out);
            assertTrue(out.contains("TANDEM-GATEWAY-MIB::tgRegRegisteredUsers.0 = Gauge32: 1"), out);
            assertTrue(out.contains("TANDEM-GATEWAY-MIB::tgRegBindings.0 = Gauge32: 1"), out);
            assertTrue(out.contains("TANDEM-GATEWAY-MIB::tgRegAccepted.0 = Counter64: 1"), out);
            assertTrue(out.contains("TANDEM-GATEWAY-MIB::tgRegChallenged.0 = Counter64: 1"), out);
            assertTrue(out.contains("TANDEM-GATEWAY-MIB::tgRegBindingsAdded.0 = Counter64: 1"), out);
        }

        int established = alice.eventCount("CALL_ESTABLISHED");
        int closed = alice.eventCount("CALL_CLOSED");
        int before = alice.receivedAudio().size();
        alice.dial("sip:1000@127.0.0.1:" + gw.sipPort);
        assertNotNull(alice.awaitEvent("CALL_ESTABLISHED", established + 1, 10_000), () -> "call not established: "
                + alice.events() + "\n" + alice.log());
        Thread.sleep(3_000);
        alice.hangup();
        assertNotNull(alice.awaitEvent("CALL_CLOSED", closed + 1, 5_000), () -> "call not closed: " + alice.events());

        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("1000"), 5_000);
        assertNotNull(cdr, "no CDR for the softphone's call");
        assertEquals("sip->pstn", cdr[1]);
        assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
        assertEquals("2001", cdr[E2eGateway.CALLING_OUT], "the PSTN sees the number alice owns, not her From");
        assertEquals("alice", cdr[23], "the CDR names the phone's user");
        assertTrue(gw.awaitIdle(5_000));

        List<short[]> heard = alice.receivedAudio();
        assertEquals(before + 1, heard.size(), "one more call, one more recording");
        ToneCheck.assertHeard(heard.get(heard.size() - 1), 440, "baresip heard its tone come back");
    }

    @Test
    void shouldRingTheRegisteredSoftphoneForAPstnCallAndCarryTheAudioBothWays() throws Exception {
        assertEquals(1, awaitBindings("alice", 10_000).size(), () -> "alice did not register: " + alice.log());
        int before = alice.receivedAudio().size();
        int established = alice.eventCount("CALL_ESTABLISHED");
        int closed = alice.eventCount("CALL_CLOSED");
        SimExchange exchange = gw.gateway.exchange(1);
        java.util.concurrent.CompletableFuture<Integer> answered = new java.util.concurrent.CompletableFuture<>();
        // once the exchange has seen CONNECT (and set the channel to silence), loop what the
        // gateway sends back to it: baresip's own tone must then come back to baresip
        exchange.addObserver((span, event) -> {
            if (event instanceof PriEvent.Answered a && !answered.isDone()) {
                exchange.setChannelMode(a.channel(), ChannelMode.LOOPBACK);
                answered.complete(a.channel());
            }
        });
        PriCall call = exchange.originate("5550100", "2001", ChannelId.ANY);
        assertNotNull(call);
        int channel = answered.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertNotNull(alice.awaitEvent("CALL_ESTABLISHED", established + 1, 10_000), () -> "baresip did not answer: "
                + alice.events() + "\n" + alice.log());
        Thread.sleep(3_000);
        exchange.hangup(call, 16);
        assertNotNull(alice.awaitEvent("CALL_CLOSED", closed + 1, 5_000), () -> "call not closed: " + alice.events());

        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("2001"), 5_000);
        assertNotNull(cdr, "no CDR for the call to alice");
        assertEquals("pstn->sip", cdr[1]);
        assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION]);
        assertEquals("alice", cdr[23], "delivered to user alice");
        assertEquals(Integer.toString(channel), cdr[E2eGateway.CHANNEL]);
        assertTrue(gw.awaitIdle(5_000));

        List<short[]> heard = alice.receivedAudio();
        assertEquals(before + 1, heard.size(), "one more call, one more recording");
        ToneCheck.assertHeard(heard.get(heard.size() - 1), 440, "its 440 Hz came back through the span's loop");
    }

    @Test
    void shouldAnswerAWrongPasswordOnAnInviteWithTheSame401AndStartNoCall() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(SippRunner.LOOPBACK), 0))) {
            s.setSoTimeout(3_000);
            String first = UdpSip.exchange(s, gw.sipPort, invite(s.getLocalPort(), 1, null));
            assertTrue(first.startsWith("SIP/2.0 401"), first);
            Matcher nonce = Pattern.compile("nonce=\"([^\"]+)\"").matcher(first);
            assertTrue(nonce.find(), first);
            assertTrue(first.contains("qop=\"auth\"") && first.contains("algorithm=MD5"), first);
            String auth = "Digest username=\"alice\", realm=\"127.0.0.1\", nonce=\"" + nonce.group(1)
                    + "\", uri=\"sip:1004@127.0.0.1\", response=\"0123456789abcdef0123456789abcdef\","
                    + " algorithm=MD5, qop=auth, nc=00000001, cnonce=\"c0ffee\"";
            String second = UdpSip.exchange(s, gw.sipPort, invite(s.getLocalPort(), 2, auth));
            assertTrue(second.startsWith("SIP/2.0 401"), "a wrong password is told apart from no user by nobody: "
                    + second);
            String unknown = UdpSip.exchange(s, gw.sipPort, invite(s.getLocalPort(), 3, auth.replace("alice", "mallory")));
            assertTrue(unknown.startsWith("SIP/2.0 401"), unknown);
            assertEquals(headerNames(second), headerNames(unknown), "same answer for a known and an unknown user");
        }
        assertTrue(gw.awaitIdle(2_000), "no call was started");
    }

    private List<Binding> awaitBindings(String user, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        List<Binding> b;
        do {
            b = gw.gateway.registrar().snapshot().contactsOf(user, System.currentTimeMillis());
            if (!b.isEmpty()) {
                return b;
            }
            Thread.sleep(50);
        } while (System.nanoTime() - deadline < 0);
        return b;
    }

    private static Path tempDir() {
        try {
            return java.nio.file.Files.createTempDirectory("tandem-softphone-e2e");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String invite(int localPort, int cseq, String authorization) {
        String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + rtp.port() + " RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n";
        return "INVITE sip:1004@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + localPort + ";branch=z9hG4bKsoft" + cseq + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@127.0.0.1>;tag=wrongpw\r\n"
                + "To: <sip:1004@127.0.0.1>\r\n"
                + "Call-ID: wrong-password-" + localPort + "\r\n"
                + "CSeq: " + cseq + " INVITE\r\n"
                + "Contact: <sip:alice@127.0.0.1:" + localPort + ">\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
    }

    private static List<String> headerNames(String response) {
        List<String> names = new ArrayList<>();
        for (String line : response.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("SIP/")) {
                names.add(line.substring(0, colon));
            }
        }
        return names;
    }
}
