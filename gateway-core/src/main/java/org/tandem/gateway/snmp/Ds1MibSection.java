package org.tandem.gateway.snmp;

import static org.tandem.gateway.snmp.MibTree.oid;

import org.snmp4j.smi.OID;
import org.tandem.gateway.ops.Ds1ErrorCounters;
import org.tandem.gateway.ops.SpanView;

/**
 * DS1-MIB (RFC 4805): dsx1ConfigTable and dsx1CurrentTable, one row per span, dsx1LineIndex =
 * ifIndex = span number.
 *
 * <p>What DAHDI cannot tell is served as the MIB's "nothing to report" value and listed in
 * docs/OPERATIONS.md: no interval history (dsx1ValidIntervals 0, so dsx1IntervalTable and
 * dsx1TotalTable are absent); in dsx1CurrentTable only ESs (DAHDI errored seconds), PCVs (CRC
 * errors) and LCVs (bipolar violations) are counted, as growth since the interval began
 * ({@link Ds1Intervals}). SESs, SEFSs, UASs, CSSs, LESs, BESs and DMs are 0: DAHDI counts framing
 * errors, not the per-second classifications RFC 4805 defines.
 */
public final class Ds1MibSection implements MibSection {
    public static final OID DS1 = new OID("1.3.6.1.2.1.10.18");
    public static final OID CONFIG_ENTRY = new OID("1.3.6.1.2.1.10.18.6.1");
    public static final OID CURRENT_ENTRY = new OID("1.3.6.1.2.1.10.18.7.1");
    public static final OID LINE_STATUS_CHANGE = new OID("1.3.6.1.2.1.10.18.15.0.1");

    public static final int LINE_TYPE = 5;
    public static final int LINE_STATUS = 10;
    public static final int LINE_STATUS_LAST_CHANGE = 16;

    @Override
    public OID root() {
        return DS1;
    }

    @Override
    public void render(MibContext c, MibTree out) {
        long elapsedSeconds = (Math.max(0, c.nowMillis() - c.agentStartMillis())
                % Ds1Intervals.INTERVAL_MILLIS) / 1000;
        for (SpanView s : c.snapshot().spans()) {
            int i = s.number();
            boolean net = s.definition().signalling().endsWith("net");
            out.integer(oid(CONFIG_ENTRY, 1, i), i);                 // dsx1LineIndex
            out.integer(oid(CONFIG_ENTRY, 2, i), i);                 // dsx1IfIndex
            out.integer(oid(CONFIG_ENTRY, 3, i), (int) elapsedSeconds); // dsx1TimeElapsed
            out.integer(oid(CONFIG_ENTRY, 4, i), 0);                 // dsx1ValidIntervals
            out.integer(oid(CONFIG_ENTRY, LINE_TYPE, i), s.definition().lineType().code());
            out.integer(oid(CONFIG_ENTRY, 6, i), s.definition().lineCoding().code());
            out.integer(oid(CONFIG_ENTRY, 7, i), 1);                 // dsx1SendNoCode
            out.string(oid(CONFIG_ENTRY, 8, i), s.definition().name()); // dsx1CircuitIdentifier
            out.integer(oid(CONFIG_ENTRY, 9, i), 1);                 // dsx1NoLoop
            out.integer(oid(CONFIG_ENTRY, LINE_STATUS, i), Ds1LineStatus.fromDahdi(s.alarms()));
            out.integer(oid(CONFIG_ENTRY, 11, i), 4);                // messageOriented (PRI)
            // CPE recovers the clock from the line; the network side times the line itself.
            out.integer(oid(CONFIG_ENTRY, 12, i), net ? 2 : 1);      // local / loopTiming
            out.integer(oid(CONFIG_ENTRY, 13, i), 8);                // dsx1FdlNone
            out.integer(oid(CONFIG_ENTRY, 14, i), 0);                // dsx1InvalidIntervals
            out.integer(oid(CONFIG_ENTRY, 15, i), 0);                // dsx1LineLength unknown
            out.ticks(oid(CONFIG_ENTRY, LINE_STATUS_LAST_CHANGE, i),
                    c.timeStamp(s.alarmsChangedMillis()));
            out.integer(oid(CONFIG_ENTRY, 17, i), 1);                // trap enabled
            out.integer(oid(CONFIG_ENTRY, 18, i),
                    (s.alarms() & org.tandem.tdm.SpanAlarms.LOOPBACK) != 0 ? 8 : 1); // other/no loop
            out.integer(oid(CONFIG_ENTRY, 19, i), 0);                // dsx1Ds1ChannelNumber
            out.integer(oid(CONFIG_ENTRY, 20, i), 1);                // channelization disabled
        }
        for (SpanView s : c.snapshot().spans()) {
            int i = s.number();
            Ds1ErrorCounters e = c.intervals().current(s);
            out.integer(oid(CURRENT_ENTRY, 1, i), i);                // dsx1CurrentIndex
            out.gauge(oid(CURRENT_ENTRY, 2, i), e.erroredSeconds()); // ESs
            out.gauge(oid(CURRENT_ENTRY, 3, i), 0);                  // SESs
            out.gauge(oid(CURRENT_ENTRY, 4, i), 0);                  // SEFSs
            out.gauge(oid(CURRENT_ENTRY, 5, i), 0);                  // UASs
            out.gauge(oid(CURRENT_ENTRY, 6, i), 0);                  // CSSs
            out.gauge(oid(CURRENT_ENTRY, 7, i), e.crc4Errors());     // PCVs
            out.gauge(oid(CURRENT_ENTRY, 8, i), 0);                  // LESs
            out.gauge(oid(CURRENT_ENTRY, 9, i), 0);                  // BESs
            out.gauge(oid(CURRENT_ENTRY, 10, i), 0);                 // DMs
            out.gauge(oid(CURRENT_ENTRY, 11, i), e.bipolarViolations()); // LCVs
        }
    }
}
