package org.tandem.gateway.snmp;

import static org.tandem.gateway.snmp.MibTree.oid;

import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.tandem.gateway.ops.SpanView;
import org.tandem.tdm.SpanAlarms;

/**
 * IF-MIB (RFC 2863) for the spans, one row per span with ifIndex = span number, as RFC 4805
 * section 3.1 describes for DS1 interfaces: ifType ds1(18), ifSpeed the line rate, ifOperStatus
 * up when the span has no alarm that takes it out of service, down otherwise (notPresent when
 * the span could not be opened).
 *
 * <p>Columns served: ifTable ifIndex, ifDescr, ifType, ifMtu, ifSpeed, ifPhysAddress,
 * ifAdminStatus, ifOperStatus, ifLastChange, ifInOctets, ifInErrors (DAHDI's errored-second
 * count), ifOutOctets; ifXTable ifName, ifHCInOctets, ifHCOutOctets, ifLinkUpDownTrapEnable,
 * ifHighSpeed, ifPromiscuousMode, ifConnectorPresent, ifAlias, ifCounterDiscontinuityTime. The
 * octet counters are the B-channel audio the gateway's media read from and wrote to the span
 * ({@link org.tandem.gateway.ops.SpanOctets}): what crossed the span to and from calls, not the
 * D-channel or idle timeslots. The packet counters are absent (a DS1 has no packets).
 */
public final class IfMibSections {
    public static final OID INTERFACES = new OID("1.3.6.1.2.1.2");
    public static final OID IF_NUMBER = new OID("1.3.6.1.2.1.2.1.0");
    public static final OID IF_ENTRY = new OID("1.3.6.1.2.1.2.2.1");
    public static final OID IF_X_TABLE = new OID("1.3.6.1.2.1.31.1.1");
    public static final OID IF_X_ENTRY = new OID("1.3.6.1.2.1.31.1.1.1");

    public static final int IF_INDEX = 1;
    public static final int IF_DESCR = 2;
    public static final int IF_TYPE = 3;
    public static final int IF_ADMIN_STATUS = 7;
    public static final int IF_OPER_STATUS = 8;
    public static final int IF_LAST_CHANGE = 9;
    public static final int IF_IN_OCTETS = 10;
    public static final int IF_IN_ERRORS = 14;
    public static final int IF_OUT_OCTETS = 16;
    public static final int IF_HC_IN_OCTETS = 6;
    public static final int IF_HC_OUT_OCTETS = 10;
    public static final int IF_NAME = 1;
    public static final int IF_HIGH_SPEED = 15;
    public static final int IF_ALIAS = 18;

    /** IANAifType ds1(18). */
    public static final int IF_TYPE_DS1 = 18;
    public static final int UP = 1;
    public static final int DOWN = 2;
    public static final int NOT_PRESENT = 6;

    private IfMibSections() {
    }

    /** ifOperStatus of a span. */
    public static int operStatus(SpanView span) {
        if (span.inService()) {
            return UP;
        }
        return (span.alarms() & SpanAlarms.NOTOPEN) != 0 ? NOT_PRESENT : DOWN;
    }

    /** ifAdminStatus: always up; operator blocking drains calls but leaves the line up. */
    public static int adminStatus(SpanView span) {
        return UP;
    }

    /** interfaces group: ifNumber and ifTable. */
    public static MibSection interfaces() {
        return new MibSection() {
            @Override
            public OID root() {
                return INTERFACES;
            }

            @Override
            public void render(MibContext c, MibTree out) {
                out.integer(IF_NUMBER, c.snapshot().spans().size());
                for (SpanView s : c.snapshot().spans()) {
                    int i = s.number();
                    out.integer(oid(IF_ENTRY, IF_INDEX, i), i);
                    out.string(oid(IF_ENTRY, IF_DESCR, i), "Tandem " + s.definition().type()
                            + " PRI span " + i + " (" + s.definition().name() + ")");
                    out.integer(oid(IF_ENTRY, IF_TYPE, i), IF_TYPE_DS1);
                    out.integer(oid(IF_ENTRY, 4, i), 0);
                    out.gauge(oid(IF_ENTRY, 5, i), s.definition().lineRateBps());
                    out.put(oid(IF_ENTRY, 6, i), new OctetString());
                    out.integer(oid(IF_ENTRY, IF_ADMIN_STATUS, i), adminStatus(s));
                    out.integer(oid(IF_ENTRY, IF_OPER_STATUS, i), operStatus(s));
                    out.ticks(oid(IF_ENTRY, IF_LAST_CHANGE, i), c.timeStamp(s.alarmsChangedMillis()));
                    out.counter32(oid(IF_ENTRY, IF_IN_ERRORS, i), s.errors().erroredSeconds());
                    if (c.octets() != null) {
                        out.counter32(oid(IF_ENTRY, IF_IN_OCTETS, i), c.octets().in(i));
                        out.counter32(oid(IF_ENTRY, IF_OUT_OCTETS, i), c.octets().out(i));
                    }
                }
            }
        };
    }

    /** ifXTable. */
    public static MibSection ifXTable() {
        return new MibSection() {
            @Override
            public OID root() {
                return IF_X_TABLE;
            }

            @Override
            public void render(MibContext c, MibTree out) {
                for (SpanView s : c.snapshot().spans()) {
                    int i = s.number();
                    out.string(oid(IF_X_ENTRY, IF_NAME, i), "span" + i);
                    out.integer(oid(IF_X_ENTRY, 14, i), 1);
                    if (c.octets() != null) {
                        out.counter64(oid(IF_X_ENTRY, IF_HC_IN_OCTETS, i), c.octets().in(i));
                        out.counter64(oid(IF_X_ENTRY, IF_HC_OUT_OCTETS, i), c.octets().out(i));
                    }
                    out.gauge(oid(IF_X_ENTRY, IF_HIGH_SPEED, i),
                            Math.round(s.definition().lineRateBps() / 1_000_000.0));
                    out.truth(oid(IF_X_ENTRY, 16, i), false);
                    out.truth(oid(IF_X_ENTRY, 17, i), true);
                    out.string(oid(IF_X_ENTRY, IF_ALIAS, i), s.definition().name());
                    out.ticks(oid(IF_X_ENTRY, 19, i), 0);
                }
            }
        };
    }
}
