package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.ctl.CtlCommands;
import org.tandem.gateway.registrar.Binding;
import org.tandem.gateway.sip.testing.SippRunner;

/**
 * The registrar wired into the running gateway, with real peers on 127.0.0.1: sipp registers as
 * a phone (MD5 digest with qop=auth, the only algorithm sipp's {@code [authentication]} knows), and
 * a hand-built REGISTER over a {@link DatagramSocket} answers the SHA-256 challenge with a digest
 * computed here with {@link MessageDigest} (independently of {@code interwork.DigestAuth}). Each
 * test uses a user of its own, so they do not depend on each other's bindings. The gateway offers
 * MD5 first ({@code algorithms = md5, sha-256}) because sipp answers the first challenge it finds.
 */
class RegistrarEndToEndTest extends AbstractEndToEndTest {
    private static final Path STATE = tempDir();
    private static final Path BINDINGS = STATE.resolve("var/lib/bindings.txt");
    private static final String[] REGISTRAR = {
        "registrar.algorithms=md5,sha-256",
        "registrar.min_expires_s=2",
        "user.alice.password=alice-pw", "user.alice.numbers=1001",
        "user.bob.password=bob-pw", "user.carol.password=carol-pw", "user.dave.password=dave-pw",
        "user.erin.password=erin-pw", "user.frank.password=frank-pw", "user.gina.password=gina-pw",
        "user.hank.password=hank-pw", "user.ivy.password=ivy-pw",
    };

    RegistrarEndToEndTest() {
        super(Gateway.Options.defaults(), with(REGISTRAR, "registrar.bindings_file=" + BINDINGS));
    }

    @AfterAll
    void removeState() {
        Scenarios.deleteTree(STATE);
    }

    // ------------------------------------------------------------------ sipp (MD5)

    @Test
    void shouldRegisterWithDigestAndAnswer200WithTheBindingAndItsExpires() throws Exception {
        SippRunner.Result r = register("alice", "alice-pw", 200, contact("<sip:alice@127.0.0.1:5071>"), "600",
                "reg-alice", 1, checks("<sip:alice@127\\.0\\.0\\.1:5071>;expires=(600|599)"));
        assertTrue(r.succeeded(), r::toString);
        List<Binding> b = gw.gateway.registrar().snapshot().contactsOf("alice", System.currentTimeMillis());
        assertEquals(1, b.size(), b::toString);
        assertEquals("sip:alice@127.0.0.1:5071", b.get(0).contactUri());
        assertTrue(b.get(0).remainingSeconds(System.currentTimeMillis()) > 590, b::toString);
        assertEquals("udp", b.get(0).flow().transport());
        assertEquals("sipp-phone", b.get(0).userAgent());
        // the number alice owns finds the same binding (what routing to users will use)
        assertEquals(b, gw.gateway.registrar().snapshot().contactsForNumber("1001", System.currentTimeMillis()));

        String text = ctl("show", "registrations");
        assertTrue(text.startsWith("USER "), text);
        assertTrue(text.contains("alice") && text.contains("sip:alice@127.0.0.1:5071") && text.contains("sipp-phone"),
                text);
        String json = ctl("--json", "show", "registrations");
        assertTrue(json.contains("\"user\":\"alice\"") && json.contains("\"contact\":\"sip:alice@127.0.0.1:5071\"")
                && json.contains("\"transport\":\"udp\""), json);
        String stats = ctl("show", "stats");
        assertTrue(stats.contains("registeredUsers") && stats.contains("registerAccepted"), stats);
    }

    @Test
    void shouldRefreshABindingFromTheSameCallIdWithAHigherCSeq() throws Exception {
        String contact = contact("<sip:bob@127.0.0.1:5072>");
        assertTrue(register("bob", "bob-pw", 200, contact, "60", "reg-bob", 1, "").succeeded());
        long first = only("bob").expiresAtMillis();
        assertTrue(only("bob").remainingSeconds(System.currentTimeMillis()) <= 60);
        SippRunner.Result r = register("bob", "bob-pw", 200, contact, "900", "reg-bob", 3,
                checks("<sip:bob@127\\.0\\.0\\.1:5072>;expires=(900|899)"));
        assertTrue(r.succeeded(), r::toString);
        Binding b = only("bob");
        assertEquals(3 + 1, b.cseq(), "the refresh's CSeq is kept (RFC 3261 10.3 step 7)");
        assertTrue(b.expiresAtMillis() > first + 800_000, b::toString);
    }

    @Test
    void shouldHoldSeveralContactsInQOrderAndRemoveOneWithExpiresZero() throws Exception {
        String two = contact("<sip:carol@127.0.0.1:5073>;q=0.5") + "\n"
                + contact("<sip:carol@127.0.0.1:5074>;q=0.9");
        SippRunner.Result r = register("carol", "carol-pw", 200, two, "300", "reg-carol", 1,
                checks("<sip:carol@127\\.0\\.0\\.1:5074>;expires=(300|299);q=0\\.9"));
        assertTrue(r.succeeded(), r::toString);
        List<Binding> b = bindings("carol");
        assertEquals(List.of("sip:carol@127.0.0.1:5074", "sip:carol@127.0.0.1:5073"),
                b.stream().map(Binding::contactUri).toList(), "most preferred (highest q) first");

        r = register("carol", "carol-pw", 200, contact("<sip:carol@127.0.0.1:5074>"), "0", "reg-carol", 3,
                checks("<sip:carol@127\\.0\\.0\\.1:5073>;expires=[0-9]+;q=0\\.5"));
        assertTrue(r.succeeded(), r::toString);
        assertEquals(List.of("sip:carol@127.0.0.1:5073"), bindings("carol").stream().map(Binding::contactUri).toList());
    }

    @Test
    void shouldRemoveEveryBindingWithContactStarAndExpiresZero() throws Exception {
        String two = contact("<sip:dave@127.0.0.1:5075>") + "\n" + contact("<sip:dave@127.0.0.1:5076>");
        assertTrue(register("dave", "dave-pw", 200, two, "300", "reg-dave", 1, "").succeeded());
        assertEquals(2, bindings("dave").size());
        // another Call-ID (another device of dave's): '*' removes the bindings of all of them
        SippRunner.Result r = register("dave", "dave-pw", 200, contact("*"), "0", "unreg-dave", 1, "");
        assertTrue(r.succeeded(), r::toString);
        assertEquals(List.of(), bindings("dave"));
        assertFalse(ctl("show", "registrations").contains("dave"));
    }

    @Test
    void shouldAnswer423WithMinExpiresForTooBriefAnInterval() throws Exception {
        SippRunner.Result r = register("erin", "erin-pw", 423, contact("<sip:erin@127.0.0.1:5077>"), "1",
                "reg-erin", 1, check("Min-Expires:", "2", "minexp"));
        assertTrue(r.succeeded(), r::toString);
        assertEquals(List.of(), bindings("erin"));
    }

    @Test
    void shouldChallengeAgainAWrongPasswordAndChangeNothing() throws Exception {
        long failures = gw.gateway.registrar().counters().authFailures.get();
        SippRunner.Result r = register("hank", "not-his-password", 401, contact("<sip:hank@127.0.0.1:5078>"), "600",
                "reg-hank", 1, check("WWW-Authenticate:", "Digest ", "again"));
        assertTrue(r.succeeded(), r::toString);
        assertEquals(List.of(), bindings("hank"));
        assertFalse(ctl("show", "registrations").contains("hank"));
        assertEquals(failures + 1, gw.gateway.registrar().counters().authFailures.get());
    }

    @Test
    void shouldAnswer404ForAForeignDomain() throws Exception {
        SippRunner.Result r = SippRunner.scenario(Scenarios.file("register-foreign.xml"))
                .to(SippRunner.LOOPBACK, gw.sipPort).option("-key", "dom", "example.org").option("-key", "aor", "jack")
                .run();
        assertTrue(r.succeeded(), r::toString);
        assertFalse(ctl("show", "registrations").contains("jack"));
    }

    @Test
    void shouldRefuseAThousandContactsWith403AndChangeNothing() throws Exception {
        assertTrue(register("ivy", "ivy-pw", 200, contact("<sip:ivy@127.0.0.1:5079>"), "600", "reg-ivy", 1, "")
                .succeeded());
        // One Contact header with 1,000 values (sipp refuses a scenario file above 64 KB, so no
        // 1,000 header lines), some 23 KB: over TCP, as RFC 3261 18.1.1 wants for anything that big.
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add("<sip:127.0.0.1:" + (10_000 + i) + ">");
        }
        long refused = gw.gateway.registrar().counters().refused.get();
        SippRunner.Result r = register("ivy", "ivy-pw", 403, contact(String.join(", ", many)), "600", "reg-ivy", 3,
                "", "-t", "t1");
        assertTrue(r.succeeded(), r::toString);
        assertEquals(List.of("sip:ivy@127.0.0.1:5079"), bindings("ivy").stream().map(Binding::contactUri).toList(),
                "the refused REGISTER changed nothing");
        assertEquals(refused + 1, gw.gateway.registrar().counters().refused.get());
    }

    // ------------------------------------------------------------------ hand-built (SHA-256)

    @Test
    void shouldAcceptSha256DigestAndAnswerWithEveryHeaderOfTheRfc() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            s.setSoTimeout(5000);
            int port = s.getLocalPort();
            String first = send(s, registerText(port, 1, null));
            assertTrue(first.startsWith("SIP/2.0 401 "), first);
            Matcher sha = Pattern.compile("(?m)^WWW-Authenticate: *Digest (.*algorithm=SHA-256.*)$").matcher(first);
            assertTrue(sha.find(), first);
            String realm = param(sha.group(1), "realm");
            String nonce = param(sha.group(1), "nonce");
            assertEquals("127.0.0.1", realm);
            String ha1 = sha256("frank:" + realm + ":frank-pw");
            String ha2 = sha256("REGISTER:sip:127.0.0.1");
            String cnonce = "0a4f113b";
            String response = sha256(ha1 + ":" + nonce + ":00000001:" + cnonce + ":auth:" + ha2);
            String auth = "Digest username=\"frank\", realm=\"" + realm + "\", nonce=\"" + nonce
                    + "\", uri=\"sip:127.0.0.1\", response=\"" + response + "\", algorithm=SHA-256, qop=auth,"
                    + " nc=00000001, cnonce=\"" + cnonce + "\"";
            String ok = send(s, registerText(port, 2, auth));
            assertTrue(ok.startsWith("SIP/2.0 200 OK"), ok);
            assertTrue(Pattern.compile("(?m)^Contact: *<sip:frank@192\\.0\\.2\\.50:5099>;expires=(120|119)\\s*$")
                    .matcher(ok).find(), ok);
            assertTrue(Pattern.compile("(?m)^Path: *<sip:edge\\.example\\.net;lr>\\s*$").matcher(ok).find(),
                    "Path echoed to a UA that supports it (RFC 3327 5.3): " + ok);
            assertTrue(Pattern.compile("(?m)^Supported: *.*path").matcher(ok).find(), ok);
            assertTrue(Pattern.compile("(?m)^Date: *\\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT").matcher(ok)
                    .find(), "10.3 step 8: Date " + ok);
            Matcher via = Pattern.compile("(?m)^Via: *(.*)$").matcher(ok);
            assertTrue(via.find(), ok);
            assertTrue(via.group(1).contains("received=127.0.0.1"), via.group(1));
            assertTrue(via.group(1).contains("rport=" + port), "RFC 3581: " + via.group(1));
            assertEquals(1, countMatches(via.group(1), "rport="), "rport given once: " + via.group(1));
            assertTrue(Pattern.compile("(?m)^Allow: *.*REGISTER").matcher(ok).find()
                    || ok.contains("Allow: REGISTER"), ok);

            Binding b = only("frank");
            assertEquals("udp:127.0.0.1:" + port, b.flow().toString(), "the packet's source, not the Contact");
            assertTrue(b.natted(), "the Contact's address is not where the REGISTER came from");
            assertEquals(List.of("<sip:edge.example.net;lr>"), b.path());
            String text = ctl("show", "registrations");
            assertTrue(text.contains("udp:127.0.0.1:" + port) && text.contains("yes"), text);
        }
    }

    // ------------------------------------------------------------------ restart and expiry

    @Test
    void shouldKeepBindingsAcrossARestartAndExpireThemOnTime() throws Exception {
        Path state = tempDir();
        Path file = state.resolve("var/lib/bindings.txt");
        try {
            String[] overrides = with(REGISTRAR, "registrar.bindings_file=" + file);
            long shortExpiresAt;
            try (E2eGateway first = E2eGateway.start(Gateway.Options.defaults(), overrides)) {
                String two = contact("<sip:gina@127.0.0.1:5080>;expires=600") + "\n"
                        + contact("<sip:gina@127.0.0.1:5081>;expires=8");
                SippRunner.Result r = register(first, "gina", "gina-pw", 200, two, "600", "reg-gina", 1, "");
                assertTrue(r.succeeded(), r::toString);
                List<Binding> b = first.gateway.registrar().snapshot().contactsOf("gina", System.currentTimeMillis());
                assertEquals(2, b.size(), b::toString);
                shortExpiresAt = b.stream().filter(x -> x.contactUri().endsWith(":5081")).findFirst().orElseThrow()
                        .expiresAtMillis();
            }
            assertTrue(Files.readString(file).contains("sip:gina@127.0.0.1:5080"), "saved at shutdown");
            try (E2eGateway second = E2eGateway.start(Gateway.Options.defaults(), overrides)) {
                List<String> restored = contacts(second, "gina");
                assertTrue(restored.contains("sip:gina@127.0.0.1:5080"), restored::toString);
                String text = new CtlCommands(second.gateway.model(), second.gateway.control(),
                        second.gateway.registrar()).execute(List.of("show", "registrations"), false).body();
                assertTrue(text.contains("sip:gina@127.0.0.1:5080"), text);
                // the 8 s binding lapses on time: gone by its expiry plus one tick and some slack
                long deadline = shortExpiresAt + 3_000;
                while (contacts(second, "gina").contains("sip:gina@127.0.0.1:5081")
                        && System.currentTimeMillis() < deadline + 2_000) {
                    assertTrue(System.currentTimeMillis() < shortExpiresAt + 100, "still listed after its expiry");
                    Thread.sleep(50);
                }
                assertEquals(List.of("sip:gina@127.0.0.1:5080"), contacts(second, "gina"));
                long waitSave = System.currentTimeMillis() + 5_000;
                while (Files.readString(file).contains(":5081") && System.currentTimeMillis() < waitSave) {
                    Thread.sleep(100);
                }
                assertFalse(Files.readString(file).contains(":5081"), "the lapsed binding leaves the file too");
                assertTrue(Files.readString(file).contains(":5080"));
            }
        } finally {
            Scenarios.deleteTree(state);
        }
    }

    // ------------------------------------------------------------------ helpers

    private SippRunner.Result register(String user, String password, int finalStatus, String contactLines,
            String expires, String callId, int cseq, String checks, String... more) {
        return register(gw, user, password, finalStatus, contactLines, expires, callId, cseq, checks, more);
    }

    static SippRunner.Result register(E2eGateway g, String user, String password, int finalStatus,
            String contactLines, String expires, String callId, int cseq, String checks, String... more) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("FINAL", Integer.toString(finalStatus));
        values.put("CONTACT", contactLines);
        values.put("CHECKS", checks);
        List<String> refs = new ArrayList<>();
        Matcher m = Pattern.compile("assign_to=\"(\\w+)\"").matcher(checks);
        while (m.find()) {
            refs.add("," + m.group(1));
        }
        values.put("REFS", String.join("", refs));
        return SippRunner.scenario(Scenarios.fill("register.xml", values)).to(SippRunner.LOOPBACK, g.sipPort)
                .option("-key", "dom", "127.0.0.1").option("-key", "aor", user).option("-cid_str", callId)
                .option("-key", "cseq1", Integer.toString(cseq)).option("-key", "cseq2", Integer.toString(cseq + 1))
                .option("-key", "expires", expires).option("-au", user).option("-ap", password).option(more).run();
    }

    private static String contact(String value) {
        return "      Contact: " + value;
    }

    /** An ereg that the final response's Contact matches. */
    private static String checks(String contactRegexp) {
        return check("Contact:", contactRegexp, "contact") + "\n"
                + check("Date:", "GMT", "date");
    }

    private static String check(String header, String regexp, String var) {
        return "      <ereg regexp=\"" + regexp.replace("<", "&lt;").replace(">", "&gt;") + "\" search_in=\"hdr\""
                + " header=\"" + header + "\" check_it=\"true\" assign_to=\"" + var + "\"/>";
    }

    private List<Binding> bindings(String user) {
        return gw.gateway.registrar().snapshot().contactsOf(user, System.currentTimeMillis());
    }

    private static List<String> contacts(E2eGateway g, String user) {
        return g.gateway.registrar().snapshot().contactsOf(user, System.currentTimeMillis()).stream()
                .map(Binding::contactUri).toList();
    }

    private Binding only(String user) {
        List<Binding> b = bindings(user);
        assertEquals(1, b.size(), b::toString);
        return b.get(0);
    }

    private String ctl(String... words) {
        List<String> w = new ArrayList<>(List.of(words));
        boolean json = w.remove("--json");
        CtlCommands.Response r = new CtlCommands(gw.gateway.model(), gw.gateway.control(), gw.gateway.registrar())
                .execute(w, json);
        assertTrue(r.ok(), r::body);
        return r.body();
    }

    private String registerText(int port, int cseq, String authorization) {
        return "REGISTER sip:127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bK-sha" + cseq + "-"
                + ThreadLocalRandom.current().nextInt(1_000_000) + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:frank@127.0.0.1>;tag=f1\r\n"
                + "To: <sip:frank@127.0.0.1>\r\n"
                + "Call-ID: sha256-frank@192.0.2.50\r\n"
                + "CSeq: " + cseq + " REGISTER\r\n"
                + "Contact: <sip:frank@192.0.2.50:5099>;expires=120\r\n"
                + "Supported: path\r\n"
                + "Path: <sip:edge.example.net;lr>\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "User-Agent: hand-built\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** Sends a request and returns the first final response (skipping 1xx). */
    private String send(DatagramSocket s, String request) throws IOException {
        byte[] out = request.getBytes(StandardCharsets.US_ASCII);
        s.send(new DatagramPacket(out, out.length, InetAddress.getByName("127.0.0.1"), gw.sipPort));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
            s.receive(p);
            String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
            if (!text.startsWith("SIP/2.0 1")) {
                return text;
            }
        }
        throw new AssertionError("no final response to " + request);
    }

    private static String param(String challenge, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(challenge);
        assertTrue(m.find(), challenge);
        return m.group(1);
    }

    private static String sha256(String s) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static int countMatches(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static String[] with(String[] base, String more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + 1);
        all[base.length] = more;
        return all;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("tandem-registrar-e2e");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
