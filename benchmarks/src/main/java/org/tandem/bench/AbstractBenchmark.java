package org.tandem.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Defaults every Tandem benchmark inherits: average time per operation in nanoseconds, one fork,
 * 3 x 1 s warm-up, 5 x 1 s measurement. Short, because the reference machine has two shared cores;
 * override on the command line ({@code -f -wi -i -w -r}) for longer runs.
 * See docs/BENCHMARKS.md for the commands and recorded figures.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public abstract class AbstractBenchmark {

    /**
     * Fills {@code dst} with the same pseudo-random 16-bit samples as {@code g711_bench.c}
     * (xorshift32 seeded with 0x12345678, low 16 bits), so the Java and C figures see the same input.
     */
    protected static void fillSamples(short[] dst) {
        int x = 0x12345678;
        for (int i = 0; i < dst.length; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            dst[i] = (short) x;
        }
    }
}
