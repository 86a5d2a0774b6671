package org.tandem.tdm.dahdi.jna;

import com.sun.jna.Structure;
import java.util.List;

/** {@code struct dahdi_chanconfig} (76 bytes): DAHDI_CHANCONFIG on /dev/dahdi/ctl. */
public final class DahdiChanConfig extends Structure {
    public static final List<String> FIELDS = List.of("chan", "name", "sigtype", "deflaw", "master", "idlebits",
        "netdev_name");
    public static final int SIZE = new DahdiChanConfig().size();

    /** Global channel number (0 to select by name). */
    public int chan;
    public byte[] name = new byte[40];
    /** DAHDI_SIG_*. */
    public int sigtype;
    /** DAHDI_LAW_*. */
    public int deflaw;
    public int master;
    public int idlebits;
    public byte[] netdev_name = new byte[16];

    @Override
    protected List<String> getFieldOrder() {
        return FIELDS;
    }

    public static int offsetOf(String field) {
        return new DahdiChanConfig().fieldOffset(field);
    }
}
