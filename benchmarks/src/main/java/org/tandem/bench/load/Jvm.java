package org.tandem.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.management.JMException;
import javax.management.ObjectName;

/** Figures of this JVM and of the machine, read from the JDK and /proc. */
final class Jvm {
    private static final long TICK_NS = 10_000_000L; // USER_HZ = 100 on Linux

    private Jvm() {
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * CPU time of this JVM's live threads by group, in ns: the thread name with digits and what
     * follows a '-' after them folded (tandem-sip-2-UDPMessageChannelThread-3 -> sip workers), so a
     * step's difference shows where a call's CPU goes. Threads that ended in between are missed.
     */
    static Map<String, Long> threadCpuByGroup() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> m = new java.util.TreeMap<>();
        for (long id : mx.getAllThreadIds()) {
            java.lang.management.ThreadInfo info = mx.getThreadInfo(id);
            long cpu = mx.getThreadCpuTime(id);
            if (info == null || cpu < 0) {
                continue;
            }
            m.merge(group(info.getThreadName()), cpu, Long::sum);
        }
        return m;
    }

    static String group(String thread) {
        if (thread.contains("UDPMessageChannelThread")) {
            return "sip-workers";
        }
        if (thread.startsWith("media-")) {
            return "media";
        }
        if (thread.startsWith("MessageProcessorThread")) {
            return "sip-udp-reader";
        }
        if (thread.equals("call-control") || thread.equals("pri") || thread.equals("sim-card-clock")
                || thread.equals("rtp-echo") || thread.equals("cdr-writer") || thread.startsWith("AsyncAppender")
                || thread.equals("main") || thread.contains("SipTimer")) {
            return thread.startsWith("AsyncAppender") ? "log-writer" : thread;
        }
        return "other";
    }

    /** Heap used after System.gc() (a full, synchronous collection with ZGC and G1). */
    static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Live objects by class after a full collection (the JDK's GC.class_histogram), exact to the
     * byte, unlike heap "used", which ZGC reports in whole 2 MB pages: written to {@code save} (instances and bytes per class; with
     * -Dtandem.load.heapDumps=true also an .hprof beside it); returns only the total, so the
     * caller holds no copy of it in the heap the next histogram counts (a parsed histogram is
     * ~2,300 map entries, ~0.3 MB: 0.5 KB per call of 600 that was counted as the calls').
     */
    static long liveHistogramTo(Path save) {
        String text = histogramText();
        try {
            java.nio.file.Files.writeString(save, text);
            if (Boolean.getBoolean("tandem.load.heapDumps")) {
                Path hprof = save.resolveSibling(save.getFileName().toString().replace(".txt", ".hprof"));
                java.nio.file.Files.deleteIfExists(hprof);
                ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                        .dumpHeap(hprof.toString(), true);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("histogram not saved to " + save, e);
        }
        return parseHistogram(text).get("");
    }

    /** A histogram saved by {@link #liveHistogramTo}, parsed: class name -> bytes, "" -> the total. */
    static Map<String, Long> readHistogram(Path saved) throws java.io.IOException {
        return parseHistogram(java.nio.file.Files.readString(saved));
    }

    private static String histogramText() {
        try {
            return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IllegalStateException("GC.class_histogram failed", e);
        }
    }

    private static Map<String, Long> parseHistogram(String text) {
        Map<String, Long> m = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                m.merge(f[3], Long.parseLong(f[2]), Long::sum);
            } else if (f.length >= 3 && f[0].equals("Total")) {
                m.put("", Long.parseLong(f[2]));
            }
        }
        return m;
    }

    /** CPU of this JVM's reaped children (sipp clients), from /proc/self/stat cutime + cstime. */
    static long childrenCpuNanos() {
        String[] f = statFields(Path.of("/proc/self/stat"));
        return f == null ? 0 : (Long.parseLong(f[13]) + Long.parseLong(f[14])) * TICK_NS;
    }

    /** CPU of a live process (utime + stime), or 0. */
    static long processCpuNanos(long pid) {
        String[] f = statFields(Path.of("/proc/" + pid + "/stat"));
        return f == null ? 0 : (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_NS;
    }

    /** Fields after the command name of a /proc/PID/stat line: index 0 is the state (field 3). */
    private static String[] statFields(Path p) {
        try {
            String s = Files.readString(p);
            return s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
        } catch (IOException e) {
            return null;
        }
    }

    /** {busy, total} jiffies of all CPUs since boot, from /proc/stat. */
    static long[] machineJiffies() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException e) {
            return new long[] {0, 0};
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }
}
