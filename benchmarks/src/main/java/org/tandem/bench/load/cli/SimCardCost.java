package org.tandem.bench.load.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import org.tandem.pri.PriEngine;
import org.tandem.simexchange.ChannelMode;
import org.tandem.simexchange.ExchangeConfig;
import org.tandem.simexchange.SimExchange;
import org.tandem.simexchange.SimPstn;
import org.tandem.tdm.BChannel;
import org.tandem.tdm.SpanType;

/**
 * What the test rig itself costs: the simulated card's clock thread with the simulated exchange's
 * audio on {@code --spans} E1 spans, {@code --active} of whose B-channels carry a call (the
 * exchange loops the audio back; a "gateway" thread reads every block and answers it with one,
 * as the media engine does) while the others idle, as between calls under {@code bin/tandem-load}.
 * Prints the clock thread's CPU per 20 ms period and in % of a core. No SIP, no gateway: the figure
 * does not depend on how many calls a loaded machine manages to set up. docs/BENCHMARKS.md,
 * "Cheaper simulated card".
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.tandem.bench.load.SimCardCost --spans 32 --active 100</pre>
 */
public final class SimCardCost {
    private SimCardCost() {
    }

    public static void main(String[] args) throws Exception {
        int spans = 32;
        int active = 100;
        int seconds = 20;
        int warmup = 10;
        boolean listener = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--spans" -> spans = Integer.parseInt(args[++i]);
                case "--active" -> active = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup-s" -> warmup = Integer.parseInt(args[++i]);
                case "--digit-listener" -> listener = true;
                default -> {
                    System.err.println("usage: SimCardCost [--spans N] [--active N] [--seconds S] [--warmup-s S]"
                            + " [--digit-listener]");
                    System.exit(2);
                }
            }
        }
        if (active > spans * 30) {
            throw new IllegalArgumentException("--active " + active + " > " + spans * 30 + " B-channels");
        }
        PriEngine engine = PriEngine.start("pri-simcost");
        SimPstn pstn = SimPstn.start(engine, SpanType.E1, spans, ExchangeConfig.defaults(SpanType.E1));
        try {
            if (listener) {
                for (SimExchange x : pstn.exchanges()) {
                    x.addDigitListener((ch, d) -> { });
                }
            }
            // Calls spread over the spans as call control spreads them: round robin.
            List<BChannel> calls = new ArrayList<>();
            int[] positions = SimPstn.bChannels(SpanType.E1);
            for (int i = 0; i < active; i++) {
                int span = 1 + i % spans;
                int chanpos = positions[i / spans];
                pstn.exchange(span).setChannelMode(chanpos, ChannelMode.LOOPBACK);
                BChannel ch = pstn.span(span).bChannel(chanpos);
                ch.flush(1);
                calls.add(ch);
            }
            Gateway gw = new Gateway(calls);
            Thread media = new Thread(gw, "fake-media");
            media.setDaemon(true);
            media.start();

            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long clockId = threadId("sim-card-clock");
            Thread.sleep(warmup * 1000L);
            long c0 = mx.getThreadCpuTime(clockId);
            long m0 = mx.getThreadCpuTime(media.getId());
            long p0 = pstn.card().periods();
            long catch0 = pstn.card().catchUpTicks();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long c1 = mx.getThreadCpuTime(clockId);
            long m1 = mx.getThreadCpuTime(media.getId());
            long p1 = pstn.card().periods();
            long t1 = System.nanoTime();
            gw.stop = true;
            media.join(1000);
            long periods = p1 - p0;
            System.out.printf(Locale.ROOT, "sim card: %d spans (%d B-channels), %d in a call (loopback)%s, %d s"
                    + " after %d s warm-up%n", spans, spans * 30, active, listener ? ", DTMF listener on" : "", seconds,
                    warmup);
            System.out.printf(Locale.ROOT, "  sim-card-clock CPU %.1f%% of a core, %.0f us per 20 ms period (%d periods,"
                    + " %d run back to back after a late wake-up, %d slips)%n", 100.0 * (c1 - c0) / (t1 - t0),
                    (c1 - c0) / 1000.0 / Math.max(1, periods), periods, pstn.card().catchUpTicks() - catch0,
                    pstn.card().clockSlips());
            System.out.printf(Locale.ROOT, "  gateway side (fake-media: read every block, write one back) CPU %.1f%%"
                    + " of a core; %d blocks looped%n", 100.0 * (m1 - m0) / (t1 - t0), gw.blocks);
        } finally {
            pstn.close();
            engine.close();
        }
    }

    private static long threadId(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t.getId();
            }
        }
        throw new IllegalStateException("no thread named " + name);
    }

    /** Reads every block waiting on the call channels every 2 ms and writes one block back for each. */
    private static final class Gateway implements Runnable {
        private final BChannel[] calls;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(160);
        volatile boolean stop;
        volatile long blocks;

        Gateway(List<BChannel> calls) {
            this.calls = calls.toArray(new BChannel[0]);
        }

        @Override
        public void run() {
            long n = 0;
            while (!stop) {
                for (BChannel ch : calls) {
                    for (int i = 0; i < 16; i++) {
                        buf.clear();
                        int r = ch.read(buf);
                        if (r == BChannel.EVENT_PENDING) {
                            ch.nextEvent();
                            continue;
                        }
                        if (r <= 0) {
                            break;
                        }
                        buf.flip();
                        ch.write(buf);
                        n++;
                    }
                }
                blocks = n;
                LockSupport.parkNanos(2_000_000L);
            }
        }
    }
}
