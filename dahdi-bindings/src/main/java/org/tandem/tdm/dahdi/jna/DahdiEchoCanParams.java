package org.tandem.tdm.dahdi.jna;

import com.sun.jna.Structure;
import java.util.List;

/**
 * {@code struct dahdi_echocanparams} followed in the same memory by up to
 * {@link Dahdi#DAHDI_MAX_ECHOCANPARAMS} {@code struct dahdi_echocanparam}, as the driver reads them:
 * <pre>
 *  0            4             8                         8 + 20 * param_count
 *  | tap_length | param_count | params[0] | params[1] ... |
 * </pre>
 * The C struct itself is the 8-byte header (its {@code params[0]} is a flexible array), which is
 * the size encoded in DAHDI_ECHOCANCEL_PARAMS; this class is the whole 168-byte buffer.
 */
public final class DahdiEchoCanParams extends Structure {
    public static final List<String> FIELDS = List.of("tap_length", "param_count", "params");
    /** sizeof(struct dahdi_echocanparams). */
    public static final int HEADER_SIZE = 8;
    public static final int SIZE = new DahdiEchoCanParams().size();

    /** Echo tail in taps, 8 per millisecond; 0 disables the echo canceller. */
    public int tap_length;
    public int param_count;
    public DahdiEchoCanParam[] params = (DahdiEchoCanParam[]) new DahdiEchoCanParam().toArray(
        Dahdi.DAHDI_MAX_ECHOCANPARAMS);

    @Override
    protected List<String> getFieldOrder() {
        return FIELDS;
    }

    public static int offsetOf(String field) {
        return new DahdiEchoCanParams().fieldOffset(field);
    }
}
