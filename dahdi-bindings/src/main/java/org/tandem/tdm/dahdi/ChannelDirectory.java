package org.tandem.tdm.dahdi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import org.tandem.jna.libc.LibC;
import org.tandem.jna.libc.Posix;
import org.tandem.tdm.TdmException;
import org.tandem.tdm.dahdi.jna.Dahdi;
import org.tandem.tdm.dahdi.jna.DahdiParams;

/**
 * The kernel's channel numbering, discovered instead of computed: for channo = 1, 2, ... open
 * {@code <root>/channel}, SPECIFY, GET_PARAMS, until SPECIFY answers ENXIO (no such channel).
 * DAHDI numbers channels in span registration order, so E1 arithmetic ({@code 31*(span-1)+ts})
 * breaks as soon as a T1 or a BRI span comes first, or spans register in another order.
 */
public final class ChannelDirectory {
    private final List<ChannelInfo> channels;

    private ChannelDirectory(List<ChannelInfo> channels) {
        this.channels = Collections.unmodifiableList(channels);
    }

    /** Scans every channel (at most DAHDI_MAX_CHANNELS). */
    public static ChannelDirectory scan(Posix posix, Path deviceRoot) {
        List<ChannelInfo> found = new ArrayList<>();
        Path channelDevice = deviceRoot.resolve("channel");
        DahdiParams params = new DahdiParams();
        for (int channo = 1; channo <= Dahdi.DAHDI_MAX_CHANNELS; channo++) {
            try (DahdiDevice dev = DahdiDevice.open(posix, channelDevice)) {
                try {
                    dev.specify(channo);
                } catch (DahdiException e) {
                    if (e.errno() == LibC.ENXIO) {
                        break;
                    }
                    throw e;
                }
                dev.getParams(params);
                found.add(new ChannelInfo(channo, params.spanno, params.chanpos, params.sigtype, params.curlaw,
                    params.nameString(), params.chan_alarms));
            }
        }
        return new ChannelDirectory(found);
    }

    public List<ChannelInfo> channels() {
        return channels;
    }

    /** The channel at {@code chanpos} of {@code spanno}, or null. */
    public ChannelInfo find(int spanno, int chanpos) {
        for (ChannelInfo c : channels) {
            if (c.spanno() == spanno && c.chanpos() == chanpos) {
                return c;
            }
        }
        return null;
    }

    /** Like {@link #find} but throws a message saying what exists instead. */
    public ChannelInfo require(int spanno, int chanpos, String role) {
        ChannelInfo c = find(spanno, chanpos);
        if (c == null) {
            throw new TdmException("DAHDI span " + spanno + " has no channel at position " + chanpos + " (" + role
                + "); spans with channels: " + spans() + ", " + channels.size() + " channels in all"
                + (channels.isEmpty() ? " (no spans configured: run dahdi_cfg or DahdiControl)" : ""));
        }
        return c;
    }

    public List<ChannelInfo> span(int spanno) {
        List<ChannelInfo> out = new ArrayList<>();
        for (ChannelInfo c : channels) {
            if (c.spanno() == spanno) {
                out.add(c);
            }
        }
        return out;
    }

    public TreeSet<Integer> spans() {
        TreeSet<Integer> s = new TreeSet<>();
        for (ChannelInfo c : channels) {
            s.add(c.spanno());
        }
        return s;
    }
}
