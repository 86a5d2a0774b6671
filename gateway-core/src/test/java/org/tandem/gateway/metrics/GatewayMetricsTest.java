package org.tandem.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.ops.CallDirection;
import org.tandem.gateway.ops.GatewayModel;
import org.tandem.gateway.ops.TestModels;

/**
 * The rendering from a model with known contents, checked by the strict parser and, where Debian's
 * prometheus package is installed, by {@code promtool check metrics}; and the parser refuses what
 * the format forbids (so a passing parse means something).
 */
class GatewayMetricsTest {

    static GatewayModel modelWithOutcomes() {
        GatewayModel m = TestModels.twoSpansWithCalls(new AtomicLong(TestModels.T0));
        for (int i = 0; i < 3; i++) {
            m.counters().attempt(CallDirection.SIP_TO_PSTN);
        }
        m.counters().completed(CallDirection.SIP_TO_PSTN, true, 16);
        m.counters().completed(CallDirection.SIP_TO_PSTN, true, 16);
        m.counters().completed(CallDirection.SIP_TO_PSTN, false, 17);
        m.outcomes().completed("carrier \"a\"\\b", 1, true, 16, 200);
        m.outcomes().completed("carrier \"a\"\\b", 1, true, 16, 200);
        m.outcomes().completed("carrier \"a\"\\b", 2, false, 17, 486);
        m.outcomes().rtp(100, 0, 0.004);
        m.outcomes().rtp(90, 10, 0.040);
        return m;
    }

    @Test
    void shouldRenderTheModelAsAValidExpositionWithTheFiguresItHolds() {
        String text = new GatewayMetrics(modelWithOutcomes(), "1.2.3", null).render();
        Map<String, ExpositionParser.Family> f = ExpositionParser.parse(text);
        assertEquals(3.0, ExpositionParser.value(f, "tandem_trunk_calls_total", "trunk", "carrier \"a\"\\b"));
        assertEquals(2.0, ExpositionParser.value(f, "tandem_trunk_calls_answered_total", "trunk", "carrier \"a\"\\b"));
        assertEquals(2.0 / 3, ExpositionParser.value(f, "tandem_trunk_asr_ratio", "trunk", "carrier \"a\"\\b"), 1e-9);
        assertEquals(1.0, ExpositionParser.value(f, "tandem_trunk_ner_ratio", "trunk", "carrier \"a\"\\b"));
        assertEquals(1.0, ExpositionParser.value(f, "tandem_calls_ended_total", "cause", "17"));
        assertEquals(2.0, ExpositionParser.value(f, "tandem_calls_sip_status_total", "status", "200"));
        assertEquals(1.0, ExpositionParser.value(f, "tandem_span_calls_total", "span", "2"));
        assertEquals(0.0, ExpositionParser.value(f, "tandem_span_asr_ratio", "span", "2"));
        assertEquals(1.0, ExpositionParser.value(f, "tandem_calls", "state", "answered"));
        assertEquals(1.0, ExpositionParser.value(f, "tandem_calls", "state", "setup"));
        assertEquals(29.0, ExpositionParser.value(f, "tandem_span_channels", "span", "1", "state", "idle"));
        assertEquals(1.0, ExpositionParser.value(f, "tandem_build_info", "version", "1.2.3"));
        // loss 0 and 0.1; jitter 4 ms and 40 ms
        assertEquals(1.0, ExpositionParser.value(f, "tandem_rtp_loss_ratio_bucket", "le", "0"));
        assertEquals(2.0, ExpositionParser.value(f, "tandem_rtp_loss_ratio_bucket", "le", "0.1"));
        assertEquals(1.0, ExpositionParser.value(f, "tandem_rtp_jitter_seconds_bucket", "le", "0.005"));
        assertEquals(1.0, ExpositionParser.value(f, "tandem_rtp_jitter_seconds_bucket", "le", "0.03"));
        assertEquals(2.0, ExpositionParser.value(f, "tandem_rtp_jitter_seconds_bucket", "le", "0.05"));
        assertEquals(2.0, ExpositionParser.value(f, "tandem_rtp_jitter_seconds_count"));
        assertEquals(0.044, ExpositionParser.value(f, "tandem_rtp_jitter_seconds_sum"), 1e-12);
        assertEquals("counter", f.get("tandem_call_attempts_total").type());
        for (ExpositionParser.Family fam : f.values()) {
            assertTrue(fam.name().startsWith("tandem_"), fam.name());
            assertTrue(!fam.type().equals("counter") || fam.name().endsWith("_total"), fam.name());
            assertTrue(!fam.help().isEmpty(), fam.name() + " has a HELP text");
        }
    }

    @Test
    void shouldPassPromtoolCheckMetricsWhereInstalled() throws Exception {
        String text = new GatewayMetrics(modelWithOutcomes(), "1.2.3", null).render();
        Process p;
        try {
            p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.abort("promtool not installed (bin/setup-debian installs prometheus)");
            return;
        }
        try (var in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "promtool check metrics: " + out);
        assertEquals("", out.trim(), "no lint message");
    }

    @Test
    void parserShouldRefuseWhatTheFormatForbids() {
        String ok = "# HELP a_total x\n# TYPE a_total counter\na_total{l=\"v\"} 1\n";
        ExpositionParser.parse(ok);
        for (String bad : new String[] {
            "# HELP a_total x\n# TYPE a_total counter\na_total{l=\"v\"} 1",                     // no final LF
            "# TYPE a counter\na 1\n# TYPE b gauge\nb 1\na 2\n",                                // interleaved
            "# TYPE a gauge\na{l=\"x\\t\"} 1\n",                                               // bad escape
            "# TYPE a gauge\na 1\na 2\n",                                                      // same series twice
            "# TYPE a counter\na -1\n",                                                        // negative counter
            "# TYPE a gauge\na one\n",                                                         // bad value
            "# TYPE a gauge\n# TYPE a gauge\na 1\n",                                           // TYPE twice
            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n",
            "# TYPE a gauge\n1a 1\n",
        }) {
            assertThrows(IllegalArgumentException.class, () -> ExpositionParser.parse(bad), bad);
        }
    }
}
