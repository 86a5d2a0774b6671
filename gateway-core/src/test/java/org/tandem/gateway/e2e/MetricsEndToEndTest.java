package org.tandem.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tandem.tdm.SpanAlarms;
import org.junit.jupiter.api.TestInstance;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.metrics.ExpositionParser;
import org.tandem.gateway.sip.testing.SippRunner;
import org.tandem.gateway.snmp.NetSnmp;

/**
 * The Prometheus endpoint of a real gateway on the simulated spans after real sipp calls from the
 * trunk {@code local}: two answered calls (milliwatt line 1004, one of them scraped while up) and
 * one busy (1486: cause 17, SIP 486). Each scrape is a real HTTP GET (java.net.http), parsed whole
 * by the strict {@link ExpositionParser} and by {@code promtool check metrics} where installed; the
 * figures must be what happened (3 attempts, ASR 2/3, NER 1, cause 17 once, one RTP histogram
 * observation per call with media). Then snmpwalk reads the same outcomes from
 * TANDEM-GATEWAY-MIB's tgSipStatusTable and tgSpanCallTable. Last, a red alarm on span 2 shows in
 * the span metrics and as unavailable seconds in DS1-MIB's dsx1CurrentTable, and a phone's REGISTER
 * (digest-challenged, then accepted) in the registrar metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsEndToEndTest extends AbstractEndToEndTest {
    private static final int METRICS_PORT = SippRunner.freePort();
    private static final int SNMP_PORT = SippRunner.freePort();
    private static final String TRUNK = "local";
    private static final int RTP_LOST = 21;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    MetricsEndToEndTest() {
        super(Gateway.Options.defaults(), "metrics.listen=127.0.0.1:" + METRICS_PORT,
                "snmp.listen=127.0.0.1:" + SNMP_PORT, "user.ivy.password=ivy-pw", "registrar.algorithms=md5");
    }

    @Test
    @Order(1)
    void shouldCountWhatHappenedToRealCalls() throws Exception {
        Map<String, ExpositionParser.Family> before = scrape();
        assertEquals(0.0, ExpositionParser.value(before, "tandem_call_attempts_total", "direction", "sip->pstn"));
        assertEquals(1.0, ExpositionParser.value(before, "tandem_span_dchannel_up", "span", "1"));
        assertEquals(1.0, ExpositionParser.value(before, "tandem_gateway_state", "state", "running"));

        // an answered call, scraped while it is up
        SippRunner.Sipp live = gw.uac(Scenarios.file("call.xml"), "1004", rtp.port()).option("-d", "2500").start();
        awaitAnswered();
        Map<String, ExpositionParser.Family> during = scrape();
        assertEquals(1.0, ExpositionParser.value(during, "tandem_calls", "state", "answered"));
        assertEquals(1.0, sum(during, "tandem_span_channels", "state", "busy"), "one B-channel busy");
        rtp.play(awaitStream(), new byte[160 * 40]);          // 0.8 s of audio to the gateway
        assertTrue(live.await().succeeded());
        assertTrue(gw.awaitIdle(5_000));

        rtp.clear();
        SippRunner.Sipp second = gw.uac(Scenarios.file("call.xml"), "1004", rtp.port()).option("-d", "1500").start();
        rtp.play(awaitStream(), new byte[160 * 25]);          // 0.5 s
        assertTrue(second.await().succeeded());
        assertTrue(gw.uac(Scenarios.fill("rejected.xml", Map.of("STATUS", "486", "CAUSE", "17")), "1486",
                rtp.port()).run().succeeded());
        assertTrue(gw.awaitIdle(5_000));
        // the CDR writer and the counters follow the release by a moment: wait (bounded) for both
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String[]> cdrs = gw.cdrs();
        Map<String, ExpositionParser.Family> f = scrape();
        while ((cdrs.size() < 3 || ExpositionParser.value(f, "tandem_trunk_calls_total", "trunk", TRUNK) == null
                || ExpositionParser.value(f, "tandem_trunk_calls_total", "trunk", TRUNK) < 3)
                && System.nanoTime() - deadline < 0) {
            Thread.sleep(50);
            cdrs = gw.cdrs();
            f = scrape();
        }
        assertEquals(3, cdrs.size());
        assertEquals(3.0, ExpositionParser.value(f, "tandem_call_attempts_total", "direction", "sip->pstn"));
        assertEquals(2.0, ExpositionParser.value(f, "tandem_calls_answered_total", "direction", "sip->pstn"));
        assertEquals(1.0, ExpositionParser.value(f, "tandem_calls_failed_total", "direction", "sip->pstn"));
        assertEquals(1.0, ExpositionParser.value(f, "tandem_calls_ended_total", "cause", "17"));
        assertEquals(2.0, ExpositionParser.value(f, "tandem_calls_ended_total", "cause", "16"));
        assertEquals(1.0, ExpositionParser.value(f, "tandem_calls_sip_status_total", "status", "486"));
        assertEquals(2.0, ExpositionParser.value(f, "tandem_calls_sip_status_total", "status", "200"));
        assertEquals(2.0 / 3, ExpositionParser.value(f, "tandem_asr_ratio"), 1e-9);
        assertEquals(1.0, ExpositionParser.value(f, "tandem_ner_ratio"), "busy is the user's doing: NER 3/3");
        assertEquals(3.0, ExpositionParser.value(f, "tandem_trunk_calls_total", "trunk", TRUNK));
        assertEquals(2.0, ExpositionParser.value(f, "tandem_trunk_calls_answered_total", "trunk", TRUNK));
        assertEquals(3.0, ExpositionParser.value(f, "tandem_trunk_calls_effective_total", "trunk", TRUNK));
        assertEquals(2.0 / 3, ExpositionParser.value(f, "tandem_trunk_asr_ratio", "trunk", TRUNK), 1e-9);
        assertEquals(1.0, ExpositionParser.value(f, "tandem_trunk_calls_ended_total", "trunk", TRUNK, "cause", "17"));
        assertEquals(1.0, ExpositionParser.value(f, "tandem_trunk_calls_sip_status_total", "trunk", TRUNK,
                "status", "486"));
        // per span: each call on the span of its CDR
        for (String span : new String[] {"1", "2"}) {
            long onSpan = cdrs.stream().filter(c -> c[E2eGateway.SPAN].equals(span)).count();
            Double v = ExpositionParser.value(f, "tandem_span_calls_total", "span", span);
            assertEquals(onSpan, v == null ? 0 : v.longValue(), "calls on span " + span);
        }
        assertEquals(0.0, ExpositionParser.value(f, "tandem_calls", "state", "answered"));
        assertEquals(0.0, sum(f, "tandem_span_channels", "state", "busy"));
        // one histogram observation per call that had media, as its CDR says
        long withMedia = cdrs.stream().filter(c -> Long.parseLong(c[E2eGateway.RTP_RECEIVED])
                + Math.max(0, Long.parseLong(c[RTP_LOST])) > 0).count();
        assertEquals(2, withMedia, "the two answered calls had media, the busy one none");
        assertEquals((double) withMedia, ExpositionParser.value(f, "tandem_rtp_jitter_seconds_count"));
        assertEquals((double) withMedia, ExpositionParser.value(f, "tandem_rtp_loss_ratio_count"));
        long received = cdrs.stream().mapToLong(c -> Long.parseLong(c[E2eGateway.RTP_RECEIVED])).sum();
        assertEquals((double) received, ExpositionParser.value(f, "tandem_rtp_packets_received_total"));
        assertEquals(0.0, ExpositionParser.value(f, "tandem_calls_rejected_overload_total"));

        // B-channel octets: 8000 a second each way while a call is up (4 s of answered calls in all)
        double in = sum(f, "tandem_span_octets_total", "direction", "in");
        double out = sum(f, "tandem_span_octets_total", "direction", "out");
        assertTrue(in >= 8000 && out >= 8000, "octets in " + in + ", out " + out);

        snmpShouldShowTheSameOutcomes(cdrs);
        // IF-MIB: the same octets (no call is up, so they stand still)
        for (String span : new String[] {"1", "2"}) {
            NetSnmp.Result hc = NetSnmp.run(NetSnmp.v2c("snmpget", "public", SNMP_PORT,
                    ".1.3.6.1.2.1.31.1.1.1.6." + span, ".1.3.6.1.2.1.31.1.1.1.10." + span));
            assertEquals(0, hc.exit(), hc.err());
            long promIn = ExpositionParser.value(f, "tandem_span_octets_total", "span", span, "direction", "in")
                    .longValue();
            long promOut = ExpositionParser.value(f, "tandem_span_octets_total", "span", span, "direction", "out")
                    .longValue();
            assertTrue(hc.out().contains(".1.3.6.1.2.1.31.1.1.1.6." + span + " = Counter64: " + promIn), hc.out());
            assertTrue(hc.out().contains(".1.3.6.1.2.1.31.1.1.1.10." + span + " = Counter64: " + promOut), hc.out());
        }
    }

    private void snmpShouldShowTheSameOutcomes(List<String[]> cdrs) throws Exception {
        NetSnmp.Result status = NetSnmp.run(NetSnmp.v2c("snmpwalk", "public", SNMP_PORT,
                ".1.3.6.1.4.1.99999.2.1.4.5"));
        assertEquals(0, status.exit(), status.err());
        assertTrue(status.out().contains(".1.3.6.1.4.1.99999.2.1.4.5.1.2.200 = Counter64: 2"), status.out());
        assertTrue(status.out().contains(".1.3.6.1.4.1.99999.2.1.4.5.1.2.486 = Counter64: 1"), status.out());
        NetSnmp.Result spans = NetSnmp.run(NetSnmp.v2c("snmpwalk", "public", SNMP_PORT,
                ".1.3.6.1.4.1.99999.2.1.4.6"));
        assertEquals(0, spans.exit(), spans.err());
        String busySpan = cdrs.stream().filter(c -> c[E2eGateway.Q850].equals("17")).findFirst()
                .orElseThrow()[E2eGateway.SPAN];
        long ended = cdrs.stream().filter(c -> c[E2eGateway.SPAN].equals(busySpan)).count();
        long answered = cdrs.stream().filter(c -> c[E2eGateway.SPAN].equals(busySpan)
                && c[E2eGateway.DISPOSITION].equals("ANSWERED")).count();
        String out = spans.out();
        assertTrue(out.contains(".1.3.6.1.4.1.99999.2.1.4.6.1.1." + busySpan + " = Counter64: " + ended), out);
        assertTrue(out.contains(".1.3.6.1.4.1.99999.2.1.4.6.1.2." + busySpan + " = Counter64: " + answered), out);
        assertTrue(out.contains(".1.3.6.1.4.1.99999.2.1.4.6.1.4." + busySpan + " = Gauge32: "
                + answered * 10_000 / ended), out);
        assertTrue(out.contains(".1.3.6.1.4.1.99999.2.1.4.6.1.5." + busySpan + " = Gauge32: 10000"), "NER " + out);
        // gateway-wide ASR 2/3 and NER 3/3 in basis points
        NetSnmp.Result ratios = NetSnmp.run(NetSnmp.v2c("snmpget", "public", SNMP_PORT,
                ".1.3.6.1.4.1.99999.2.1.4.3.0", ".1.3.6.1.4.1.99999.2.1.4.4.0",
                ".1.3.6.1.4.1.99999.2.1.4.2.1.2.17"));
        assertTrue(ratios.out().contains("Gauge32: 6666"), ratios.out());
        assertTrue(ratios.out().contains("Gauge32: 10000"), ratios.out());
        assertTrue(ratios.out().contains(".1.3.6.1.4.1.99999.2.1.4.2.1.2.17 = Counter64: 1"), ratios.out());
    }

    @Test
    @Order(3)
    void shouldCountARedAlarmInTheSpanMetricsAndTheDs1CurrentInterval() throws Exception {
        gw.gateway.simCard().raiseAlarm(2, SpanAlarms.RED);
        try {
            Map<String, ExpositionParser.Family> f = scrape();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ExpositionParser.value(f, "tandem_span_alarm", "span", "2", "alarm", "red") != 1.0
                    && System.nanoTime() - deadline < 0) {
                Thread.sleep(50);
                f = scrape();
            }
            assertEquals(1.0, ExpositionParser.value(f, "tandem_span_alarm", "span", "2", "alarm", "red"));
            assertEquals(0.0, ExpositionParser.value(f, "tandem_span_in_service", "span", "2"));
            assertEquals(1.0, ExpositionParser.value(f, "tandem_span_in_service", "span", "1"));
            assertEquals(0.0, ExpositionParser.value(f, "tandem_span_alarm", "span", "1", "alarm", "red"));
            // DS1-MIB: the seconds in alarm become unavailable and severely errored framing seconds
            long uas = 0;
            String out = "";
            while (uas < 2 && System.nanoTime() - deadline < 0) {
                Thread.sleep(200);
                NetSnmp.Result r = NetSnmp.run(NetSnmp.v2c("snmpwalk", "public", SNMP_PORT, ".1.3.6.1.2.1.10.18.7"));
                assertEquals(0, r.exit(), r.err());
                out = r.out();
                uas = gauge(out, ".1.3.6.1.2.1.10.18.7.1.5.2");        // dsx1CurrentUASs.2
            }
            assertTrue(uas >= 2, "dsx1CurrentUASs.2 counts the alarm: " + out);
            assertTrue(gauge(out, ".1.3.6.1.2.1.10.18.7.1.4.2") >= 2, "dsx1CurrentSEFSs.2: " + out);
            assertEquals(0, gauge(out, ".1.3.6.1.2.1.10.18.7.1.5.1"), "span 1 had no alarm: " + out);
            NetSnmp.Result cfg = NetSnmp.run(NetSnmp.v2c("snmpget", "public", SNMP_PORT,
                    ".1.3.6.1.2.1.10.18.6.1.4.2", ".1.3.6.1.2.1.10.18.9.1.5.2"));
            assertTrue(cfg.out().contains(".1.3.6.1.2.1.10.18.6.1.4.2 = INTEGER: 0"),
                    "no completed interval yet: " + cfg.out());
            assertTrue(cfg.out().contains(".1.3.6.1.2.1.10.18.9.1.5.2 = Gauge32: 0"),
                    "dsx1TotalUASs: the current interval is not in the total: " + cfg.out());
        } finally {
            gw.gateway.simCard().clearAlarms(2);
        }
        assertTrue(gw.awaitSpansUp(15_000), "span 2 back after the alarm");
    }

    @Test
    @Order(4)
    void shouldShowAPhoneRegisteringInTheRegistrarMetrics() throws Exception {
        Map<String, ExpositionParser.Family> before = scrape();
        assertEquals(1.0, ExpositionParser.value(before, "tandem_registrar_users"));
        assertEquals(0.0, ExpositionParser.value(before, "tandem_registrar_bindings"));
        int phonePort = SippRunner.freePort();
        Map<String, String> reg = new java.util.LinkedHashMap<>();
        reg.put("FINAL", "200");
        reg.put("CONTACT", "      Contact: <sip:ivy@127.0.0.1:" + phonePort + ">");
        reg.put("CHECKS", "");
        reg.put("REFS", "");
        SippRunner.Result r = SippRunner.scenario(Scenarios.fill("register.xml", reg)).to(SippRunner.LOOPBACK,
                gw.sipPort).localPort(phonePort).option("-key", "dom", "127.0.0.1").option("-key", "aor", "ivy")
                .option("-cid_str", "reg-ivy").option("-key", "cseq1", "1").option("-key", "cseq2", "2")
                .option("-key", "expires", "600").option("-au", "ivy").option("-ap", "ivy-pw").run();
        assertTrue(r.succeeded(), r::toString);
        Map<String, ExpositionParser.Family> f = scrape();
        assertEquals(1.0, ExpositionParser.value(f, "tandem_registrar_registered_users"));
        assertEquals(1.0, ExpositionParser.value(f, "tandem_registrar_bindings"));
        assertEquals(1.0, ExpositionParser.value(f, "tandem_registrar_requests_total", "outcome", "challenged"));
        assertEquals(1.0, ExpositionParser.value(f, "tandem_registrar_requests_total", "outcome", "accepted"));
        assertEquals(0.0, ExpositionParser.value(f, "tandem_registrar_requests_total", "outcome", "auth_failed"));
    }

    private static long gauge(String walk, String oid) {
        return walk.lines().filter(l -> l.startsWith(oid + " = Gauge32: ")).findFirst()
                .map(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).orElse(-1L);
    }

    @Test
    @Order(2)
    void shouldAnswerOnlyGetAndHeadOnMetrics() throws Exception {
        HttpResponse<String> other = http.send(HttpRequest.newBuilder(uri("/other")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, other.statusCode());
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + METRICS_PORT + path);
    }

    /** GET /metrics; checks status, content type, the strict parse and promtool; returns the families. */
    private Map<String, ExpositionParser.Family> scrape() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/metrics")).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        Map<String, ExpositionParser.Family> families = ExpositionParser.parse(r.body());
        promtool(r.body());
        return families;
    }

    private static void promtool(String text) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            return;                                        // the strict parser has checked it
        }
        try (var in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "promtool check metrics: " + out);
    }

    private static double sum(Map<String, ExpositionParser.Family> f, String name, String label, String value) {
        ExpositionParser.Family fam = f.get(name);
        assertNotNull(fam, name);
        return fam.samples().stream().filter(s -> value.equals(s.labels().get(label)))
                .mapToDouble(ExpositionParser.Sample::value).sum();
    }

    /** The gateway RTP port of the call whose RTP the peer receives (the only one). */
    private int awaitStream() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (rtp.streams().isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no RTP from the gateway within 5 s of the call");
            }
            Thread.sleep(10);
        }
        return rtp.streams().keySet().iterator().next();
    }

    private void awaitAnswered() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (gw.gateway.model().snapshot().activeCalls().stream().noneMatch(c -> c.call().answered())) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no answered call within 5 s");
            }
            Thread.sleep(20);
        }
    }
}
