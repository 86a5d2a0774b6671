package org.tandem.gateway.ctl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.tandem.gateway.cdr.CdrCsv;
import org.tandem.gateway.ops.ActiveCall;
import org.tandem.gateway.ops.CallCounters;
import org.tandem.gateway.ops.CallDirection;
import org.tandem.gateway.ops.ChannelRef;
import org.tandem.gateway.ops.ChannelView;
import org.tandem.gateway.ops.ChannelStatus;
import org.tandem.gateway.ops.GatewayControl;
import org.tandem.gateway.ops.GatewayModel;
import org.tandem.gateway.ops.GatewaySnapshot;
import org.tandem.gateway.ops.SpanView;
import org.tandem.gateway.ops.TrunkRegistrationView;
import org.tandem.gateway.presence.PresenceCounters;
import org.tandem.gateway.presence.PresenceService;
import org.tandem.gateway.presence.SubscriptionView;
import org.tandem.gateway.registrar.Binding;
import org.tandem.gateway.registrar.RegistrarCounters;
import org.tandem.gateway.registrar.RegistrarService;
import org.tandem.tdm.SpanAlarms;

/**
 * The console's commands: {@code show} ones read a {@link GatewayModel} snapshot, the others go
 * through {@link GatewayControl} and wait for its answer (bounded). Each returns a
 * {@link Response}: text for a terminal, or one JSON document with {@code --json}.
 */
public final class CtlCommands {
    /** How long an action may take in call control before the console gives up waiting. */
    static final long CONTROL_TIMEOUT_MILLIS = 10_000;

    static final String USAGE = String.join("\n",
            "commands:",
            "  show spans | show channels [SPAN] | show calls | show stats | show registrations | show trunks",
            "  show subscriptions",
            "  hangup CALL",
            "  block SPAN[/CHANNEL] | unblock SPAN[/CHANNEL]   (drain: calls up finish)",
            "  drain | undrain   (the whole gateway: new calls refused, calls up finish)",
            "  reload   (also: kill -HUP the gateway)",
            "  sim originate --from NUMBER --to NUMBER",
            "  sim alarm SPAN red|clear");

    private final GatewayModel model;
    private final GatewayControl control;
    /** Null when no registrar runs (no [user NAME] configured). */
    private final RegistrarService registrar;
    /** Null when presence does not run. */
    private final PresenceService presence;

    /** Outcome of one request. */
    public record Response(boolean ok, String body) {
    }

    public CtlCommands(GatewayModel model, GatewayControl control) {
        this(model, control, null);
    }

    /** @param registrar the registrar whose snapshot {@code show registrations} reads, or null */
    public CtlCommands(GatewayModel model, GatewayControl control, RegistrarService registrar) {
        this(model, control, registrar, null);
    }

    /** @param presence the presence thread whose views {@code show subscriptions} reads, or null */
    public CtlCommands(GatewayModel model, GatewayControl control, RegistrarService registrar,
            PresenceService presence) {
        this.model = model;
        this.control = control;
        this.registrar = registrar;
        this.presence = presence;
    }

    /** Runs one request line's words; {@code json} selects JSON output. */
    public Response execute(List<String> words, boolean json) {
        try {
            return dispatch(words, json);
        } catch (IllegalArgumentException e) {
            return error(e.getMessage(), json);
        }
    }

    private Response dispatch(List<String> w, boolean json) {
        String cmd = w.isEmpty() ? "" : w.get(0);
        switch (cmd) {
            case "show":
                String what = arg(w, 1, "show what? spans, channels, calls, stats, registrations, trunks or subscriptions");
                switch (what) {
                    case "spans":
                        return spans(json);
                    case "channels":
                        return channels(w.size() > 2 ? parseSpan(w.get(2)) : 0, json);
                    case "calls":
                        return calls(json);
                    case "stats":
                        return stats(json);
                    case "registrations":
                        return registrations(json);
                    case "trunks":
                        return trunks(json);
                    case "subscriptions":
                        return subscriptions(json);
                    default:
                        throw new IllegalArgumentException("unknown: show " + what + "\n" + USAGE);
                }
            case "hangup":
                return await(control.hangup(arg(w, 1, "hangup which call? (see show calls)")),
                        json);
            case "block":
                return await(control.block(ChannelRef.parse(arg(w, 1, "block SPAN[/CHANNEL]"))),
                        json);
            case "unblock":
                return await(control.unblock(ChannelRef.parse(arg(w, 1,
                        "unblock SPAN[/CHANNEL]"))), json);
            case "reload":
                return reload(json);
            case "drain":
                return await(control.drain(), json);
            case "undrain":
                return await(control.undrain(), json);
            case "sim":
                return sim(w, json);
            case "help":
                return new Response(true, json ? Json.write(Map.of("usage", USAGE)) : USAGE + "\n");
            default:
                throw new IllegalArgumentException((cmd.isEmpty() ? "no command"
                        : "unknown command '" + cmd + "'") + "\n" + USAGE);
        }
    }

    private Response sim(List<String> w, boolean json) {
        String sub = arg(w, 1, "sim originate|alarm|break|repair");
        if (sub.equals("originate")) {
            String from = null;
            String to = null;
            for (int i = 2; i < w.size(); i++) {
                if (w.get(i).equals("--from") && i + 1 < w.size()) {
                    from = w.get(++i);
                } else if (w.get(i).equals("--to") && i + 1 < w.size()) {
                    to = w.get(++i);
                } else {
                    throw new IllegalArgumentException("sim originate --from NUMBER --to NUMBER");
                }
            }
            if (from == null || to == null || !from.matches("[0-9*#+]+")
                    || !to.matches("[0-9*#+]+")) {
                throw new IllegalArgumentException("sim originate --from NUMBER --to NUMBER"
                        + " (digits, *, #, +)");
            }
            return await(control.simOriginate(from, to), json);
        }
        if (sub.equals("alarm")) {
            int span = parseSpan(arg(w, 2, "sim alarm SPAN red|clear"));
            String state = arg(w, 3, "sim alarm SPAN red|clear");
            if (!state.equals("red") && !state.equals("clear")) {
                throw new IllegalArgumentException("sim alarm SPAN red|clear, not '" + state + "'");
            }
            return await(control.simAlarm(span, state.equals("red")), json);
        }
        if (sub.equals("break") || sub.equals("repair")) {
            ChannelRef ch = ChannelRef.parse(arg(w, 2, "sim " + sub + " SPAN/CHANNEL"));
            if (ch.wholeSpan()) {
                throw new IllegalArgumentException("sim " + sub + " SPAN/CHANNEL: one B-channel, e.g. 1/5");
            }
            return await(control.simBreak(ch, sub.equals("break")), json);
        }
        throw new IllegalArgumentException("sim originate|alarm|break|repair, not '" + sub + "'");
    }

    private static String arg(List<String> w, int i, String usage) {
        if (w.size() <= i) {
            throw new IllegalArgumentException(usage);
        }
        return w.get(i);
    }

    private static int parseSpan(String s) {
        ChannelRef r = ChannelRef.parse(s);
        if (!r.wholeSpan()) {
            throw new IllegalArgumentException("a span number, not '" + s + "'");
        }
        return r.span();
    }

    private Response spans(boolean json) {
        GatewaySnapshot s = model.snapshot();
        if (json) {
            List<Object> out = new ArrayList<>();
            for (SpanView v : s.spans()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("span", v.number());
                m.put("name", v.definition().name());
                m.put("type", v.definition().type().name());
                m.put("alarms", SpanAlarms.describe(v.alarms()));
                m.put("alarmBits", v.alarms());
                m.put("dchannel", v.dChannelUp() ? "up" : "down");
                m.put("channels", v.channels().size());
                for (ChannelStatus st : ChannelStatus.values()) {
                    m.put(st.name().toLowerCase(), v.count(st));
                }
                out.add(m);
            }
            return new Response(true, Json.write(out));
        }
        TextTable t = new TextTable("SPAN", "NAME", "TYPE", "ALARMS", "DCHAN", "CHANNELS", "IDLE",
                "BUSY", "BLOCKED", "ALARM", "FAULT");
        for (SpanView v : s.spans()) {
            t.row(v.number(), v.definition().name(), v.definition().lineType(),
                    SpanAlarms.describe(v.alarms()), v.dChannelUp() ? "up" : "down",
                    v.channels().size(), v.count(ChannelStatus.IDLE), v.count(ChannelStatus.BUSY),
                    v.count(ChannelStatus.BLOCKED), v.count(ChannelStatus.ALARM), v.count(ChannelStatus.FAULT));
        }
        return new Response(true, t.toString());
    }

    private Response channels(int onlySpan, boolean json) {
        GatewaySnapshot s = model.snapshot();
        if (onlySpan != 0 && s.span(onlySpan) == null) {
            throw new IllegalArgumentException("no span " + onlySpan);
        }
        long now = model.nowMillis();
        List<Object> out = new ArrayList<>();
        TextTable t = new TextTable("CHANNEL", "STATE", "BLOCKED", "CALL", "DIRECTION", "CALLING",
                "CALLED", "DURATION", "FAULT");
        for (SpanView v : s.spans()) {
            if (onlySpan != 0 && v.number() != onlySpan) {
                continue;
            }
            for (ChannelView c : v.channels()) {
                ActiveCall call = c.call();
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("channel", c.name());
                    m.put("state", c.status().name().toLowerCase());
                    m.put("blocked", c.blocked());
                    m.put("call", call == null ? null : call.callId());
                    m.put("fault", c.fault());
                    out.add(m);
                } else {
                    t.row(c.name(), c.status().name().toLowerCase(), c.blocked() ? "yes" : "-",
                            call == null ? "-" : call.callId(),
                            call == null ? "-" : call.direction().label(),
                            call == null ? "-" : call.callingNumber(),
                            call == null ? "-" : call.calledNumber(),
                            call == null ? "-" : duration(call.durationSeconds(now)),
                            c.fault() == null ? "-" : c.fault());
                }
            }
        }
        return new Response(true, json ? Json.write(out) : t.toString());
    }

    private Response calls(boolean json) {
        GatewaySnapshot s = model.snapshot();
        long now = model.nowMillis();
        List<Object> out = new ArrayList<>();
        TextTable t = new TextTable("CALL", "CHANNEL", "DIRECTION", "CALLING", "CALLED", "STATE",
                "STARTED (UTC)", "DURATION", "RTP LOST", "JITTER ms", "SIP CALL-ID");
        for (ChannelView c : s.activeCalls()) {
            ActiveCall call = c.call();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("call", call.callId());
                m.put("channel", c.name());
                m.put("direction", call.direction().label());
                m.put("calling", call.callingNumber());
                m.put("called", call.calledNumber());
                m.put("answered", call.answered());
                m.put("start", CdrCsv.time(call.startMillis()));
                m.put("durationSeconds", call.durationSeconds(now));
                m.put("rtpLost", call.rtpPacketsLost());
                m.put("rtpJitterMicros", call.rtpJitterMicros());
                m.put("sipCallId", call.sipCallId());
                out.add(m);
            } else {
                t.row(call.callId(), c.name(), call.direction().label(), call.callingNumber(),
                        call.calledNumber(), call.answered() ? "answered" : "setup",
                        CdrCsv.time(call.startMillis()), duration(call.durationSeconds(now)),
                        call.rtpPacketsLost(), String.format("%.1f",
                                call.rtpJitterMicros() / 1000.0),
                        call.sipCallId().isEmpty() ? "-" : call.sipCallId());
            }
        }
        if (json) {
            return new Response(true, Json.write(out));
        }
        return new Response(true, s.activeCalls().isEmpty() ? "no calls\n" : t.toString());
    }

    private Response stats(boolean json) {
        GatewaySnapshot s = model.snapshot();
        CallCounters k = model.counters();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gateway", s.name());
        m.put("state", s.state().name().toLowerCase());
        m.put("uptimeSeconds", Math.max(0, model.nowMillis() - s.startedMillis()) / 1000);
        m.put("activeCalls", s.activeCalls().size());
        for (CallDirection d : CallDirection.values()) {
            m.put(d.label() + " attempted", k.attempted(d));
            m.put(d.label() + " answered", k.answered(d));
            m.put(d.label() + " failed", k.failed(d));
        }
        m.put("asrPercent", k.asrBasisPoints() / 100.0);
        m.put("nerPercent", k.nerBasisPoints() / 100.0);
        Map<String, Object> causes = new LinkedHashMap<>();
        for (int c = 0; c < CallCounters.CAUSES; c++) {
            if (k.endedByCause(c) > 0) {
                causes.put(Integer.toString(c), k.endedByCause(c));
            }
        }
        m.put("endedByCause", causes);
        m.put("rtpPacketsSent", k.rtpPacketsSent());
        m.put("rtpPacketsReceived", k.rtpPacketsReceived());
        m.put("rtpPacketsLost", k.rtpPacketsLost());
        m.put("overloaded", s.overloaded());
        m.put("overloadReason", s.overloadReason());
        m.put("rejectedOverload", k.rejectedOverload());
        m.put("rejectedNoChannel", k.rejectedNoChannel());
        m.put("invitesShedPercent", model.inviteAdmission().reductionPercent());
        m.put("invitesShed", model.inviteAdmission().rejected());
        if (registrar != null) {
            long now = model.nowMillis();
            RegistrarCounters r = registrar.counters();
            m.put("registeredUsers", registrar.snapshot().registeredUsers(now));
            m.put("registeredContacts", registrar.snapshot().bindingCount(now));
            m.put("registerAccepted", r.accepted.get());
            m.put("registerQueries", r.queries.get());
            m.put("registerChallenged", r.challenged.get());
            m.put("registerAuthFailures", r.authFailures.get());
            m.put("registerRefused", r.refused.get());
            m.put("bindingsAdded", r.bindingsAdded.get());
            m.put("bindingsRemoved", r.bindingsRemoved.get());
            m.put("bindingsExpired", r.bindingsExpired.get());
            m.put("bindingSaveFailures", r.saveFailures.get());
        }
        if (presence != null) {
            PresenceCounters p = presence.counters();
            m.put("subscriptions", presence.subscriptions());
            m.put("subscribeAccepted", p.accepted.get());
            m.put("subscribeChallenged", p.challenged.get());
            m.put("subscribeAuthFailures", p.authFailures.get());
            m.put("subscribeRefused", p.refused.get());
            m.put("notifiesSent", p.notifiesSent.get());
            m.put("notifyFailures", p.notifyFailures.get());
            m.put("subscriptionsExpired", p.expired.get());
        }
        if (json) {
            return new Response(true, Json.write(m));
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            b.append(String.format("%-22s %s%n", e.getKey(), e.getValue() instanceof Map<?, ?> c
                    && c.isEmpty() ? "-" : e.getValue()));
        }
        return new Response(true, b.toString());
    }

    /** Every live binding from the registrar's snapshot (readable from any thread). */
    private Response registrations(boolean json) {
        if (registrar == null) {
            return new Response(true, json ? Json.write(List.of())
                    : "registrar off: no [user NAME] is configured\n");
        }
        long now = model.nowMillis();
        List<Object> out = new ArrayList<>();
        TextTable t = new TextTable("USER", "CONTACT", "FLOW", "NAT", "Q", "EXPIRES s", "USER-AGENT");
        for (Map.Entry<String, List<Binding>> e : registrar.snapshot().all(now).entrySet()) {
            for (Binding b : e.getValue()) {
                String q = b.qText();
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("user", b.user());
                    m.put("contact", b.contactUri());
                    m.put("transport", b.flow().transport());
                    m.put("host", b.flow().host());
                    m.put("port", b.flow().port());
                    m.put("natted", b.natted());
                    m.put("q", q);
                    m.put("expiresSeconds", b.remainingSeconds(now));
                    m.put("registered", CdrCsv.time(b.registeredAtMillis()));
                    m.put("path", b.path());
                    m.put("userAgent", b.userAgent());
                    out.add(m);
                } else {
                    t.row(b.user(), b.contactUri(), b.flow(), b.natted() ? "yes" : "-", q == null ? "-" : q,
                            b.remainingSeconds(now), b.userAgent() == null ? "-" : b.userAgent());
                }
            }
        }
        if (json) {
            return new Response(true, Json.write(out));
        }
        return new Response(true, t.toString().lines().count() <= 1 ? "no registrations\n" : t.toString());
    }

    /** Every subscription the presence thread holds (its published views: readable from any thread). */
    private Response subscriptions(boolean json) {
        if (presence == null) {
            return new Response(true, json ? Json.write(List.of())
                    : "presence off: no [user NAME] is configured, or [presence] enabled = no\n");
        }
        long now = model.nowMillis();
        List<Object> out = new ArrayList<>();
        TextTable t = new TextTable("SUBSCRIBER", "EVENT", "RESOURCE", "NOTIFY TO", "EXPIRES s", "PENDING");
        for (SubscriptionView v : presence.views()) {
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("subscriber", v.subscriber());
                m.put("event", v.eventPackage());
                m.put("resource", v.resource());
                m.put("target", v.target());
                m.put("transport", v.transport());
                m.put("expiresSeconds", v.remainingSeconds(now));
                m.put("notifyPending", v.notifyPending());
                out.add(m);
            } else {
                t.row(v.subscriber(), v.eventPackage(), v.resource(), v.target(), v.remainingSeconds(now),
                        v.notifyPending() ? "yes" : "-");
            }
        }
        if (json) {
            return new Response(true, Json.write(out));
        }
        return new Response(true, t.toString().lines().count() <= 1 ? "no subscriptions\n" : t.toString());
    }

    /** Outbound registration of the trunks with register = yes (the ops model's rows). */
    private Response trunks(boolean json) {
        long now = model.nowMillis();
        List<TrunkRegistrationView> rows = model.trunkRegistrations();
        List<Object> out = new ArrayList<>();
        TextTable t = new TextTable("TRUNK", "AOR", "REGISTRAR", "STATE", "LAST", "EXPIRES s", "NEXT s", "FAILURES");
        for (TrunkRegistrationView v : rows) {
            long expires = TrunkRegistrationView.secondsUntil(v.expiresAtMillis(), now);
            long next = TrunkRegistrationView.secondsUntil(v.nextAttemptMillis(), now);
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("trunk", v.trunk());
                m.put("aor", v.aor());
                m.put("registrar", v.registrar());
                m.put("state", v.state().label());
                m.put("lastStatus", v.lastStatus());
                m.put("expiresSeconds", expires);
                m.put("nextAttemptSeconds", next);
                m.put("failures", v.failures());
                out.add(m);
            } else {
                t.row(v.trunk(), v.aor(), v.registrar(), v.state().label(),
                        v.lastStatus() == 0 ? "-" : v.lastStatus(), v.expiresAtMillis() == 0 ? "-" : expires,
                        v.nextAttemptMillis() == 0 ? "-" : next, v.failures());
            }
        }
        if (json) {
            return new Response(true, Json.write(out));
        }
        return new Response(true, rows.isEmpty() ? "no trunk registers (register = yes in a [trunk])\n"
                : t.toString());
    }

    private Response reload(boolean json) {
        Object r = wait(control.reload());
        if (r instanceof Failure f) {
            return error(f.message(), json);
        }
        GatewayControl.ReloadReport report = (GatewayControl.ReloadReport) r;
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("applied", report.applied());
            m.put("needsRestart", report.needsRestart());
            return new Response(true, Json.write(m));
        }
        StringBuilder b = new StringBuilder("reloaded\n");
        report.applied().forEach(a -> b.append("  applied: ").append(a).append('\n'));
        report.needsRestart().forEach(a -> b.append("  needs restart: ").append(a).append('\n'));
        return new Response(true, b.toString());
    }

    private Response await(CompletionStage<String> stage, boolean json) {
        Object r = wait(stage);
        if (r instanceof Failure f) {
            return error(f.message(), json);
        }
        String msg = (String) r;
        return new Response(true, json ? Json.write(Map.of("result", msg)) : msg + "\n");
    }

    private record Failure(String message) {
    }

    /** The stage's value, or a {@link Failure} saying why there is none. */
    private static Object wait(CompletionStage<?> stage) {
        try {
            return stage.toCompletableFuture().get(CONTROL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new Failure(cause.getMessage() != null ? cause.getMessage() : cause.toString());
        } catch (TimeoutException e) {
            return new Failure("no answer from call control within " + CONTROL_TIMEOUT_MILLIS
                    + " ms; the request may still be carried out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failure("interrupted");
        }
    }

    private static Response error(String message, boolean json) {
        return new Response(false, json ? Json.write(Map.of("error", message)) : message + "\n");
    }

    private static String duration(long seconds) {
        return String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
}
