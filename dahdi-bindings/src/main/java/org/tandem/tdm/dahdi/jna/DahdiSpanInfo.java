package org.tandem.tdm.dahdi.jna;

import com.sun.jna.Structure;
import java.util.List;

/**
 * {@code struct dahdi_spaninfo} (314 bytes, declared {@code __attribute__((packed))}, so no
 * alignment padding: hence {@link Structure#ALIGN_NONE}): DAHDI_SPANSTAT. Set {@code spanno}
 * before the call; 0 means the span of the channel the descriptor is bound to.
 */
public final class DahdiSpanInfo extends Structure {
    public static final List<String> FIELDS = List.of("spanno", "name", "desc", "alarms", "txlevel", "rxlevel",
        "bpvcount", "crc4count", "ebitcount", "fascount", "fecount", "cvcount", "becount", "prbs", "errsec",
        "irqmisses", "syncsrc", "numchans", "totalchans", "totalspans", "lbo", "lineconfig", "lboname", "location",
        "manufacturer", "devicetype", "irq", "linecompat", "spantype");
    public static final int SIZE = new DahdiSpanInfo().size();

    public int spanno;
    public byte[] name = new byte[20];
    public byte[] desc = new byte[40];
    public int alarms;
    public int txlevel;
    public int rxlevel;
    public int bpvcount;
    public int crc4count;
    public int ebitcount;
    public int fascount;
    public int fecount;
    public int cvcount;
    public int becount;
    public int prbs;
    public int errsec;
    public int irqmisses;
    public int syncsrc;
    public int numchans;
    public int totalchans;
    public int totalspans;
    public int lbo;
    public int lineconfig;
    public byte[] lboname = new byte[40];
    public byte[] location = new byte[40];
    public byte[] manufacturer = new byte[40];
    public byte[] devicetype = new byte[40];
    public int irq;
    public int linecompat;
    public byte[] spantype = new byte[6];

    public DahdiSpanInfo() {
        super(ALIGN_NONE);
    }

    @Override
    protected List<String> getFieldOrder() {
        return FIELDS;
    }

    public String nameString() {
        return DahdiParams.cString(name);
    }

    public String descString() {
        return DahdiParams.cString(desc);
    }

    public String spantypeString() {
        return DahdiParams.cString(spantype);
    }

    public static int offsetOf(String field) {
        return new DahdiSpanInfo().fieldOffset(field);
    }
}
