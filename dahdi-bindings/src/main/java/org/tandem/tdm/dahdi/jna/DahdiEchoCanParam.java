package org.tandem.tdm.dahdi.jna;

import com.sun.jna.Structure;
import java.util.List;

/** {@code struct dahdi_echocanparam} (20 bytes): one named echo canceller parameter. */
public final class DahdiEchoCanParam extends Structure {
    public static final List<String> FIELDS = List.of("name", "value");
    public static final int SIZE = new DahdiEchoCanParam().size();

    public byte[] name = new byte[16];
    public int value;

    @Override
    protected List<String> getFieldOrder() {
        return FIELDS;
    }

    public void set(String paramName, int paramValue) {
        DahdiParams.putCString(name, paramName);
        value = paramValue;
    }

    public static int offsetOf(String field) {
        return new DahdiEchoCanParam().fieldOffset(field);
    }
}
