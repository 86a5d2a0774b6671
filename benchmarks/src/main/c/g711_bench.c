/*
 * The C side of Tandem's G.711 speed comparison (docs/BENCHMARKS.md): the same table loops as
 * org.tandem.codecs.g711 (64 KiB linear->law table, 256-entry law->linear and A<->mu tables), on
 * the same pseudo-random input as the JMH benchmark, compiled with gcc -O2. Tables are filled from
 * spandsp's own conversions, so the C loop does exactly the work the Java loop does.
 *
 * Usage: g711_bench [seconds-per-case]   (run through benchmarks/run-c-bench.sh)
 * Prints, per operation and frame size: ns per call, ns per sample, samples per second.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <spandsp.h>

static uint8_t lin2a[65536], lin2u[65536], a2u[256], u2a[256];
static int16_t a2lin[256], u2lin[256];

/* noinline: like a Java method called per frame, each call converts one whole frame. */
__attribute__((noinline)) static void encode(const uint8_t *restrict table, const int16_t *restrict src,
                                             uint8_t *restrict dst, int len)
{
    for (int i = 0; i < len; i++)
        dst[i] = table[(uint16_t) src[i]];
}

__attribute__((noinline)) static void decode(const int16_t *restrict table, const uint8_t *restrict src,
                                             int16_t *restrict dst, int len)
{
    for (int i = 0; i < len; i++)
        dst[i] = table[src[i]];
}

__attribute__((noinline)) static void transcode(const uint8_t *restrict table, const uint8_t *restrict src,
                                                uint8_t *restrict dst, int len)
{
    for (int i = 0; i < len; i++)
        dst[i] = table[src[i]];
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static volatile uint32_t sink;

#define RUN(name, call, outbuf)                                                              \
    do {                                                                                     \
        long calls = 0, batch = 1 + (1 << 22) / n;                                          \
        double t0 = now_ns(), t1;                                                            \
        do {                                                                                 \
            for (long k = 0; k < batch; k++) {                                               \
                call;                                                                        \
                __asm__ __volatile__("" : : "r"(outbuf) : "memory");                        \
            }                                                                                \
            calls += batch;                                                                  \
            t1 = now_ns();                                                                   \
        } while (t1 - t0 < seconds * 1e9);                                                   \
        sink += ((uint8_t *) (outbuf))[0];                                                   \
        double per_call = (t1 - t0) / calls;                                                 \
        printf("%-14s %6d %12.1f %10.3f %14.0f\n", name, n, per_call, per_call / n,          \
               n * 1e9 / per_call);                                                          \
    } while (0)

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 1.0;
    static const int sizes[] = {80, 160, 320, 65536};

    for (int i = 0; i < 65536; i++) {
        lin2a[i] = linear_to_alaw((int16_t) i);
        lin2u[i] = linear_to_ulaw((int16_t) i);
    }
    for (int i = 0; i < 256; i++) {
        a2lin[i] = alaw_to_linear(i);
        u2lin[i] = ulaw_to_linear(i);
        a2u[i] = alaw_to_ulaw(i);
        u2a[i] = ulaw_to_alaw(i);
    }
    printf("%-14s %6s %12s %10s %14s\n", "operation", "n", "ns/call", "ns/sample", "samples/s");
    for (unsigned s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int n = sizes[s];
        int16_t *lin = malloc(n * sizeof *lin), *dec = malloc(n * sizeof *dec);
        uint8_t *al = malloc(n), *mu = malloc(n), *out = malloc(n);
        uint32_t x = 0x12345678; /* xorshift32, as AbstractBenchmark.fillSamples */
        for (int i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            lin[i] = (int16_t) x;
            al[i] = lin2a[(uint16_t) lin[i]];
            mu[i] = lin2u[(uint16_t) lin[i]];
        }
        RUN("linearToAlaw", encode(lin2a, lin, out, n), out);
        RUN("linearToMulaw", encode(lin2u, lin, out, n), out);
        RUN("alawToLinear", decode(a2lin, al, dec, n), dec);
        RUN("mulawToLinear", decode(u2lin, mu, dec, n), dec);
        RUN("alawToMulaw", transcode(a2u, al, out, n), out);
        RUN("mulawToAlaw", transcode(u2a, mu, out, n), out);
        free(lin); free(dec); free(al); free(mu); free(out);
    }
    return sink == 0xFFFFFFFFu;
}
