package org.tandem.gateway.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a sipp watcher scenario from {@code e2e/subscribe.xml}: the authenticated SUBSCRIBE,
 * then the steps added here in order (NOTIFYs that must match at once, NOTIFYs awaited until one
 * matches, a refresh, an unsubscribe, the expiry NOTIFY). Every wait is bounded by sipp's
 * {@code -timeout}.
 */
final class WatcherScenario {
    private static final String OK_TO_NOTIFY = """
              <send>
                <![CDATA[

                  SIP/2.0 200 OK
                  [last_Via:]
                  [last_From:]
                  [last_To:]
                  [last_Call-ID:]
                  [last_CSeq:]
                  Content-Length: 0

                ]]>
              </send>
            """;

    private final List<String> okChecks = new ArrayList<>();
    private final StringBuilder after = new StringBuilder();
    private final List<String> vars = new ArrayList<>();
    private int status = 200;
    private String contact = "[local_ip]:[local_port]";
    private int label;
    private long cseq = 3;

    /** The answer the authenticated SUBSCRIBE must get (200 unless set). */
    WatcherScenario status(int finalStatus) {
        this.status = finalStatus;
        return this;
    }

    /** The host:port the SUBSCRIBEs' Contact names (sipp's own by default). */
    WatcherScenario contact(String hostPort) {
        this.contact = hostPort;
        return this;
    }

    /** A header of the SUBSCRIBE's final response must match. */
    WatcherScenario okHeader(String header, String regexp) {
        String v = var();
        okChecks.add(ereg(regexp, "hdr", header, true, v));
        return this;
    }

    /** The next NOTIFY's body must match {@code bodyRegexp} (and its Subscription-State {@code stateRegexp}). */
    WatcherScenario notifyNow(String bodyRegexp, String stateRegexp) {
        String b = var();
        String s = var();
        after.append("  <recv request=\"NOTIFY\">\n    <action>\n")
                .append(ereg(bodyRegexp, "body", null, true, b)).append('\n')
                .append(ereg(stateRegexp, "hdr", "Subscription-State:", true, s)).append("\n    </action>\n  </recv>\n")
                .append(OK_TO_NOTIFY);
        return this;
    }

    /** NOTIFYs are answered 200 until one whose body matches {@code bodyRegexp}. */
    WatcherScenario awaitNotify(String bodyRegexp) {
        int loop = ++label;
        int done = ++label;
        String m = var();
        after.append("  <label id=\"").append(loop).append("\"/>\n")
                .append("  <recv request=\"NOTIFY\">\n    <action>\n")
                .append(ereg(bodyRegexp, "body", null, false, m)).append("\n    </action>\n  </recv>\n")
                .append(OK_TO_NOTIFY.replace("<send>", "<send next=\"" + done + "\" test=\"" + m + "\">"))
                .append("  <nop next=\"").append(loop).append("\"/>\n")
                .append("  <label id=\"").append(done).append("\"/>\n");
        return this;
    }

    /** A re-SUBSCRIBE in the dialog (challenged, then authenticated) with {@code expires}; 200 then NOTIFY. */
    WatcherScenario resubscribe(String expires, String okExpiresRegexp, String stateRegexp) {
        inDialogSubscribe(expires, cseq++);
        after.append("  <recv response=\"401\" auth=\"true\"/>\n");
        inDialogSubscribe(expires, cseq++).append("  <recv response=\"200\">\n    <action>\n")
                .append(ereg(okExpiresRegexp, "hdr", "Expires:", true, var())).append("\n    </action>\n  </recv>\n");
        String s = var();
        after.append("  <recv request=\"NOTIFY\">\n    <action>\n")
                .append(ereg(stateRegexp, "hdr", "Subscription-State:", true, s)).append("\n    </action>\n  </recv>\n")
                .append(OK_TO_NOTIFY);
        return this;
    }

    /** Expires: 0 in the dialog: 200, then the final NOTIFY terminated. */
    WatcherScenario unsubscribe() {
        return resubscribe("0", "^ *0$", "terminated");
    }

    /** The subscription lapses: the NOTIFY with terminated;reason=timeout. */
    WatcherScenario awaitExpiry() {
        String s = var();
        after.append("  <recv request=\"NOTIFY\">\n    <action>\n")
                .append(ereg("terminated;reason=timeout", "hdr", "Subscription-State:", true, s))
                .append("\n    </action>\n  </recv>\n").append(OK_TO_NOTIFY);
        return this;
    }

    Path write() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("STATUS", Integer.toString(status));
        values.put("RRS", status == 200 ? " rrs=\"true\"" : "");
        values.put("OKCHECKS", String.join("\n", okChecks));
        values.put("AFTER", after + (vars.isEmpty() ? "" : "  <Reference variables=\"" + String.join(",", vars) + "\"/>\n"));
        values.put("CONTACT", contact); // after AFTER, whose in-dialog SUBSCRIBEs name it too
        return Scenarios.fill("subscribe.xml", values);
    }

    private StringBuilder inDialogSubscribe(String expires, long n) {
        return after.append("""
                  <send retrans="500">
                    <![CDATA[

                      SUBSCRIBE [next_url] SIP/2.0
                      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                      Max-Forwards: 70
                      From: <sip:[sub]@[dom]>;tag=[pid]sub[call_number]
                      To: <sip:[res]@[dom]>[peer_tag_param]
                      Call-ID: [call_id]
                      CSeq: %d SUBSCRIBE
                      Contact: <sip:[sub]@@CONTACT@;transport=[transport]>
                      Event: [event]
                      Expires: %s
                %s      Content-Length: 0

                    ]]>
                  </send>
                """.formatted(n, expires, n % 2 == 0 ? "      [authentication]\n" : ""));
    }

    private String var() {
        String v = "v" + (vars.size() + 1);
        vars.add(v);
        return v;
    }

    private static String ereg(String regexp, String in, String header, boolean check, String var) {
        String r = regexp.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        return "      <ereg regexp=\"" + r + "\" search_in=\"" + in + "\"" + (header == null ? "" : " header=\"" + header + "\"")
                + " check_it=\"" + check + "\" assign_to=\"" + var + "\"/>";
    }
}
