package org.tandem.tdm.dahdi.jna;

import com.sun.jna.Structure;
import java.util.List;

/** {@code struct dahdi_lineconfig} (36 bytes): DAHDI_SPANCONFIG on /dev/dahdi/ctl. */
public final class DahdiLineConfig extends Structure {
    public static final List<String> FIELDS = List.of("span", "name", "lbo", "lineconfig", "sync");
    public static final int SIZE = new DahdiLineConfig().size();

    /** Span number (0 to select by name). */
    public int span;
    public byte[] name = new byte[20];
    /** Line build-out, 0..7. */
    public int lbo;
    /** DAHDI_CONFIG_* framing and coding bits. */
    public int lineconfig;
    /** Timing source priority: 0 = never take timing from this span, 1 = first choice, ... */
    public int sync;

    @Override
    protected List<String> getFieldOrder() {
        return FIELDS;
    }

    public static int offsetOf(String field) {
        return new DahdiLineConfig().fieldOffset(field);
    }
}
