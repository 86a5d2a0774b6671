package org.tandem.tdm.dahdi;

import java.nio.file.Path;
import org.tandem.jna.libc.Posix;
import org.tandem.tdm.SpanType;
import org.tandem.tdm.TdmBackend;
import org.tandem.tdm.TdmSpan;
import org.tandem.tdm.dahdi.jna.DahdiParams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code dahdi} backend: spans on the device files under a root ({@code /dev/dahdi} in
 * production; injectable for tests). Channel numbers come from {@link ChannelDirectory}.
 */
public final class DahdiBackend implements TdmBackend {
    public static final Path DEFAULT_ROOT = Path.of("/dev/dahdi");
    private static final Logger LOG = LoggerFactory.getLogger(DahdiBackend.class);

    private final Posix posix;
    private final Path root;
    private final int blockSize;
    private ChannelDirectory directory;

    public DahdiBackend() {
        this(Posix.system(), DEFAULT_ROOT, 160);
    }

    /** @param blockSize B-channel block size in bytes (160 = 20 ms of G.711) */
    public DahdiBackend(Posix posix, Path root, int blockSize) {
        this.posix = posix;
        this.root = root;
        this.blockSize = blockSize;
    }

    @Override
    public String name() {
        return "dahdi";
    }

    public Path root() {
        return root;
    }

    /**
     * The kernel's channels, scanned (each opened once) on first use and kept: the numbering only
     * changes when dahdi_cfg reconfigures the spans, which the running gateway does not survive
     * anyway. Opening N spans therefore scans once, not N times.
     */
    public synchronized ChannelDirectory directory() {
        if (directory == null) {
            directory = ChannelDirectory.scan(posix, root);
        }
        return directory;
    }

    @Override
    public TdmSpan openSpan(int spanNumber, SpanType type, int dChannelPos, int[] bChannelPositions) {
        DahdiSpan span = DahdiSpan.open(this, directory(), spanNumber, type, dChannelPos, bChannelPositions,
            blockSize);
        LOG.info("opened {}", span);
        return span;
    }

    DahdiDevice openChannel(int channo) {
        DahdiDevice dev = DahdiDevice.open(posix, root.resolve("channel"));
        try {
            dev.specify(channo);
            return dev;
        } catch (RuntimeException e) {
            dev.close();
            throw e;
        }
    }

    ChannelInfo params(DahdiDevice dev) {
        DahdiParams p = dev.getParams(new DahdiParams());
        return new ChannelInfo(p.channo, p.spanno, p.chanpos, p.sigtype, p.curlaw, p.nameString(), p.chan_alarms);
    }

    @Override
    public void close() {
        // Spans own their descriptors and are closed by their users.
    }
}
