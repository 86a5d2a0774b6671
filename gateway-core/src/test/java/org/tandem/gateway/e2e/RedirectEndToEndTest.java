package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.pri.ChannelId;

/**
 * Redirects in the running gateway, with sipp on loopback. Following: a PSTN call routed to the
 * trunk, which answers 302 to a phone; the phone gets the INVITE with Diversion and answers.
 * Redirect-server mode ({@code [route] redirect}):
 * a phone registers (sipp, MD5 digest), a call to its number is answered 302 with its Contact and
 * q-value; a number whose owner is not registered gets 480 with cause 20; a route redirecting to a
 * fixed URI answers 302 with it. A redirected call's CDR says REDIRECTED with SIP status 302 and
 * no B-channel; the 480's says cause 20.
 */
class RedirectEndToEndTest extends AbstractEndToEndTest {
    private static final Path STATE = tempDir();

    RedirectEndToEndTest() {
        super(Gateway.Options.defaults(),
                "registrar.algorithms=md5,sha-256", "registrar.bindings_file=" + STATE.resolve("bindings.txt"),
                "user.alice.password=alice-pw", "user.alice.numbers=2001",
                "user.bob.password=bob-pw", "user.bob.numbers=2002",
                "route.phones.direction=sip-to-pstn", "route.phones.priority=10",
                "route.phones.match_called=200[0-9]", "route.phones.redirect=users",
                "route.moved.direction=sip-to-pstn", "route.moved.priority=11",
                "route.moved.match_called=3000", "route.moved.redirect=sip:3000@127.0.0.1:5999");
    }

    @AfterAll
    void removeState() {
        Scenarios.deleteTree(STATE);
    }

    @Test
    void shouldAnswer302WithTheRegisteredContactOfTheCalledNumbersUser() throws Exception {
        SippRunner.Result reg = RegistrarEndToEndTest.register(gw, "alice", "alice-pw", 200,
                "      Contact: <sip:alice@127.0.0.1:5081>;q=0.7", "600", "reg-alice-redirect", 1, "");
        assertTrue(reg.succeeded(), reg::toString);
        SippRunner.Result r = gw.uac(redirected("&lt;sip:alice@127\\.0\\.0\\.1:5081&gt;;q=0\\.7"), "2001", rtp.port()).run();
        assertTrue(r.succeeded(), "302 with alice's Contact and q: " + r);
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("2001"), 5_000);
        assertEquals("REDIRECTED", cdr[E2eGateway.DISPOSITION], String.join(",", cdr));
        assertEquals("302", cdr[E2eGateway.SIP_STATUS]);
        assertEquals("0", cdr[E2eGateway.SPAN], "no B-channel for a redirected call");
    }

    @Test
    void shouldAnswer480WithCause20WhenTheNumbersUserIsNotRegistered() throws Exception {
        Path scenario = Scenarios.fill("rejected.xml", Map.of("STATUS", "480", "CAUSE", "20"));
        SippRunner.Result r = gw.uac(scenario, "2002", rtp.port()).run();
        assertTrue(r.succeeded(), r::toString);
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("2002"), 5_000);
        assertEquals("20", cdr[E2eGateway.Q850], String.join(",", cdr));
        assertEquals("480", cdr[E2eGateway.SIP_STATUS]);
    }

    @Test
    void shouldAnswer302WithTheConfiguredUri() throws Exception {
        SippRunner.Result r = gw.uac(redirected("&lt;sip:3000@127\\.0\\.0\\.1:5999&gt;"), "3000", rtp.port()).run();
        assertTrue(r.succeeded(), r::toString);
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("3000"), 5_000);
        assertEquals("REDIRECTED", cdr[E2eGateway.DISPOSITION], String.join(",", cdr));
    }

    @Test
    void shouldFollowATrunks302OnAPstnCallToThePhoneWithTheRedirectingNumberInDiversion() throws Exception {
        int phonePort = SippRunner.freePort();
        SippRunner.Sipp phone = SippRunner.scenario(Scenarios.fill("phone-diverted.xml", Map.of("CALLED", "moved",
                "CALLING", "5550100", "CALLED_USER", "moved",
                "DIVERSION", "&lt;sip:200@127\\.0\\.0\\.1&gt;;reason=unconditional;counter=1")))
                .localPort(phonePort).option("-key", "rtpport", Integer.toString(rtp.port())).option("-d", "1000")
                .start();
        SippRunner.Sipp trunk = gw.trunkUas(Scenarios.fill("trunk-redirect.xml",
                Map.of("CONTACT", "<sip:moved@127.0.0.1:" + phonePort + ">")), rtp.port()).start();
        Thread.sleep(300); // sipp binds its ports
        assertNotNull(gw.gateway.exchange(1).originate("5550100", "200", ChannelId.ANY));
        SippRunner.Result t = trunk.await();
        SippRunner.Result p = phone.await();
        assertTrue(t.succeeded(), t::toString);
        assertTrue(p.succeeded(), "the phone got the INVITE with Diversion and answered: " + p);
        String[] cdr = gw.awaitCdr(c -> c[E2eGateway.CALLED_IN].equals("200"), 5_000);
        assertEquals("ANSWERED", cdr[E2eGateway.DISPOSITION], String.join(",", cdr));
        assertTrue(gw.awaitIdle(5_000));
    }

    private static Path redirected(String contactRegexp) {
        return Scenarios.fill("redirected.xml", Map.of("CONTACT", contactRegexp));
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("tandem-redirect-e2e");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
