package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.sip.testing.SippRunner;

/**
 * Redirect-server mode in the running gateway ({@code [route] redirect}), with sipp on loopback:
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
