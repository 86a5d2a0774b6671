package org.tandem.gateway.route;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tandem.config.Cidr;
import org.tandem.config.SipConfig;
import org.tandem.config.TrunkConfig;
import org.tandem.gateway.sip.SipTrunk;

/** Which source addresses a trunk's {@code trusted} list lets in (the loop that replaced a stream per request). */
class TrunksTest {
    private static SipTrunk trunk(List<Cidr> trusted) {
        return Trunks.sipTrunk(new TrunkConfig("carrier", "127.0.0.1", 5060, SipConfig.Transport.UDP, false, 3600,
                null, null, null, trusted, null, TrunkConfig.Redirects.FOLLOW, 3, null));
    }

    private static Cidr cidr(String network, int prefix) throws Exception {
        return new Cidr(network + "/" + prefix, InetAddress.getByName(network), prefix);
    }

    @Test
    void shouldTrustAnAddressInAnyOfItsNetworksAndNoOther() throws Exception {
        SipTrunk t = trunk(List.of(cidr("192.0.2.0", 24), cidr("198.51.100.7", 32), cidr("2001:db8::", 32)));
        assertTrue(t.trustedSource().test(InetAddress.getByName("192.0.2.200")), "in the first network");
        assertTrue(t.trustedSource().test(InetAddress.getByName("198.51.100.7")), "the second, a host");
        assertTrue(t.trustedSource().test(InetAddress.getByName("2001:db8::5")), "the third, IPv6");
        assertFalse(t.trustedSource().test(InetAddress.getByName("198.51.100.8")), "beside the host");
        assertFalse(t.trustedSource().test(InetAddress.getByName("192.0.3.1")), "beside the first network");
        assertFalse(t.trustedSource().test(InetAddress.getByName("2001:db9::1")), "beside the IPv6 network");
    }

    @Test
    void shouldTrustTheHostsAddressesWhenNoListIsGiven() throws Exception {
        SipTrunk t = trunk(List.of());
        assertTrue(t.trustedSource().test(InetAddress.getByName("127.0.0.1")));
        assertFalse(t.trustedSource().test(InetAddress.getByName("127.0.0.2")));
    }
}
