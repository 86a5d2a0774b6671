package org.tandem.gateway.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RFC 3261 section 19.1.4, with the RFC's own examples of equal and unequal URIs. */
class ContactUriTest {
    private static boolean same(String a, String b) {
        boolean ab = ContactUri.parse(a).sameAs(ContactUri.parse(b));
        assertEquals(ab, ContactUri.parse(b).sameAs(ContactUri.parse(a)), "symmetric: " + a + " / " + b);
        return ab;
    }

    @Test
    void shouldFindTheRfcsEquivalentUrisTheSame() {
        assertTrue(same("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"));
        assertTrue(same("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"));
        assertTrue(same("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"));
        assertTrue(same("sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=off"));
        assertTrue(same("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
                "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"));
        assertTrue(same("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
                "sip:alice@atlanta.com?priority=urgent&subject=project%20x"));
    }

    @Test
    void shouldFindTheRfcsDifferentUrisDifferent() {
        assertFalse(same("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"),
                "user parts are case-sensitive");
        assertFalse(same("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"), "no port is not port 5060");
        assertFalse(same("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"), "transport in one only");
        assertFalse(same("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"));
        assertFalse(same("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"));
        assertFalse(same("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"));
        assertFalse(same("sip:alice@10.0.0.5", "sips:alice@10.0.0.5"));
    }

    @Test
    void shouldTellDevicesApartByAParameterBothCarry() {
        assertFalse(same("sip:1001@10.0.0.5;line=abc", "sip:1001@10.0.0.5;line=def"));
        assertTrue(same("sip:1001@10.0.0.5;line=abc", "sip:1001@10.0.0.5"));
    }

    @Test
    void shouldTakeApartIpv6HostsPortsAndParameters() {
        ContactUri u = ContactUri.parse("sips:alice:pw@[2001:DB8::1]:5081;transport=tcp;ob");
        assertTrue(u.secure());
        assertEquals("alice", u.user());
        assertEquals("2001:db8::1", u.host());
        assertEquals(5081, u.port());
        assertEquals("tcp", u.params().get("transport"));
        assertEquals("", u.params().get("ob"));
        assertEquals(5061, ContactUri.parse("sips:a@h").portOrDefault());
        assertEquals(5060, ContactUri.parse("sip:a@h").portOrDefault());
    }

    @Test
    void shouldRefuseWhatIsNotASipUriSayingWhy() {
        assertEquals("'tel:+4930123' is not a sip: or sips: URI",
                assertThrows(IllegalArgumentException.class, () -> ContactUri.parse("tel:+4930123")).getMessage());
        assertEquals("'sip:a@h:99999' has port '99999', not 1-65535",
                assertThrows(IllegalArgumentException.class, () -> ContactUri.parse("sip:a@h:99999")).getMessage());
        assertEquals("'sip:a@' has no valid host",
                assertThrows(IllegalArgumentException.class, () -> ContactUri.parse("sip:a@")).getMessage());
        assertEquals("'sip:a@[::1' has an IPv6 host without ']'",
                assertThrows(IllegalArgumentException.class, () -> ContactUri.parse("sip:a@[::1")).getMessage());
    }
}
