package org.tandem.gateway.snmp;

import static org.tandem.gateway.snmp.MibTree.oid;

import org.snmp4j.smi.OID;
import org.tandem.gateway.ops.SpanView;

/**
 * DS1-MIB (RFC 4805): dsx1ConfigTable, dsx1CurrentTable, dsx1IntervalTable (up to 96 completed
 * 15-minute intervals, number 1 the most recent) and dsx1TotalTable (their sum), one row per span,
 * dsx1LineIndex = ifIndex = span number. The counts come from {@link Ds1Intervals}, which says
 * what is counted from what (alarm seconds, the driver's error counters) and what stays 0; the
 * far-end tables are absent (no backend reads the far end's reports over the FDL).
 */
public final class Ds1MibSection implements MibSection {
    public static final OID DS1 = new OID("1.3.6.1.2.1.10.18");
    public static final OID CONFIG_ENTRY = new OID("1.3.6.1.2.1.10.18.6.1");
    public static final OID CURRENT_ENTRY = new OID("1.3.6.1.2.1.10.18.7.1");
    public static final OID INTERVAL_ENTRY = new OID("1.3.6.1.2.1.10.18.8.1");
    public static final OID TOTAL_ENTRY = new OID("1.3.6.1.2.1.10.18.9.1");
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
        Ds1Intervals history = c.intervals();
        int elapsedSeconds = history.elapsedSeconds(c.nowMillis());
        for (SpanView s : c.snapshot().spans()) {
            int i = s.number();
            boolean net = s.definition().signalling().endsWith("net");
            out.integer(oid(CONFIG_ENTRY, 1, i), i);                 // dsx1LineIndex
            out.integer(oid(CONFIG_ENTRY, 2, i), i);                 // dsx1IfIndex
            out.integer(oid(CONFIG_ENTRY, 3, i), elapsedSeconds);    // dsx1TimeElapsed
            out.integer(oid(CONFIG_ENTRY, 4, i), history.validIntervals(i)); // dsx1ValidIntervals
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
            out.integer(oid(CONFIG_ENTRY, 14, i), 0);                // dsx1InvalidIntervals: none missing
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
            out.integer(oid(CURRENT_ENTRY, 1, i), i);                // dsx1CurrentIndex
            counts(out, CURRENT_ENTRY, 2, history.current(i), i);    // ESs .. LCVs
        }
        for (SpanView s : c.snapshot().spans()) {
            int i = s.number();
            int n = 0;
            for (Ds1Intervals.Interval iv : history.intervals(i)) {
                n++;
                out.integer(oid(INTERVAL_ENTRY, 1, i, n), i);        // dsx1IntervalIndex
                out.integer(oid(INTERVAL_ENTRY, 2, i, n), n);        // dsx1IntervalNumber
                counts(out, INTERVAL_ENTRY, 3, iv.counts(), i, n);   // ESs .. LCVs
                out.truth(oid(INTERVAL_ENTRY, 13, i, n), iv.valid()); // dsx1IntervalValidData
            }
        }
        for (SpanView s : c.snapshot().spans()) {
            int i = s.number();
            out.integer(oid(TOTAL_ENTRY, 1, i), i);                  // dsx1TotalIndex
            counts(out, TOTAL_ENTRY, 2, history.total(i), i);        // ESs .. LCVs
        }
    }

    /** The ten counts (ESs, SESs, SEFSs, UASs, CSSs, PCVs, LESs, BESs, DMs, LCVs) from column {@code first}. */
    private static void counts(MibTree out, OID entry, int first, long[] counts, int... index) {
        for (int k = 0; k < Ds1Intervals.COLUMNS; k++) {
            int[] suffix = new int[index.length + 1];
            suffix[0] = first + k;
            System.arraycopy(index, 0, suffix, 1, index.length);
            out.gauge(oid(entry, suffix), counts[k]);
        }
    }
}
