package org.tandem.tdm.dahdi;

import org.tandem.tdm.dahdi.jna.Dahdi;

/**
 * What the kernel says about one channel (DAHDI_GET_PARAMS after SPECIFY).
 *
 * @param channo  global channel number
 * @param spanno  span the channel belongs to
 * @param chanpos position in the span (the timeslot)
 * @param sigtype DAHDI_SIG_* as configured by dahdi_cfg / CHANCONFIG (0 = unconfigured)
 * @param curlaw  DAHDI_LAW_* currently in use
 * @param name    the driver's channel name
 * @param alarms  chan_alarms
 */
public record ChannelInfo(int channo, int spanno, int chanpos, int sigtype, int curlaw, String name, int alarms) {
    public boolean isHdlcDChannel() {
        return Dahdi.isHdlcDChannel(sigtype);
    }

    @Override
    public String toString() {
        return "channo " + channo + " (span " + spanno + " pos " + chanpos + ", " + Dahdi.sigtypeName(sigtype) + ")";
    }
}
