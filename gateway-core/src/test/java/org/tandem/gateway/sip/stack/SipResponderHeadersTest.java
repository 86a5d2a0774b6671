package org.tandem.gateway.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPResponse;
import java.util.ArrayList;
import java.util.List;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.Header;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.sip.SipSettings;

/**
 * The headers {@link SipResponder} builds once and clones per message (Server, Supported, Allow,
 * Contact): every response gets its own copies, with the same text as when they were parsed per
 * message, and changing one response's header leaves the next response's alone.
 */
class SipResponderHeadersTest {
    private final SipResponder responder = new SipResponder(null, SipSettings.defaults("127.0.0.1", 5071),
            () -> false);

    private Response ok() throws Exception {
        Response r = new SIPResponse();
        r.setStatusCode(Response.OK);
        r.addHeader(responder.headers().createToHeader(responder.addresses().createAddress("sip:a@127.0.0.1"), null));
        return r;
    }

    private static List<String> lines(Response r, String name) {
        List<String> out = new ArrayList<>();
        r.getHeaders(name).forEachRemaining(h -> out.add(((Header) h).toString().trim()));
        return out;
    }

    @Test
    void eachResponseGetsItsOwnServerSupportedAndAllow() throws Exception {
        Response a = ok();
        Response b = ok();
        responder.addToTag(a, "t1");
        responder.addToTag(b, "t2");
        assertEquals("Server: Tandem", a.getHeader("Server").toString().trim());
        assertEquals(List.of("Supported: timer", "Supported: 100rel"), lines(a, "Supported"));
        String allow = a.toString();
        for (String m : List.of("INVITE", "ACK", "CANCEL", "BYE", "OPTIONS", "UPDATE", "PRACK", "REFER")) {
            assertTrue(allow.contains(m), "Allow lists " + m + ": " + allow);
        }
        assertNotSame(a.getHeader("Server"), b.getHeader("Server"));
        assertNotSame(a.getHeader("Supported"), b.getHeader("Supported"));

        // a change to one response's copy does not reach the other's, nor the next response
        ((javax.sip.header.ServerHeader) a.getHeader("Server")).setProduct(List.of("Changed"));
        assertEquals("Server: Tandem", b.getHeader("Server").toString().trim());
        Response c = ok();
        responder.addToTag(c, "t3");
        assertEquals("Server: Tandem", c.getHeader("Server").toString().trim());
        assertEquals(lines(b, "Allow"), lines(c, "Allow"));
    }

    @Test
    void allowIsOneListWithTheTextOfOneHeaderPerMethodAndACopyPerMessage() throws Exception {
        Response perMethod = ok();
        for (String m : List.of("INVITE", "ACK", "CANCEL", "BYE", "OPTIONS", "UPDATE", "PRACK", "REFER")) {
            perMethod.addHeader(responder.headers().createAllowHeader(m));
        }
        Response a = ok();
        responder.addAllow(a);
        assertEquals(lines(perMethod, "Allow"), lines(a, "Allow"));
        assertTrue(a.toString().contains("Allow: INVITE,ACK,CANCEL,BYE,OPTIONS,UPDATE,PRACK,REFER\r\n"), a.toString());
        assertEquals(perMethod.toString(), a.toString());
        // the copy is the message's own: a method added to it is not in the next message's Allow
        a.addHeader(responder.headers().createAllowHeader("MESSAGE"));
        Response b = ok();
        responder.addAllow(b);
        assertTrue(a.toString().contains("REFER,MESSAGE"), a.toString());
        assertEquals(lines(perMethod, "Allow"), lines(b, "Allow"));
    }

    @Test
    void withoutPrackSupportedListsOnlyTimerAndReplacesWhatWasThere() throws Exception {
        Response r = ok();
        responder.setSupported(r, true);
        responder.setSupported(r, false);
        assertEquals(List.of("Supported: timer"), lines(r, "Supported"));
    }

    @Test
    void contactIsAFreshCopyForEachMessage() throws Exception {
        ContactHeader udp = (ContactHeader) responder.contact("udp");
        udp.setParameter("expires", "60");
        ContactHeader again = (ContactHeader) responder.contact("udp");
        assertNotSame(udp, again);
        assertEquals(null, again.getParameter("expires"));
        SipURI uri = (SipURI) again.getAddress().getURI();
        assertEquals("127.0.0.1", uri.getHost());
        assertEquals(5071, uri.getPort());
        SipURI tcp = (SipURI) ((ContactHeader) responder.contact("tcp")).getAddress().getURI();
        assertEquals("tcp", tcp.getTransportParam());
        SipURI sips = (SipURI) ((ContactHeader) responder.contact("tcp", true)).getAddress().getURI();
        assertTrue(sips.isSecure());
        SipURI udpAgain = (SipURI) ((ContactHeader) responder.contact("udp")).getAddress().getURI();
        assertEquals(null, udpAgain.getTransportParam());
    }
}
