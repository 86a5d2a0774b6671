package org.tandem.tdm.dahdi.jna;

import com.sun.jna.Structure;
import java.util.List;

/** {@code struct dahdi_bufferinfo} (24 bytes): DAHDI_SET_BUFINFO / DAHDI_GET_BUFINFO. */
public final class DahdiBufferInfo extends Structure {
    public static final List<String> FIELDS = List.of("txbufpolicy", "rxbufpolicy", "numbufs", "bufsize",
        "readbufs", "writebufs");
    public static final int SIZE = new DahdiBufferInfo().size();

    public int txbufpolicy;
    public int rxbufpolicy;
    public int numbufs;
    public int bufsize;
    /** Read-only: full read buffers. */
    public int readbufs;
    /** Read-only: full write buffers. */
    public int writebufs;

    @Override
    protected List<String> getFieldOrder() {
        return FIELDS;
    }

    public static int offsetOf(String field) {
        return new DahdiBufferInfo().fieldOffset(field);
    }
}
