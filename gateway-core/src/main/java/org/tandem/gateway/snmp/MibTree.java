package org.tandem.gateway.snmp;

import java.util.NavigableMap;
import java.util.TreeMap;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.Variable;

/** Instance values of one subtree, in OID order; built by a {@link MibSection} per request. */
public final class MibTree {
    private final TreeMap<OID, Variable> values = new TreeMap<>();

    public MibTree put(OID instance, Variable value) {
        values.put(instance, value);
        return this;
    }

    /** {@code base.column.index...} */
    public static OID oid(OID base, int... suffix) {
        OID o = new OID(base);
        o.append(new OID(suffix));
        return o;
    }

    public MibTree integer(OID instance, int value) {
        return put(instance, new Integer32(value));
    }

    public MibTree string(OID instance, String value) {
        return put(instance, new OctetString(value));
    }

    /** Gauge32, saturating at 2^32-1 as RFC 2578 section 7.1.7 requires. */
    public MibTree gauge(OID instance, long value) {
        return put(instance, new Gauge32(Math.min(0xFFFF_FFFFL, Math.max(0, value))));
    }

    /** Counter32 wraps at 2^32 (RFC 2578 section 7.1.6). */
    public MibTree counter32(OID instance, long value) {
        return put(instance, new Counter32(value & 0xFFFF_FFFFL));
    }

    public MibTree counter64(OID instance, long value) {
        return put(instance, new Counter64(value));
    }

    public MibTree ticks(OID instance, long centiseconds) {
        return put(instance, new TimeTicks(centiseconds & 0xFFFF_FFFFL));
    }

    /** TruthValue (SNMPv2-TC): true(1), false(2). */
    public MibTree truth(OID instance, boolean value) {
        return integer(instance, value ? 1 : 2);
    }

    NavigableMap<OID, Variable> values() {
        return values;
    }
}
