package org.tandem.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tandem.config.validate.Key;
import org.tandem.config.validate.PatternKey;
import org.tandem.config.validate.Schema;
import org.tandem.config.validate.SectionSpec;

class ShippedConfigTest {

    static Stream<Path> shippedFiles() throws IOException {
        try (Stream<Path> examples = Files.list(TestConfigs.ROOT.resolve("conf/examples"))) {
            return Stream.concat(Stream.of(TestConfigs.ROOT.resolve("conf/tandem.ini")),
                    examples.filter(p -> p.toString().endsWith(".ini")).sorted().toList().stream());
        }
    }

    @ParameterizedTest
    @MethodSource("shippedFiles")
    void shouldAcceptEveryShippedFile(Path file) {
        LoadResult r = ConfigLoader.load(file, List.of(), TestConfigs.options(true));
        assertTrue(r.ok(), r::errorReport);
    }

    @Test
    void shouldShipADefaultThatRunsOnTheSimulatorWithoutHardwareOrSecrets() {
        LoadResult r = ConfigLoader.load(TestConfigs.ROOT.resolve("conf/tandem.ini"), List.of(),
                new LoadOptions(TestConfigs.ROOT, v -> null, p -> false));
        assertTrue(r.ok(), r::errorReport);
        GatewayConfig c = r.orThrow();
        assertEquals(GeneralConfig.Backend.SIM, c.general().backend());
        assertEquals(2, c.spans().size());
        assertTrue(c.spans().stream().allMatch(s -> s.type() == SpanConfig.Type.E1));
        assertEquals(new HostPort("127.0.0.1", 5060), c.sip().listen());
        assertEquals(new PortRange(20000, 29999), c.rtp().ports());
        assertEquals(new HostPort("127.0.0.1", 1161), c.snmp().listen());
        assertEquals(46, c.rtp().dscp());
        assertEquals(24, c.sip().dscp());
    }

    @Test
    void shouldRouteSip1004FromLoopbackToTheSimulatedMilliwattLine() throws Exception {
        GatewayConfig c = ConfigLoader.load(TestConfigs.ROOT.resolve("conf/tandem.ini"), List.of(),
                TestConfigs.options(false)).orThrow();
        assertEquals("1004", c.sim().milliwatt());
        RouteConfig route = c.routes(RouteConfig.Direction.SIP_TO_PSTN).stream()
                .filter(r -> r.matches("1004", "")).findFirst().orElseThrow();
        assertEquals(new RouteTarget(RouteTarget.Kind.GROUP, "pstn"), route.target());
        assertEquals("1004", route.called().apply("1004"));
        TrunkConfig from = c.trunks().get(route.fromTrunks().get(0));
        java.net.InetAddress loopback = java.net.InetAddress.getByName("127.0.0.1");
        java.net.InetAddress stranger = java.net.InetAddress.getByName("192.0.2.1");
        assertTrue(from.trusted().stream().anyMatch(n -> n.contains(loopback)));
        assertTrue(from.trusted().stream().noneMatch(n -> n.contains(stranger)));
        assertTrue(c.sim().spans().containsAll(c.groups().get("pstn").spans()));
    }

    @Test
    void shouldExplainEveryKeyOnceInTheDefaultFile() throws IOException {
        String text = Files.readString(TestConfigs.ROOT.resolve("conf/tandem.ini"));
        for (SectionSpec s : Schema.SECTIONS) {
            for (Key<?> k : s.keys()) {
                assertTrue(text.matches("(?s).*\\n;?" + k.name() + " =.*"),
                        "conf/tandem.ini does not show " + s.header() + " " + k.name());
            }
        }
    }

    @Test
    void shouldDocumentEverySectionAndKeyInConfigMd() throws IOException {
        String doc = Files.readString(TestConfigs.ROOT.resolve("docs/CONFIG.md"));
        for (SectionSpec s : Schema.SECTIONS) {
            assertTrue(doc.contains(s.header()), "docs/CONFIG.md has no " + s.header());
            for (Key<?> k : s.keys()) {
                assertTrue(doc.contains("`" + k.name() + "`"), "docs/CONFIG.md does not describe "
                        + s.header() + " " + k.name());
            }
            for (PatternKey<?> p : s.patternKeys()) {
                assertTrue(doc.contains(p.example().substring(0, p.example().indexOf(' '))),
                        "docs/CONFIG.md does not describe " + p.example());
            }
        }
    }
}
