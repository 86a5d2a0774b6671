package org.tandem.bench.load.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.tandem.gateway.cdr.CallRecord;
import org.tandem.gateway.cdr.CdrWriter;
import org.tandem.gateway.cdr.Disposition;
import org.tandem.gateway.ops.CallDirection;

/**
 * CDRs at a steady rate for some seconds through a real {@link CdrWriter} (files in a temp dir):
 * the cdr-writer thread's CPU per record. docs/BENCHMARKS.md "Per-call cuts", second round:
 * {@code java -cp benchmarks/target/benchmarks.jar org.tandem.bench.load.CdrBurst 200 15}.
 */
public final class CdrBurst {
    public static void main(String[] a) throws Exception {
        int rate = Integer.parseInt(a[0]);
        int seconds = Integer.parseInt(a[1]);
        Path dir = Files.createTempDirectory("cdrburst");
        CdrWriter w = new CdrWriter(dir, Clock.systemUTC());
        w.start();
        Thread.sleep(200);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long tid = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("cdr-writer")).findFirst().get().getId();
        long cpu0 = mx.getThreadCpuTime(tid);
        long t0 = System.nanoTime();
        int n = rate * seconds;
        for (int i = 0; i < n; i++) {
            long now = System.currentTimeMillis();
            w.submit(new CallRecord("c" + i, CallDirection.SIP_TO_PSTN, now - 1500, now - 1000, now, "5551234", "1000",
                    "5551234", "1000", 1 + i % 32, 1 + i % 30, i + "-1@127.0.0.1", "load 127.0.0.1:5060", 16, 200,
                    Disposition.ANSWERED, "sip", 25, 25, 0, 800, ""));
            long due = t0 + (long) ((i + 1) * 1e9 / rate);
            long sleep = due - System.nanoTime();
            if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
        while (w.written() + w.failed() < n) Thread.sleep(5);
        long cpu = mx.getThreadCpuTime(tid) - cpu0;
        System.out.printf("rate %d/s, %d records in %.1f s: cdr-writer CPU %d us per record, written %d, failed %d%n",
                rate, n, (System.nanoTime() - t0) / 1e9, cpu / 1000 / n, w.written(), w.failed());
        w.close();
    }
}
