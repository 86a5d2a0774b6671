package org.tandem.gateway.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tandem.config.ConfigLoader;
import org.tandem.config.LoadResult;
import org.tandem.gateway.interwork.Presentation;
import org.tandem.gateway.interwork.ReceivedRedirection;
import org.tandem.gateway.interwork.Redirection;
import org.tandem.gateway.interwork.RedirectionHeaders;
import org.tandem.gateway.interwork.RedirectionReason;
import org.tandem.gateway.interwork.SipIdentity;
import org.tandem.gateway.sdp.SessionDescription;
import org.tandem.gateway.sip.CallHandle;
import org.tandem.gateway.sip.OutboundInvite;
import org.tandem.gateway.sip.SipEvent;

/** The trust and per-trunk rules of {@link CallRedirection} on the shipped configuration. */
class CallRedirectionTest {
    private static final ReceivedRedirection DIVERSION = new ReceivedRedirection(
            List.of("<sip:2000@192.0.2.1>;reason=no-answer;counter=1"), List.of(), false);
    private static final ReceivedRedirection HISTORY = new ReceivedRedirection(List.of(),
            List.of("<sip:2000@h>;index=1", "<sip:1004@h;cause=486>;index=1.1"), false);
    private static final Redirection REDIRECTION = new Redirection("2000", Presentation.ALLOWED,
            RedirectionReason.USER_BUSY, 1, null);

    private static ActiveConfig config(String... overrides) throws Exception {
        Path p = Path.of(System.getProperty("user.dir")).resolve("../conf/tandem.ini").normalize();
        if (!Files.exists(p)) {
            p = Path.of("conf/tandem.ini").toAbsolutePath();
        }
        List<String> all = new ArrayList<>(List.of("cdr.dir=/tmp"));
        all.addAll(List.of(overrides));
        LoadResult r = ConfigLoader.load(p, all);
        assertTrue(r.ok(), r::errorReport);
        return new ActiveConfig(r.orThrow());
    }

    private static SipEvent.IncomingCall invite(String trunk, String user, ReceivedRedirection r) {
        return new SipEvent.IncomingCall(new CallHandle(1, "cid", true), "1004",
                new SipIdentity("5551234", null, null, null, false), null,
                new InetSocketAddress("127.0.0.1", 5060), "udp", trunk, user, r);
    }

    @Test
    void shouldReadTheDiversionOfATrustedTrunkByDefault() throws Exception {
        Redirection r = CallRedirection.fromSip(config(), "c1", invite("local", null, DIVERSION));
        assertEquals("2000", r.redirectingUser());
        assertEquals(RedirectionReason.NO_ANSWER, r.reason());
        assertNull(CallRedirection.fromSip(config(), "c1", invite("local", null, HISTORY)),
                "History-Info is not read from a trunk set to diversion");
        assertEquals("2000", CallRedirection.fromSip(config("trunk.local.redirection_headers=history-info"), "c1",
                invite("local", null, HISTORY)).redirectingUser());
    }

    @Test
    void shouldNotBelieveRedirectionFromAPhoneOrATrunkSetToNone() throws Exception {
        assertNull(CallRedirection.fromSip(config(), "c1", invite(null, "alice", DIVERSION)));
        assertNull(CallRedirection.fromSip(config("trunk.local.redirection_headers=none"), "c1",
                invite("local", null, DIVERSION)));
    }

    @Test
    void shouldIgnoreAMalformedHeader() throws Exception {
        assertNull(CallRedirection.fromSip(config(), "c1", invite("local", null,
                new ReceivedRedirection(List.of("<sip:2000@h>;counter=x"), List.of(), false))));
    }

    @Test
    void shouldSendTheRedirectionOnlyToTrunksInTheirHeaders() throws Exception {
        ActiveConfig c = config("trunk.local.redirection_headers=both");
        SessionDescription offer = SessionDescription.parse("v=0\r\no=a 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
                + "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\n");
        SipIdentity id = new SipIdentity("5551234", null, null, null, false);
        OutboundInvite toTrunk = OutboundInvite.toTrunk(c.trunk("local"), "200", id, offer);
        OutboundInvite sent = CallRedirection.toSip(c, REDIRECTION, toTrunk);
        assertSame(REDIRECTION, sent.redirection());
        assertEquals(RedirectionHeaders.BOTH, sent.redirectionHeaders());
        assertEquals(RedirectionHeaders.DIVERSION,
                CallRedirection.toSip(config(), REDIRECTION, toTrunk).redirectionHeaders());
        assertNull(CallRedirection.toSip(config("trunk.local.redirection_headers=none"), REDIRECTION, toTrunk)
                .redirection());
        OutboundInvite toUri = new OutboundInvite("200", "127.0.0.1", 5070, "udp", id, offer, null);
        assertSame(toUri, CallRedirection.toSip(c, REDIRECTION, toUri), "a plain URI is not trusted");
    }
}
