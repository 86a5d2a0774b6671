package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.sip.testing.SippRunner;

/**
 * Two INVITEs FuzzEndToEndTest found (seed 16868338372387): an empty Call-ID and a From with an
 * empty tag (`tag=""`). The RI parses both; then it could make no transaction for the first and
 * send no answer at all on the second's dialog (it copies the empty tag back), so the call went
 * to the exchange and every answer failed with an exception. Now both get a stateless 400 before
 * any transaction or call, and the gateway goes on serving.
 */
class EmptyDialogIdEndToEndTest extends AbstractEndToEndTest {
    EmptyDialogIdEndToEndTest() {
        super(Gateway.Options.defaults());
    }

    private static byte[] invite(InetAddress from, String callId, String fromTag) {
        String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 40000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n";
        String host = from.getHostAddress();
        return ("INVITE sip:1004@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + host + ";branch=z9hG4bK-empty-" + Math.abs(callId.hashCode() + fromTag.hashCode()) + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:5550100@" + host + ">;tag=" + fromTag + "\r\n"
                + "To: <sip:1004@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:5550100@" + host + ">\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void shouldAnswer400ToAnEmptyCallIdOrFromTagAndPlaceNoCall() throws Exception {
        E2eGateway g = gw;
        InetAddress[] a = SipWire.addresses(2);
        try (SipWire noCallId = SipWire.on(a[0]); SipWire emptyTag = SipWire.on(a[1])) {
            noCallId.sendUdp(invite(a[0], "", "1"), g.sipPort);
            emptyTag.sendUdp(invite(a[1], "empty-from-tag@test", "\"\""), g.sipPort);
            assertEquals(400, noCallId.awaitFinal(3_000), "empty Call-ID: " + noCallId.statusLines());
            assertEquals(400, emptyTag.awaitFinal(3_000), "empty From tag: " + emptyTag.statusLines());
        }
        assertTrue(g.awaitIdle(5_000), "no channel or RTP port taken");
        assertEquals(0, g.gateway.sip().activeLegs(), "no SIP leg made");
        SippRunner.Result r = g.uac(Scenarios.file("call.xml"), "1004", rtp.port()).option("-d", "500").run();
        assertTrue(r.succeeded(), r::toString);
    }
}
