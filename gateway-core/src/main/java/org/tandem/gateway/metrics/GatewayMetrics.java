package org.tandem.gateway.metrics;

import java.util.Map;
import org.tandem.gateway.metrics.ExpositionWriter.Type;
import org.tandem.gateway.ops.CallCounters;
import org.tandem.gateway.ops.CallDirection;
import org.tandem.gateway.ops.CallOutcomes;
import org.tandem.gateway.ops.ChannelStatus;
import org.tandem.gateway.ops.ChannelView;
import org.tandem.gateway.ops.GatewayModel;
import org.tandem.gateway.ops.GatewaySnapshot;
import org.tandem.gateway.ops.GatewayState;
import org.tandem.gateway.ops.SpanOctets;
import org.tandem.gateway.ops.SpanView;
import org.tandem.gateway.ops.TrunkRegistrationView;
import org.tandem.gateway.registrar.LocationSnapshot;
import org.tandem.gateway.registrar.RegistrarCounters;
import org.tandem.gateway.registrar.RegistrarService;
import org.tandem.tdm.SpanAlarms;

/**
 * Renders the ops model as Prometheus metrics (the list is in docs/OPERATIONS.md "Metrics"). Reads
 * only the published snapshot and atomic counters, so a scrape never waits for call control and
 * call control never waits for a scrape. Names follow the Prometheus conventions: prefix
 * {@code tandem_}, counters end in {@code _total}, base units (seconds, ratios 0..1).
 */
public final class GatewayMetrics {
    private final GatewayModel model;
    private final String version;
    /** Null without {@code [user NAME]}s: the registrar families are then absent. */
    private final RegistrarService registrar;

    public GatewayMetrics(GatewayModel model, String version, RegistrarService registrar) {
        this.model = model;
        this.version = version;
        this.registrar = registrar;
    }

    /** The whole exposition, text format 0.0.4. */
    public String render() {
        ExpositionWriter w = new ExpositionWriter();
        GatewaySnapshot s = model.snapshot();
        CallCounters k = model.counters();
        CallOutcomes o = model.outcomes();
        long now = model.nowMillis();

        w.family("tandem_build_info", Type.GAUGE, "Always 1; the version label is the gateway's version.")
                .sample(1, "version", version);
        w.family("tandem_start_time_seconds", Type.GAUGE, "When the gateway process started, Unix time.")
                .sample(s.startedMillis() / 1000.0);
        w.family("tandem_gateway_state", Type.GAUGE, "1 for the gateway's current life-cycle state, 0 for the others.");
        for (GatewayState st : GatewayState.values()) {
            w.sample(st == s.state() ? 1 : 0, "state", st.name().toLowerCase(java.util.Locale.ROOT));
        }
        w.family("tandem_overloaded", Type.GAUGE, "1 while call admission refuses calls for lack of a resource"
                + " (a channel group or the RTP ports refused 3 calls in a row).").sample(s.overloaded() ? 1 : 0);

        int setup = 0;
        int answered = 0;
        for (ChannelView c : s.activeCalls()) {
            if (c.call().answered()) {
                answered++;
            } else {
                setup++;
            }
        }
        w.family("tandem_calls", Type.GAUGE, "Calls in progress on a B-channel, by state (setup: not answered yet).")
                .sample(setup, "state", "setup").sample(answered, "state", "answered");

        w.family("tandem_call_attempts_total", Type.COUNTER,
                "Call attempts accepted for processing (SETUP or INVITE); rate() of it is the CPS.");
        for (CallDirection d : CallDirection.values()) {
            w.sample(k.attempted(d), "direction", d.label());
        }
        w.family("tandem_calls_answered_total", Type.COUNTER, "Ended call attempts that were answered.");
        for (CallDirection d : CallDirection.values()) {
            w.sample(k.answered(d), "direction", d.label());
        }
        w.family("tandem_calls_failed_total", Type.COUNTER, "Ended call attempts that were never answered.");
        for (CallDirection d : CallDirection.values()) {
            w.sample(k.failed(d), "direction", d.label());
        }
        w.family("tandem_calls_ended_total", Type.COUNTER,
                "Ended call attempts by Q.850 release cause (0: none signalled); rows appear once used.");
        CallOutcomes.Group all = o.all();
        for (int c = 0; c < CallCounters.CAUSES; c++) {
            if (all.endedByCause(c) > 0) {
                w.sample(all.endedByCause(c), "cause", Integer.toString(c));
            }
        }
        w.family("tandem_calls_sip_status_total", Type.COUNTER,
                "Ended call attempts by the final SIP status of their SIP leg (0: none).");
        sipStatuses(w, all);
        w.family("tandem_calls_effective_total", Type.COUNTER, "Ended call attempts that count for NER: answered,"
                + " or ended by the called user (Q.850 17, 18, 19, 21).").sample(all.effective());
        w.family("tandem_asr_ratio", Type.GAUGE, "Answer seizure ratio of all ended attempts: answered / ended.")
                .sample(all.asr());
        w.family("tandem_ner_ratio", Type.GAUGE, "Network effectiveness ratio (ITU-T E.425): answered or ended by the"
                + " called user (Q.850 17, 18, 19, 21) / ended.").sample(all.ner());
        w.family("tandem_calls_rejected_overload_total", Type.COUNTER,
                "Calls refused while the gateway was overloaded (tandem_overloaded 1).").sample(k.rejectedOverload());
        w.family("tandem_calls_rejected_no_channel_total", Type.COUNTER,
                "Calls refused because no B-channel of the routed group was free (cause 34).")
                .sample(k.rejectedNoChannel());

        Map<String, CallOutcomes.Group> trunks = o.trunks();
        groupFamilies(w, "trunk", trunks);
        w.family("tandem_trunk_calls_ended_total", Type.COUNTER, "Ended attempts of a trunk by Q.850 cause.");
        for (Map.Entry<String, CallOutcomes.Group> e : trunks.entrySet()) {
            for (int c = 0; c < CallCounters.CAUSES; c++) {
                if (e.getValue().endedByCause(c) > 0) {
                    w.sample(e.getValue().endedByCause(c), "trunk", e.getKey(), "cause", Integer.toString(c));
                }
            }
        }
        w.family("tandem_trunk_calls_sip_status_total", Type.COUNTER,
                "Ended attempts of a trunk by the final SIP status of the SIP leg.");
        for (Map.Entry<String, CallOutcomes.Group> e : trunks.entrySet()) {
            for (int st = 0; st <= 699; st++) {
                if (e.getValue().endedBySipStatus(st) > 0) {
                    w.sample(e.getValue().endedBySipStatus(st), "trunk", e.getKey(), "status", Integer.toString(st));
                }
            }
        }

        Map<String, CallOutcomes.Group> spans = new java.util.LinkedHashMap<>();
        for (Map.Entry<Integer, CallOutcomes.Group> e : o.spans().entrySet()) {
            spans.put(Integer.toString(e.getKey()), e.getValue());
        }
        groupFamilies(w, "span", spans);
        w.family("tandem_span_calls_ended_total", Type.COUNTER, "Ended attempts that seized a B-channel of the span,"
                + " by Q.850 cause.");
        for (Map.Entry<String, CallOutcomes.Group> e : spans.entrySet()) {
            for (int c = 0; c < CallCounters.CAUSES; c++) {
                if (e.getValue().endedByCause(c) > 0) {
                    w.sample(e.getValue().endedByCause(c), "span", e.getKey(), "cause", Integer.toString(c));
                }
            }
        }

        spanState(w, s, model.spanOctets());

        w.family("tandem_rtp_packets_sent_total", Type.COUNTER, "RTP packets sent by finished calls.")
                .sample(k.rtpPacketsSent());
        w.family("tandem_rtp_packets_received_total", Type.COUNTER, "RTP packets received by finished calls.")
                .sample(k.rtpPacketsReceived());
        w.family("tandem_rtp_packets_lost_total", Type.COUNTER, "RTP packets lost (RFC 3550 cumulative loss) by"
                + " finished calls.").sample(k.rtpPacketsLost());
        histogram(w, "tandem_rtp_jitter_seconds", "RFC 3550 interarrival jitter of each finished call with media,"
                + " at its end.", o.jitter());
        histogram(w, "tandem_rtp_loss_ratio", "Fraction of RTP packets lost (lost / expected) of each finished call"
                + " with media.", o.loss());
        registrations(w, now);
        return w.toString();
    }

    private static void sipStatuses(ExpositionWriter w, CallOutcomes.Group g) {
        for (int st = 0; st <= 699; st++) {
            if (g.endedBySipStatus(st) > 0) {
                w.sample(g.endedBySipStatus(st), "status", Integer.toString(st));
            }
        }
    }

    /** The completed/answered/effective counters and ASR/NER gauges of trunks or spans. */
    private static void groupFamilies(ExpositionWriter w, String label, Map<String, CallOutcomes.Group> groups) {
        String p = "tandem_" + label + "_";
        w.family(p + "calls_total", Type.COUNTER, "Ended call attempts per " + label + ".");
        groups.forEach((n, g) -> w.sample(g.completed(), label, n));
        w.family(p + "calls_answered_total", Type.COUNTER, "Ended call attempts per " + label + " that were answered.");
        groups.forEach((n, g) -> w.sample(g.answered(), label, n));
        w.family(p + "calls_effective_total", Type.COUNTER, "Ended attempts per " + label + " that count for NER"
                + " (answered, or Q.850 17, 18, 19, 21).");
        groups.forEach((n, g) -> w.sample(g.effective(), label, n));
        w.family(p + "asr_ratio", Type.GAUGE, "Answer seizure ratio per " + label + ".");
        groups.forEach((n, g) -> w.sample(g.asr(), label, n));
        w.family(p + "ner_ratio", Type.GAUGE, "Network effectiveness ratio per " + label + " (ITU-T E.425).");
        groups.forEach((n, g) -> w.sample(g.ner(), label, n));
    }

    private static void spanState(ExpositionWriter w, GatewaySnapshot s, SpanOctets octets) {
        w.family("tandem_span_channels", Type.GAUGE, "B-channels of a span by state (idle, busy, blocked, alarm).");
        for (SpanView v : s.spans()) {
            for (ChannelStatus st : ChannelStatus.values()) {
                w.sample(v.count(st), "span", Integer.toString(v.number()),
                        "state", st.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        w.family("tandem_span_dchannel_up", Type.GAUGE, "1 while the span's D-channel (Q.921) is established.");
        for (SpanView v : s.spans()) {
            w.sample(v.dChannelUp() ? 1 : 0, "span", Integer.toString(v.number()));
        }
        w.family("tandem_span_in_service", Type.GAUGE, "1 while the span has no alarm that takes it out of service.");
        for (SpanView v : s.spans()) {
            w.sample(v.inService() ? 1 : 0, "span", Integer.toString(v.number()));
        }
        w.family("tandem_span_alarm", Type.GAUGE, "1 for each DAHDI alarm the span has now"
                + " (red, yellow, blue, loopback, recover, notopen).");
        for (SpanView v : s.spans()) {
            for (String[] a : ALARMS) {
                int bit = Integer.parseInt(a[1]);
                w.sample((v.alarms() & bit) != 0 ? 1 : 0, "span", Integer.toString(v.number()), "alarm", a[0]);
            }
        }
        w.family("tandem_span_octets_total", Type.COUNTER, "B-channel audio octets the gateway read from (direction"
                + " in) and wrote to (out) the span's channels (IF-MIB ifHCInOctets/ifHCOutOctets).");
        for (SpanView v : s.spans()) {
            w.sample(octets.in(v.number()), "span", Integer.toString(v.number()), "direction", "in");
            w.sample(octets.out(v.number()), "span", Integer.toString(v.number()), "direction", "out");
        }
        w.family("tandem_span_errored_seconds_total", Type.COUNTER, "Errored seconds the span's driver counted"
                + " (DAHDI errsec; 0 where the backend counts none).");
        for (SpanView v : s.spans()) {
            w.sample(v.errors().erroredSeconds(), "span", Integer.toString(v.number()));
        }
    }

    private static final String[][] ALARMS = {
        {"red", Integer.toString(SpanAlarms.RED)}, {"yellow", Integer.toString(SpanAlarms.YELLOW)},
        {"blue", Integer.toString(SpanAlarms.BLUE)}, {"loopback", Integer.toString(SpanAlarms.LOOPBACK)},
        {"recover", Integer.toString(SpanAlarms.RECOVER)}, {"notopen", Integer.toString(SpanAlarms.NOTOPEN)},
    };

    private static void histogram(ExpositionWriter w, String name, String help, CallOutcomes.Histogram h) {
        w.family(name, Type.HISTOGRAM, help);
        double[] b = h.bounds();
        long[] cum = h.cumulative();
        for (int i = 0; i < b.length; i++) {
            w.sample("_bucket", cum[i], "le", ExpositionWriter.number(b[i]));
        }
        w.sample("_bucket", cum[b.length], "le", "+Inf");
        w.sample("_sum", h.sum());
        w.sample("_count", cum[b.length]);
    }

    private void registrations(ExpositionWriter w, long now) {
        w.family("tandem_trunk_registered", Type.GAUGE, "1 while a trunk with register = yes is registered.");
        for (TrunkRegistrationView t : model.trunkRegistrations()) {
            w.sample(t.state() == TrunkRegistrationView.State.REGISTERED ? 1 : 0, "trunk", t.trunk());
        }
        if (registrar == null) {
            return;
        }
        LocationSnapshot loc = registrar.snapshot();
        RegistrarCounters r = registrar.counters();
        w.family("tandem_registrar_users", Type.GAUGE, "[user NAME] phones configured.")
                .sample(registrar.users().users().size());
        w.family("tandem_registrar_registered_users", Type.GAUGE, "Users with at least one live binding.")
                .sample(loc.registeredUsers(now));
        w.family("tandem_registrar_bindings", Type.GAUGE, "Live contact bindings.").sample(loc.bindingCount(now));
        w.family("tandem_registrar_requests_total", Type.COUNTER, "REGISTER requests by outcome.")
                .sample(r.accepted.get(), "outcome", "accepted").sample(r.queries.get(), "outcome", "query")
                .sample(r.challenged.get(), "outcome", "challenged")
                .sample(r.authFailures.get(), "outcome", "auth_failed").sample(r.refused.get(), "outcome", "refused");
    }
}
