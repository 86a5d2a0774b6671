package org.tandem.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * conf/grafana/tandem.json: valid JSON (a strict parser here), a Prometheus datasource variable
 * that every panel and query uses, every metric it queries is one the gateway serves (rendered
 * from a model, or a registrar family listed in docs/OPERATIONS.md), and every query is valid
 * PromQL ({@code promtool check rules} on the queries, where promtool is installed).
 */
class GrafanaDashboardTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).resolve("..").normalize();
    private static final Path DASHBOARD = ROOT.resolve("conf/grafana/tandem.json");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dashboard() throws IOException {
        return (Map<String, Object>) new Json(Files.readString(DASHBOARD)).document();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> targets(Map<String, Object> d) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object p : (List<Object>) d.get("panels")) {
            Object t = ((Map<String, Object>) p).get("targets");
            if (t != null) {
                for (Object x : (List<Object>) t) {
                    out.add((Map<String, Object>) x);
                }
            }
        }
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldUseADatasourceVariableInEveryPanelAndQuery() throws IOException {
        Map<String, Object> d = dashboard();
        List<Object> vars = (List<Object>) ((Map<String, Object>) d.get("templating")).get("list");
        Map<String, Object> ds = (Map<String, Object>) vars.stream()
                .filter(v -> "datasource".equals(((Map<String, Object>) v).get("name"))).findFirst().orElseThrow();
        assertEquals("datasource", ds.get("type"));
        assertEquals("prometheus", ds.get("query"));
        for (Object p : (List<Object>) d.get("panels")) {
            Map<String, Object> panel = (Map<String, Object>) p;
            if (panel.get("type").equals("row")) {
                continue;
            }
            assertEquals("${datasource}", ((Map<String, Object>) panel.get("datasource")).get("uid"), panel.get("title")
                    + "");
        }
        for (Map<String, Object> t : targets(d)) {
            assertEquals("${datasource}", ((Map<String, Object>) t.get("datasource")).get("uid"));
        }
    }

    @Test
    void shouldQueryOnlyMetricsTheGatewayServes() throws IOException {
        Set<String> served = ExpositionParser.parse(
                new GatewayMetrics(GatewayMetricsTest.modelWithOutcomes(), "t", null).render()).keySet();
        String ops = Files.readString(ROOT.resolve("docs/OPERATIONS.md"));
        Pattern name = Pattern.compile("tandem_[a-z_]+");
        Set<String> queried = new TreeSet<>();
        for (Map<String, Object> t : targets(dashboard())) {
            Matcher m = name.matcher((String) t.get("expr"));
            while (m.find()) {
                queried.add(m.group());
            }
        }
        assertFalse(queried.isEmpty());
        for (String q : queried) {
            String family = q.replaceAll("_(bucket|sum|count)$", "");
            boolean ok = served.contains(q) || served.contains(family)
                    || (q.startsWith("tandem_registrar_") && ops.contains("`" + q + "`"));
            assertTrue(ok, "the dashboard queries " + q + ", which the gateway does not serve");
        }
    }

    @Test
    void everyQueryShouldBeValidPromql() throws Exception {
        StringBuilder rules = new StringBuilder("groups:\n- name: dashboard\n  rules:\n");
        int n = 0;
        for (Map<String, Object> t : targets(dashboard())) {
            String e = ((String) t.get("expr")).replace("$__rate_interval", "1m").replace("$window", "15m")
                    .replace("$instance", ".*");
            rules.append("  - record: dashboard:expr").append(++n).append("\n    expr: '")
                    .append(e.replace("'", "''")).append("'\n");
        }
        Path file = Files.createTempFile("tandem-dashboard", ".yml");
        try {
            Files.writeString(file, rules);
            Process p;
            try {
                p = new ProcessBuilder("promtool", "check", "rules", file.toString()).redirectErrorStream(true).start();
            } catch (IOException e) {
                org.junit.jupiter.api.Assumptions.abort("promtool not installed (bin/setup-debian installs prometheus)");
                return;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
            assertTrue(out.contains("SUCCESS: " + n + " rules found"), out);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** A strict RFC 8259 reader: objects, arrays, strings with escapes, numbers, true/false/null. */
    private static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object document() {
            Object v = value();
            ws();
            if (i != s.length()) {
                throw error("text after the document");
            }
            return v;
        }

        private Object value() {
            ws();
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                ws();
                if (peek('}')) {
                    return m;
                }
                do {
                    ws();
                    String k = string();
                    ws();
                    expect(':');
                    if (m.put(k, value()) != null) {
                        throw error("duplicate key " + k);
                    }
                    ws();
                } while (peek(','));
                expect('}');
                return m;
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                ws();
                if (peek(']')) {
                    return l;
                }
                do {
                    l.add(value());
                    ws();
                } while (peek(','));
                expect(']');
                return l;
            }
            if (c == '"') {
                return string();
            }
            for (String lit : new String[] {"true", "false", "null"}) {
                if (s.startsWith(lit, i)) {
                    i += lit.length();
                    return lit.equals("null") ? null : Boolean.valueOf(lit);
                }
            }
            Matcher m = Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?").matcher(s).region(i, s.length());
            if (!m.lookingAt()) {
                throw error("bad value");
            }
            i = m.end();
            return Double.parseDouble(m.group());
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c < 0x20) {
                    throw error("control character in a string");
                }
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case '"', '\\', '/' -> b.append(e);
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'n' -> b.append('\n');
                        case 'r' -> b.append('\r');
                        case 't' -> b.append('\t');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> throw error("bad escape");
                    }
                } else {
                    b.append(c);
                }
            }
        }

        private void ws() {
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }

        private boolean peek(char c) {
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(DASHBOARD + ": " + what + " at offset " + i);
        }
    }
}
