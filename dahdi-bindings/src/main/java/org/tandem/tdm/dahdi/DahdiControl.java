package org.tandem.tdm.dahdi;

import java.nio.file.Path;
import java.util.List;
import org.tandem.jna.libc.Posix;
import org.tandem.tdm.dahdi.jna.DahdiChanConfig;
import org.tandem.tdm.dahdi.jna.DahdiIoctl;
import org.tandem.tdm.dahdi.jna.DahdiLineConfig;
import org.tandem.tdm.dahdi.jna.DahdiSpanInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <root>/ctl}: configures spans the way {@code dahdi_cfg} does from system.conf
 * (SPANCONFIG, CHANCONFIG, STARTUP, SHUTDOWN), and reads back the kernel's view of a span so
 * the gateway can compare it with its INI at start-up. Needs CAP_SYS_ADMIN for the writes.
 */
public final class DahdiControl implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DahdiControl.class);

    private final Posix posix;
    private final Path root;
    private final DahdiDevice ctl;

    public DahdiControl(Posix posix, Path root) {
        this.posix = posix;
        this.root = root;
        this.ctl = DahdiDevice.open(posix, root.resolve("ctl"));
    }

    /**
     * SPANCONFIG: framing/coding ({@code DAHDI_CONFIG_*}, e.g. CCS|HDB3|CRC4 for an E1 PRI),
     * line build-out 0..7 and timing priority (0 = never a timing source).
     */
    public void configureSpan(int span, int lineconfig, int lbo, int syncPriority) {
        DahdiLineConfig lc = new DahdiLineConfig();
        lc.span = span;
        lc.lineconfig = lineconfig;
        lc.lbo = lbo;
        lc.sync = syncPriority;
        ctl.ioctl(DahdiIoctl.DAHDI_SPANCONFIG, lc);
        LOG.info("DAHDI span {} configured: lineconfig 0x{} lbo {} sync {}", span, Integer.toHexString(lineconfig),
            lbo, syncPriority);
    }

    /** CHANCONFIG: signalling type ({@code DAHDI_SIG_*}) and default law ({@code DAHDI_LAW_*}) of channel {@code channo}. */
    public void configureChannel(int channo, int sigtype, int defaultLaw) {
        DahdiChanConfig cc = new DahdiChanConfig();
        cc.chan = channo;
        cc.sigtype = sigtype;
        cc.deflaw = defaultLaw;
        ctl.ioctl(DahdiIoctl.DAHDI_CHANCONFIG, cc);
    }

    public void startup(int span) {
        ctl.ioctl(DahdiIoctl.DAHDI_STARTUP, span);
        LOG.info("DAHDI span {} started", span);
    }

    public void shutdown(int span) {
        ctl.ioctl(DahdiIoctl.DAHDI_SHUTDOWN, span);
        LOG.info("DAHDI span {} shut down", span);
    }

    /** SPANSTAT of {@code span} (1-based). */
    public DahdiSpanInfo spanStat(int span) {
        return ctl.spanStat(span, new DahdiSpanInfo());
    }

    /** The kernel's view of a span: SPANSTAT plus every channel's GET_PARAMS (scans all channels). */
    public SpanView view(int span) {
        return view(span, ChannelDirectory.scan(posix, root));
    }

    /**
     * The same from a directory already scanned, so that viewing N spans opens each channel once
     * rather than N times.
     */
    public SpanView view(int span, ChannelDirectory directory) {
        DahdiSpanInfo si = spanStat(span);
        List<ChannelInfo> channels = directory.span(span);
        return new SpanView(span, si.nameString(), si.descString(), si.spantypeString(), si.alarms, si.lineconfig,
            si.lbo, si.totalchans, channels);
    }

    @Override
    public void close() {
        ctl.close();
    }
}
