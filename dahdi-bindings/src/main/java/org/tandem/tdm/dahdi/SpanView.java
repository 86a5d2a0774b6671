package org.tandem.tdm.dahdi;

import java.util.ArrayList;
import java.util.List;
import org.tandem.tdm.dahdi.jna.Dahdi;

/**
 * The kernel's configuration of one span, to compare with the gateway's INI at start-up.
 *
 * @param lineconfig DAHDI_CONFIG_* bits (framing, coding, CRC4)
 * @param channels   each channel's GET_PARAMS, in chanpos order
 */
public record SpanView(int spanno, String name, String description, String spanType, int alarms, int lineconfig,
                       int lbo, int totalChannels, List<ChannelInfo> channels) {

    /** The channel at {@code chanpos}, or null. */
    public ChannelInfo channel(int chanpos) {
        for (ChannelInfo c : channels) {
            if (c.chanpos() == chanpos) {
                return c;
            }
        }
        return null;
    }

    /**
     * Differences from what the gateway expects: lineconfig bits, an HDLC D-channel at
     * {@code dChannelPos}, and a clear (bearer) channel at each of {@code bChannelPositions}.
     * Empty when they agree; each line says what to change.
     */
    public List<String> differencesFrom(int expectedLineconfig, int dChannelPos, int[] bChannelPositions) {
        List<String> out = new ArrayList<>();
        int mask = Dahdi.DAHDI_CONFIG_CCS | Dahdi.DAHDI_CONFIG_HDB3 | Dahdi.DAHDI_CONFIG_AMI | Dahdi.DAHDI_CONFIG_CRC4
            | Dahdi.DAHDI_CONFIG_B8ZS | Dahdi.DAHDI_CONFIG_ESF | Dahdi.DAHDI_CONFIG_D4;
        if ((lineconfig & mask) != (expectedLineconfig & mask)) {
            out.add("span " + spanno + ": lineconfig 0x" + Integer.toHexString(lineconfig & mask) + " in the kernel, 0x"
                + Integer.toHexString(expectedLineconfig & mask) + " expected");
        }
        ChannelInfo d = channel(dChannelPos);
        if (d == null || !d.isHdlcDChannel()) {
            out.add("span " + spanno + ": position " + dChannelPos + " should be the HDLC D-channel, kernel has "
                + (d == null ? "no channel" : Dahdi.sigtypeName(d.sigtype())));
        }
        for (int p : bChannelPositions) {
            ChannelInfo b = channel(p);
            if (b == null || b.sigtype() != Dahdi.DAHDI_SIG_CLEAR) {
                out.add("span " + spanno + ": position " + p + " should be a clear bearer channel, kernel has "
                    + (b == null ? "no channel" : Dahdi.sigtypeName(b.sigtype())));
            }
        }
        return out;
    }
}
