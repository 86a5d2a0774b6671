package org.tandem.gateway.snmp;

import static org.tandem.gateway.snmp.MibTree.oid;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.UnsignedInteger32;
import org.tandem.gateway.ops.ActiveCall;
import org.tandem.gateway.ops.CallCounters;
import org.tandem.gateway.ops.CallDirection;
import org.tandem.gateway.ops.CallOutcomes;
import org.tandem.gateway.ops.ChannelStatus;
import org.tandem.gateway.ops.ChannelView;
import org.tandem.gateway.ops.GatewaySnapshot;
import org.tandem.gateway.ops.SpanView;
import org.tandem.gateway.ops.TrunkRegistrationView;
import org.tandem.gateway.registrar.LocationSnapshot;
import org.tandem.gateway.registrar.RegistrarCounters;
import org.tandem.gateway.registrar.RegistrarService;
import org.tandem.tdm.SpanType;

/**
 * TANDEM-GATEWAY-MIB (mibs/TANDEM-GATEWAY-MIB.txt): the OIDs below must match that file; the
 * test suite checks them against it with snmptranslate.
 *
 * <p>The enterprise number {@link #ENTERPRISE} (99999) is a placeholder until Tandem has a
 * private enterprise number registered with IANA; docs/OPERATIONS.md says so.
 */
public final class TandemMibSection implements MibSection {
    public static final OID ENTERPRISE = new OID("1.3.6.1.4.1.99999");
    /** sysObjectID of a Tandem gateway: tandemProducts.tandemGateway. */
    public static final OID SYS_OBJECT_ID = oid(ENTERPRISE, 1, 1);
    public static final OID MIB = oid(ENTERPRISE, 2);
    public static final OID NOTIFICATIONS = oid(MIB, 0);
    public static final OID GATEWAY = oid(MIB, 1, 1);
    public static final OID SPAN_ENTRY = oid(MIB, 1, 2, 1);
    public static final OID CHANNEL_ENTRY = oid(MIB, 1, 3, 1);
    public static final OID CALL_DIR_ENTRY = oid(MIB, 1, 4, 1, 1);
    public static final OID CAUSE_ENTRY = oid(MIB, 1, 4, 2, 1);
    public static final OID ASR = oid(MIB, 1, 4, 3, 0);
    public static final OID NER = oid(MIB, 1, 4, 4, 0);
    /** tgSipStatusEntry: ended attempts by final SIP status, sparse. */
    public static final OID SIP_STATUS_ENTRY = oid(MIB, 1, 4, 5, 1);
    /** tgSpanCallEntry: ended/answered/effective attempts, ASR, NER per span, sparse. */
    public static final OID SPAN_CALL_ENTRY = oid(MIB, 1, 4, 6, 1);
    public static final OID RTP = oid(MIB, 1, 5);
    /** tgRegistrar: present only when the gateway runs a registrar ({@code [user NAME]}s). */
    public static final OID REGISTRAR = oid(MIB, 1, 6);
    /** tgTrunkEntry: one row per trunk with {@code register = yes}, indexed 1.. in configuration order. */
    public static final OID TRUNK_ENTRY = oid(MIB, 1, 7, 1);

    public static final OID D_CHANNEL_DOWN = oid(NOTIFICATIONS, 1);
    public static final OID D_CHANNEL_UP = oid(NOTIFICATIONS, 2);
    public static final OID GATEWAY_STARTED = oid(NOTIFICATIONS, 3);
    public static final OID GATEWAY_STOPPING = oid(NOTIFICATIONS, 4);
    public static final OID OVERLOAD_BEGIN = oid(NOTIFICATIONS, 5);
    public static final OID OVERLOAD_END = oid(NOTIFICATIONS, 6);
    public static final OID CHANNEL_OUT_OF_SERVICE = oid(NOTIFICATIONS, 7);
    public static final OID CHANNEL_IN_SERVICE = oid(NOTIFICATIONS, 8);

    // tgGateway scalars
    public static final int GW_NAME = 1;
    public static final int GW_STATE = 2;
    public static final int GW_UP_TIME = 3;
    public static final int GW_VERSION = 4;
    public static final int GW_ACTIVE_CALLS = 5;
    public static final int GW_OVERLOADED = 6;
    public static final int GW_OVERLOAD_REASON = 7;
    // tgSpanEntry columns
    public static final int SPAN_NAME = 2;
    public static final int SPAN_D_CHANNEL = 5;
    // tgChannelEntry columns
    public static final int CHAN_STATE = 2;
    public static final int CHAN_CALLING = 6;
    public static final int CHAN_CALLED = 7;
    public static final int CHAN_FAULT = 12;

    private final String version;
    /** Null when no registrar runs: tgRegistrar is then absent (noSuchObject). */
    private final RegistrarService registrar;
    /** The registering trunks' rows (tgTrunkTable). */
    private final Supplier<List<TrunkRegistrationView>> trunks;
    /** Overload control of new INVITEs (tgInvitesShedPercent, tgInvitesShed). */
    private Supplier<org.tandem.gateway.ops.InviteAdmission> admission = () -> org.tandem.gateway.ops.InviteAdmission.NONE;

    /** Shows this overload control's share and count of shed INVITEs; returns this. */
    public TandemMibSection withInviteAdmission(Supplier<org.tandem.gateway.ops.InviteAdmission> a) {
        this.admission = a;
        return this;
    }

    public TandemMibSection(String version) {
        this(version, null);
    }

    /** @param registrar the registrar whose counters tgRegistrar shows, or null */
    public TandemMibSection(String version, RegistrarService registrar) {
        this(version, registrar, List::of);
    }

    /** @param trunks the registering trunks' states (the ops model's), for tgTrunkTable */
    public TandemMibSection(String version, RegistrarService registrar,
            Supplier<List<TrunkRegistrationView>> trunks) {
        this.version = version;
        this.registrar = registrar;
        this.trunks = trunks;
    }

    @Override
    public OID root() {
        return MIB;
    }

    @Override
    public void render(MibContext c, MibTree out) {
        GatewaySnapshot s = c.snapshot();
        CallCounters k = c.counters();
        out.string(oid(GATEWAY, GW_NAME, 0), s.name());
        out.integer(oid(GATEWAY, GW_STATE, 0), s.state().code());
        out.ticks(oid(GATEWAY, GW_UP_TIME, 0), Math.max(0, c.nowMillis() - s.startedMillis()) / 10);
        out.string(oid(GATEWAY, GW_VERSION, 0), version);
        out.gauge(oid(GATEWAY, GW_ACTIVE_CALLS, 0), s.activeCalls().size());
        out.truth(oid(GATEWAY, GW_OVERLOADED, 0), s.overloaded());
        out.string(oid(GATEWAY, GW_OVERLOAD_REASON, 0), s.overloadReason());
        out.counter64(oid(GATEWAY, 8, 0), k.rejectedOverload());
        out.counter64(oid(GATEWAY, 9, 0), k.rejectedNoChannel());
        org.tandem.gateway.ops.InviteAdmission shed = admission.get();
        out.gauge(oid(GATEWAY, 10, 0), shed.reductionPercent());
        out.counter64(oid(GATEWAY, 11, 0), shed.rejected());

        for (SpanView span : s.spans()) {
            int i = span.number();
            out.string(oid(SPAN_ENTRY, SPAN_NAME, i), span.definition().name());
            out.integer(oid(SPAN_ENTRY, 3, i), span.definition().type() == SpanType.E1 ? 1 : 2);
            out.put(oid(SPAN_ENTRY, 4, i), new UnsignedInteger32(span.alarms() & 0xFFFF_FFFFL));
            out.integer(oid(SPAN_ENTRY, SPAN_D_CHANNEL, i), span.dChannelUp() ? 1 : 2);
            out.ticks(oid(SPAN_ENTRY, 6, i), c.timeStamp(span.dChannelChangedMillis()));
            out.gauge(oid(SPAN_ENTRY, 7, i), span.channels().size());
            out.gauge(oid(SPAN_ENTRY, 8, i), span.count(ChannelStatus.IDLE));
            out.gauge(oid(SPAN_ENTRY, 9, i), span.count(ChannelStatus.BUSY));
            out.gauge(oid(SPAN_ENTRY, 10, i), span.count(ChannelStatus.BLOCKED));
            out.gauge(oid(SPAN_ENTRY, 11, i), span.count(ChannelStatus.ALARM));
            out.string(oid(SPAN_ENTRY, 12, i), span.definition().signalling());
            out.gauge(oid(SPAN_ENTRY, 13, i), span.count(ChannelStatus.FAULT));

            for (ChannelView ch : span.channels()) {
                int j = ch.chanpos();
                ActiveCall call = ch.call();
                out.integer(oid(CHANNEL_ENTRY, CHAN_STATE, i, j), ch.status().code());
                out.truth(oid(CHANNEL_ENTRY, 3, i, j), ch.blocked());
                out.string(oid(CHANNEL_ENTRY, 4, i, j), call == null ? "" : call.callId());
                out.integer(oid(CHANNEL_ENTRY, 5, i, j), call == null ? 3 : call.direction().code());
                out.string(oid(CHANNEL_ENTRY, CHAN_CALLING, i, j), call == null ? ""
                        : call.callingNumber());
                out.string(oid(CHANNEL_ENTRY, CHAN_CALLED, i, j), call == null ? ""
                        : call.calledNumber());
                out.gauge(oid(CHANNEL_ENTRY, 8, i, j), call == null ? 0
                        : call.durationSeconds(c.nowMillis()));
                out.truth(oid(CHANNEL_ENTRY, 9, i, j), call != null && call.answered());
                out.gauge(oid(CHANNEL_ENTRY, 10, i, j), call == null ? 0 : call.rtpPacketsLost());
                out.gauge(oid(CHANNEL_ENTRY, 11, i, j), call == null ? 0 : call.rtpJitterMicros());
                out.string(oid(CHANNEL_ENTRY, CHAN_FAULT, i, j), ch.fault() == null ? "" : ch.fault());
            }
        }

        for (CallDirection d : CallDirection.values()) {
            out.counter64(oid(CALL_DIR_ENTRY, 2, d.code()), k.attempted(d));
            out.counter64(oid(CALL_DIR_ENTRY, 3, d.code()), k.answered(d));
            out.counter64(oid(CALL_DIR_ENTRY, 4, d.code()), k.failed(d));
        }
        // Sparse: a cause gets a row once a call has ended with it.
        for (int cause = 0; cause < CallCounters.CAUSES; cause++) {
            long ended = k.endedByCause(cause);
            if (ended > 0) {
                out.counter64(oid(CAUSE_ENTRY, 2, cause), ended);
                out.counter64(oid(CAUSE_ENTRY, 3, cause), k.failedByCause(cause));
            }
        }
        out.gauge(ASR, k.asrBasisPoints());
        out.gauge(NER, k.nerBasisPoints());
        CallOutcomes outcomes = c.outcomes();
        if (outcomes != null) {
            CallOutcomes.Group all = outcomes.all();
            for (int st = 0; st <= 699; st++) {
                long n = all.endedBySipStatus(st);
                if (n > 0) {
                    out.counter64(oid(SIP_STATUS_ENTRY, 2, st), n);
                }
            }
            for (Map.Entry<Integer, CallOutcomes.Group> e : outcomes.spans().entrySet()) {
                int i = e.getKey();
                CallOutcomes.Group g = e.getValue();
                out.counter64(oid(SPAN_CALL_ENTRY, 1, i), g.completed());
                out.counter64(oid(SPAN_CALL_ENTRY, 2, i), g.answered());
                out.counter64(oid(SPAN_CALL_ENTRY, 3, i), g.effective());
                out.gauge(oid(SPAN_CALL_ENTRY, 4, i), basisPoints(g.answered(), g.completed()));
                out.gauge(oid(SPAN_CALL_ENTRY, 5, i), basisPoints(g.effective(), g.completed()));
            }
        }

        out.counter64(oid(RTP, 1, 0), k.rtpPacketsSent());
        out.counter64(oid(RTP, 2, 0), k.rtpPacketsReceived());
        out.counter64(oid(RTP, 3, 0), k.rtpPacketsLost());

        int row = 0;
        for (TrunkRegistrationView t : trunks.get()) {
            row++;
            out.string(oid(TRUNK_ENTRY, 2, row), t.trunk());
            out.string(oid(TRUNK_ENTRY, 3, row), t.aor());
            out.string(oid(TRUNK_ENTRY, 4, row), t.registrar());
            out.integer(oid(TRUNK_ENTRY, 5, row), t.state().code());
            out.gauge(oid(TRUNK_ENTRY, 6, row), t.lastStatus());
            out.gauge(oid(TRUNK_ENTRY, 7, row), TrunkRegistrationView.secondsUntil(t.expiresAtMillis(), c.nowMillis()));
            out.gauge(oid(TRUNK_ENTRY, 8, row),
                    TrunkRegistrationView.secondsUntil(t.nextAttemptMillis(), c.nowMillis()));
            out.gauge(oid(TRUNK_ENTRY, 9, row), t.failures());
        }

        if (registrar != null) {
            LocationSnapshot loc = registrar.snapshot();
            RegistrarCounters r = registrar.counters();
            out.gauge(oid(REGISTRAR, 1, 0), registrar.users().users().size());
            out.gauge(oid(REGISTRAR, 2, 0), loc.registeredUsers(c.nowMillis()));
            out.gauge(oid(REGISTRAR, 3, 0), loc.bindingCount(c.nowMillis()));
            out.counter64(oid(REGISTRAR, 4, 0), r.accepted.get());
            out.counter64(oid(REGISTRAR, 5, 0), r.queries.get());
            out.counter64(oid(REGISTRAR, 6, 0), r.challenged.get());
            out.counter64(oid(REGISTRAR, 7, 0), r.authFailures.get());
            out.counter64(oid(REGISTRAR, 8, 0), r.refused.get());
            out.counter64(oid(REGISTRAR, 9, 0), r.bindingsAdded.get());
            out.counter64(oid(REGISTRAR, 10, 0), r.bindingsRemoved.get());
            out.counter64(oid(REGISTRAR, 11, 0), r.bindingsExpired.get());
            out.counter64(oid(REGISTRAR, 12, 0), r.saveFailures.get());
        }
    }

    /** part / whole in hundredths of a percent, 0 when whole is 0 (as tgAsr). */
    static int basisPoints(long part, long whole) {
        return whole == 0 ? 0 : (int) Math.min(10_000, part * 10_000 / whole);
    }
}
