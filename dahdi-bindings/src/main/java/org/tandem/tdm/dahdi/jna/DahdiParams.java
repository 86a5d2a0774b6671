package org.tandem.tdm.dahdi.jna;

import com.sun.jna.Structure;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code struct dahdi_params} (136 bytes): DAHDI_GET_PARAMS. */
public final class DahdiParams extends Structure {
    public static final List<String> FIELDS = List.of("channo", "spanno", "chanpos", "sigtype", "sigcap",
        "rxisoffhook", "rxbits", "txbits", "txhooksig", "rxhooksig", "curlaw", "idlebits", "name", "prewinktime",
        "preflashtime", "winktime", "flashtime", "starttime", "rxwinktime", "rxflashtime", "debouncetime",
        "pulsebreaktime", "pulsemaketime", "pulseaftertime", "chan_alarms");
    public static final int SIZE = new DahdiParams().size();

    public int channo;
    public int spanno;
    public int chanpos;
    public int sigtype;
    public int sigcap;
    public int rxisoffhook;
    public int rxbits;
    public int txbits;
    public int txhooksig;
    public int rxhooksig;
    public int curlaw;
    public int idlebits;
    public byte[] name = new byte[40];
    public int prewinktime;
    public int preflashtime;
    public int winktime;
    public int flashtime;
    public int starttime;
    public int rxwinktime;
    public int rxflashtime;
    public int debouncetime;
    public int pulsebreaktime;
    public int pulsemaketime;
    public int pulseaftertime;
    public int chan_alarms;

    @Override
    protected List<String> getFieldOrder() {
        return FIELDS;
    }

    public String nameString() {
        return cString(name);
    }

    public static int offsetOf(String field) {
        return new DahdiParams().fieldOffset(field);
    }

    static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    static void putCString(byte[] dst, String s) {
        byte[] src = s.getBytes(StandardCharsets.ISO_8859_1);
        if (src.length >= dst.length) {
            throw new IllegalArgumentException("\"" + s + "\" longer than " + (dst.length - 1) + " bytes");
        }
        java.util.Arrays.fill(dst, (byte) 0);
        System.arraycopy(src, 0, dst, 0, src.length);
    }
}
