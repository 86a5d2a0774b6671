package org.tandem.tdm.dahdi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.tandem.tdm.BChannel;
import org.tandem.tdm.DChannel;
import org.tandem.tdm.SpanErrors;
import org.tandem.tdm.SpanType;
import org.tandem.tdm.TdmException;
import org.tandem.tdm.TdmSpan;
import org.tandem.tdm.dahdi.jna.Dahdi;
import org.tandem.tdm.dahdi.jna.DahdiSpanInfo;

/** A DAHDI span as the gateway uses it: D-channel, B-channels, alarms from SPANSTAT. */
final class DahdiSpan implements TdmSpan {
    private final int spanNumber;
    private final SpanType type;
    private final String name;
    private final DahdiDevice dDevice;
    private final DahdiDChannel dChannel;
    private final List<BChannel> bChannels;
    private final DahdiSpanInfo info = new DahdiSpanInfo();
    private volatile int alarms;

    private DahdiSpan(int spanNumber, SpanType type, DahdiDevice dDevice, List<DahdiDevice> bDevices,
                      ChannelInfo dInfo, List<ChannelInfo> bInfos, int blockSize) {
        this.spanNumber = spanNumber;
        this.type = type;
        this.dDevice = dDevice;
        this.dChannel = new DahdiDChannel(dDevice, this);
        dDevice.spanStat(0, info);
        this.alarms = info.alarms;
        this.name = info.nameString().isEmpty() ? "dahdi/" + spanNumber : info.nameString();
        List<BChannel> chans = new ArrayList<>();
        for (int i = 0; i < bDevices.size(); i++) {
            chans.add(new DahdiBChannel(bDevices.get(i), bInfos.get(i), blockSize));
        }
        this.bChannels = Collections.unmodifiableList(chans);
    }

    /**
     * Opens the span: every channel by the channo {@code directory} found for (span, chanpos);
     * the D-channel must be HDLCFCS or HARDHDLC. On failure everything opened so far is closed.
     */
    static DahdiSpan open(DahdiBackend backend, ChannelDirectory directory, int spanNumber, SpanType type,
                          int dChannelPos, int[] bChannelPositions, int blockSize) {
        ChannelInfo dInfo = directory.require(spanNumber, dChannelPos, "D-channel");
        int[] sorted = bChannelPositions.clone();
        Arrays.sort(sorted);
        List<ChannelInfo> bInfos = new ArrayList<>();
        for (int pos : sorted) {
            if (pos == dChannelPos) {
                throw new TdmException("DAHDI span " + spanNumber + ": position " + pos
                    + " is both the D-channel and a B-channel");
            }
            bInfos.add(directory.require(spanNumber, pos, "B-channel"));
        }
        List<DahdiDevice> opened = new ArrayList<>();
        try {
            DahdiDevice d = backend.openChannel(dInfo.channo());
            opened.add(d);
            ChannelInfo live = backend.params(d);
            checkIdentity(live, dInfo);
            if (!live.isHdlcDChannel()) {
                throw new TdmException("DAHDI span " + spanNumber + " D-channel " + live + " is not in HDLC mode ("
                    + DahdiDevice.hdlcTypes() + " expected): configure it as the span's dchan in "
                    + "/etc/dahdi/system.conf and run dahdi_cfg (or DahdiControl.configureChannel)");
            }
            List<DahdiDevice> bDevices = new ArrayList<>();
            for (ChannelInfo b : bInfos) {
                DahdiDevice dev = backend.openChannel(b.channo());
                opened.add(dev);
                checkIdentity(backend.params(dev), b);
                bDevices.add(dev);
            }
            return new DahdiSpan(spanNumber, type, d, bDevices, dInfo, bInfos, blockSize);
        } catch (RuntimeException e) {
            for (DahdiDevice dev : opened) {
                dev.close();
            }
            throw e;
        }
    }

    /** The kernel may have been reconfigured between discovery and open. */
    private static void checkIdentity(ChannelInfo live, ChannelInfo expected) {
        if (live.spanno() != expected.spanno() || live.chanpos() != expected.chanpos()) {
            throw new TdmException("DAHDI channel " + expected.channo() + " moved: expected span "
                + expected.spanno() + " pos " + expected.chanpos() + ", now " + live + "; was dahdi_cfg re-run?");
        }
    }

    /** Re-reads SPANSTAT alarms. Signalling thread. */
    void refreshAlarms() {
        dDevice.spanStat(0, info);
        alarms = info.alarms;
    }

    /** A fresh SPANSTAT's counters (its own buffer: the signalling thread refreshes {@link #info}). */
    @Override
    public SpanErrors errors() {
        DahdiSpanInfo now = new DahdiSpanInfo();
        dDevice.spanStat(0, now);
        return new SpanErrors(Integer.toUnsignedLong(now.bpvcount), Integer.toUnsignedLong(now.crc4count),
            Integer.toUnsignedLong(now.fascount), Integer.toUnsignedLong(now.errsec));
    }

    @Override
    public int spanNumber() {
        return spanNumber;
    }

    @Override
    public SpanType type() {
        return type;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DChannel dChannel() {
        return dChannel;
    }

    @Override
    public List<BChannel> bChannels() {
        return bChannels;
    }

    @Override
    public BChannel bChannel(int chanpos) {
        for (BChannel b : bChannels) {
            if (b.chanpos() == chanpos) {
                return b;
            }
        }
        return null;
    }

    @Override
    public int alarms() {
        return alarms;
    }

    @Override
    public void close() {
        for (BChannel b : bChannels) {
            b.close();
        }
        dChannel.close();
    }

    @Override
    public String toString() {
        return name + " (span " + spanNumber + ", " + type + ", " + bChannels.size() + " B, alarms "
            + org.tandem.tdm.SpanAlarms.describe(alarms) + ", " + Dahdi.sigtypeName(Dahdi.DAHDI_SIG_HDLCFCS) + ")";
    }
}
