package org.tandem.tdm.dahdi;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tandem.jna.libc.LibC;
import org.tandem.tdm.dahdi.jna.DahdiBufferInfo;
import org.tandem.tdm.dahdi.jna.DahdiEchoCanParams;
import org.tandem.tdm.dahdi.jna.DahdiIoctl;
import org.tandem.tdm.dahdi.jna.DahdiLineConfig;
import org.tandem.tdm.dahdi.jna.DahdiParams;
import org.tandem.tdm.dahdi.jna.DahdiSpanInfo;

/**
 * A fake of the raw C library that behaves like a DAHDI kernel with a configurable channel
 * table: /dev/dahdi/channel + SPECIFY (ENXIO past the last channel), GET_PARAMS, SPANSTAT,
 * GETEVENT queues, scripted read results. Records every ioctl as text.
 */
final class FakeDahdiLibC implements LibC {
    record Chan(int spanno, int chanpos, int sigtype) {
    }

    final String root;
    final Map<Integer, Chan> table = new HashMap<>();
    final Map<Integer, Integer> spanAlarms = new HashMap<>();
    /** SPANSTAT error counters per span: bpvcount, crc4count, fascount, errsec. */
    final Map<Integer, int[]> spanErrors = new HashMap<>();
    final Map<Integer, ArrayDeque<Integer>> events = new HashMap<>();
    final Map<Integer, ArrayDeque<Object>> reads = new HashMap<>();   // channo -> byte[] or Integer errno
    final Map<Integer, Integer> openFds = new HashMap<>();             // fd -> channo (0 = unbound / ctl)
    final List<String> calls = new ArrayList<>();
    final Map<DahdiIoctl, Integer> failures = new HashMap<>();
    private int nextFd = 100;
    private int errno;

    FakeDahdiLibC(String root) {
        this.root = root;
    }

    /** Channels of one span, numbered from {@code firstChanno}, D-channel at dpos with {@code dSigtype}. */
    FakeDahdiLibC span(int spanno, int firstChanno, int channels, int dpos, int dSigtype) {
        for (int pos = 1; pos <= channels; pos++) {
            table.put(firstChanno + pos - 1, new Chan(spanno, pos, pos == dpos ? dSigtype : 0x80));
        }
        return this;
    }

    int channoOf(int fd) {
        Integer c = openFds.get(fd);
        if (c == null) {
            throw new LastErrorException(EBADF);
        }
        return c;
    }

    @Override
    public int open(String path, int flags) {
        if (!path.equals(root + "/channel") && !path.equals(root + "/ctl")) {
            throw new LastErrorException(ENOENT);
        }
        int fd = nextFd++;
        openFds.put(fd, 0);
        return fd;
    }

    @Override
    public int close(int fd) {
        if (openFds.remove(fd) == null) {
            throw new LastErrorException(EBADF);
        }
        return 0;
    }

    private DahdiIoctl which(long request) {
        for (DahdiIoctl io : DahdiIoctl.values()) {
            if (io.request() == request) {
                return io;
            }
        }
        throw new LastErrorException(ENOTTY);
    }

    @Override
    public int ioctl(int fd, long request, IntByReference value) {
        DahdiIoctl io = which(request);
        int channo = channoOf(fd);
        calls.add(io.cName() + "(" + channo + ", " + value.getValue() + ")");
        failIfScripted(io);
        switch (io) {
            case DAHDI_SPECIFY:
                if (!table.containsKey(value.getValue())) {
                    throw new LastErrorException(ENXIO);
                }
                openFds.put(fd, value.getValue());
                break;
            case DAHDI_GETEVENT:
                ArrayDeque<Integer> q = events.get(channo);
                value.setValue(q == null || q.isEmpty() ? 0 : q.poll());
                break;
            default:
                break;
        }
        return 0;
    }

    @Override
    public int ioctl(int fd, long request, Structure arg) {
        DahdiIoctl io = which(request);
        int channo = channoOf(fd);
        failIfScripted(io);
        if (arg instanceof DahdiParams p) {
            Chan c = table.get(channo);
            p.channo = channo;
            p.spanno = c.spanno();
            p.chanpos = c.chanpos();
            p.sigtype = c.sigtype();
            p.chan_alarms = spanAlarms.getOrDefault(c.spanno(), 0);
            calls.add(io.cName() + "(" + channo + ")");
        } else if (arg instanceof DahdiSpanInfo s) {
            int span = s.spanno == 0 ? table.get(channo).spanno() : s.spanno;
            s.alarms = spanAlarms.getOrDefault(span, 0);
            int[] e = spanErrors.getOrDefault(span, new int[4]);
            s.bpvcount = e[0];
            s.crc4count = e[1];
            s.fascount = e[2];
            s.errsec = e[3];
            s.lineconfig = 0x700;
            calls.add(io.cName() + "(" + channo + ", span " + span + ")");
        } else if (arg instanceof DahdiBufferInfo b) {
            calls.add(io.cName() + "(" + channo + ", " + b.txbufpolicy + "," + b.rxbufpolicy + "," + b.numbufs + "x"
                + b.bufsize + ")");
        } else if (arg instanceof DahdiEchoCanParams e) {
            calls.add(io.cName() + "(" + channo + ", taps " + e.tap_length + ")");
        } else if (arg instanceof DahdiLineConfig l) {
            calls.add(io.cName() + "(span " + l.span + ", 0x" + Integer.toHexString(l.lineconfig) + ")");
        } else {
            calls.add(io.cName() + "(" + arg.getClass().getSimpleName() + ")");
        }
        return 0;
    }

    private void failIfScripted(DahdiIoctl io) {
        Integer e = failures.get(io);
        if (e != null) {
            throw new LastErrorException(e);
        }
    }

    @Override
    public long readErrno(int fd, long address, long count) {
        Integer channo = openFds.get(fd);
        if (channo == null) {
            errno = EBADF;
            return -1;
        }
        ArrayDeque<Object> q = reads.get(channo);
        Object next = q == null ? null : q.poll();
        if (next == null) {
            errno = EAGAIN;
            return -1;
        }
        if (next instanceof Integer e) {
            errno = e;
            return -1;
        }
        byte[] data = (byte[]) next;
        int n = (int) Math.min(count, data.length);
        new Pointer(address).write(0, data, 0, n);
        return n;
    }

    @Override
    public long writeErrno(int fd, long address, long count) {
        if (!openFds.containsKey(fd)) {
            errno = EBADF;
            return -1;
        }
        calls.add("write(" + openFds.get(fd) + ", " + count + ")");
        return count;
    }

    @Override
    public int errno() {
        return errno;
    }

    @Override
    public String strerror(int errnum) {
        switch (errnum) {
            case ENXIO: return "No such device or address";
            case EBUSY: return "Device or resource busy";
            case ENOENT: return "No such file or directory";
            default: return "error " + errnum;
        }
    }

    // ---- not used by the dahdi backend
    @Override
    public long read(int fd, byte[] buf, long count) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long write(int fd, byte[] buf, long count) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long read(int fd, ByteBuffer buf, long count) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long write(int fd, ByteBuffer buf, long count) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int poll(Pointer fds, long nfds, int timeoutMs) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int ioctl(int fd, long request, int value) {
        throw new UnsupportedOperationException("DAHDI takes int arguments by pointer");
    }

    @Override
    public int ioctl(int fd, long request, Pointer arg) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int fcntl(int fd, int cmd, int arg) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int socketpair(int domain, int type, int protocol, int[] sv) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int setsockopt(int fd, int level, int optname, IntByReference optval, int optlen) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int getsockopt(int fd, int level, int optname, IntByReference optval, IntByReference optlen) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int eventfd(int initval, int flags) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int pipe2(int[] fds, int flags) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long readErrno(int fd, byte[] buf, long count) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long writeErrno(int fd, byte[] buf, long count) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int pollErrno(long address, long nfds, int timeoutMs) {
        throw new UnsupportedOperationException();
    }
}
