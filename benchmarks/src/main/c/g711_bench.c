/*
 * The C side of Tandem's G.711 speed comparison (docs/BENCHMARKS.md): the same table loops as
 * org.tandem.codecs.g711 (64 KiB linear->law tables indexed by the whole sample; 256-entry
 * law->linear and A<->mu tables), on the same pseudo-random input as the JMH benchmark, compiled
 * with gcc -O2. Tables are filled from spandsp's own conversions (mu-law with G.191's one's
 * complement for negatives, as Tandem), so the C loop does the work the Java loop does. The
 * "linearToAlaw8K"/"linearToMulaw16K" rows index smaller tables by the law's uniform code
 * (sample >> 3 or >> 2), the alternative shape docs/BENCHMARKS.md compares.
 *
 * Usage: g711_bench [seconds-per-run [runs-per-case]]   (run through benchmarks/run-c-bench.sh)
 * Prints, per operation and frame size: median ns per call and per sample over the runs, the best
 * run's ns per sample and samples per second.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <spandsp.h>

static uint8_t lin2a[8192], lin2u[16384], lin2a64k[65536], lin2u64k[65536], a2u[256], u2a[256];
static int16_t a2lin[256], u2lin[256];

/* noinline: like a Java method called per frame, each call converts one whole frame. */
__attribute__((noinline)) static void encode_alaw8k(const int16_t *restrict src, uint8_t *restrict dst, int len)
{
    for (int i = 0; i < len; i++)
        dst[i] = lin2a[(uint16_t) src[i] >> 3];
}

__attribute__((noinline)) static void encode_ulaw16k(const int16_t *restrict src, uint8_t *restrict dst, int len)
{
    for (int i = 0; i < len; i++)
        dst[i] = lin2u[(uint16_t) src[i] >> 2];
}

__attribute__((noinline)) static void encode64k(const uint8_t *restrict table, const int16_t *restrict src,
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

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

/* One case: `reps` timed runs of about `seconds` each; prints the median and the best run (on a
 * shared machine the best run is the one least disturbed by other processes). */
#define MAX_REPS 100
#define RUN(name, call, outbuf)                                                              \
    do {                                                                                     \
        double per_call[MAX_REPS];                                                           \
        for (int r = 0; r < reps; r++) {                                                     \
            long calls = 0, batch = 1 + (1 << 22) / n;                                      \
            double t0 = now_ns(), t1;                                                        \
            do {                                                                             \
                for (long k = 0; k < batch; k++) {                                           \
                    call;                                                                    \
                    __asm__ __volatile__("" : : "r"(outbuf) : "memory");                    \
                }                                                                            \
                calls += batch;                                                              \
                t1 = now_ns();                                                               \
            } while (t1 - t0 < seconds * 1e9);                                               \
            per_call[r] = (t1 - t0) / calls;                                                 \
        }                                                                                    \
        sink += ((uint8_t *) (outbuf))[0];                                                   \
        qsort(per_call, reps, sizeof per_call[0], cmp_double);                               \
        double med = per_call[reps / 2], best = per_call[0];                                 \
        printf("%-16s %6d %10.1f %12.3f %10.3f %14.0f\n", name, n, med, med / n, best / n,   \
               n * 1e9 / best);                                                              \
    } while (0)

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 1.0;
    int reps = argc > 2 ? atoi(argv[2]) : 5;
    if (reps < 1 || reps > MAX_REPS) {
        fprintf(stderr, "reps must be 1..%d\n", MAX_REPS);
        return 2;
    }
    static const int sizes[] = {80, 160, 320, 65536};

    for (int i = -32768; i < 32768; i++) {
        /* G.191's mu-law: a negative sample's magnitude is -s - 1 (docs/CODECS.md) */
        uint8_t u = i >= 0 ? linear_to_ulaw(i) : linear_to_ulaw(i + 1) & 0x7F;
        lin2a64k[(uint16_t) i] = lin2a[(i >> 3) & 0x1FFF] = linear_to_alaw(i);
        lin2u64k[(uint16_t) i] = lin2u[(i >> 2) & 0x3FFF] = u;
    }
    for (int i = 0; i < 256; i++) {
        a2lin[i] = alaw_to_linear(i);
        u2lin[i] = ulaw_to_linear(i);
        a2u[i] = alaw_to_ulaw(i);
        u2a[i] = ulaw_to_alaw(i);
    }
    printf("%-16s %6s %10s %12s %10s %14s\n", "operation", "n", "ns/call", "ns/sample", "best", "best samples/s");
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
            al[i] = lin2a64k[(uint16_t) lin[i]];
            mu[i] = lin2u64k[(uint16_t) lin[i]];
        }
        RUN("linearToAlaw", encode64k(lin2a64k, lin, out, n), out);
        RUN("linearToMulaw", encode64k(lin2u64k, lin, out, n), out);
        RUN("linearToAlaw8K", encode_alaw8k(lin, out, n), out);
        RUN("linearToMulaw16K", encode_ulaw16k(lin, out, n), out);
        RUN("alawToLinear", decode(a2lin, al, dec, n), dec);
        RUN("mulawToLinear", decode(u2lin, mu, dec, n), dec);
        RUN("alawToMulaw", transcode(a2u, al, out, n), out);
        RUN("mulawToAlaw", transcode(u2a, mu, out, n), out);
        free(lin); free(dec); free(al); free(mu); free(out);
    }
    return sink == 0xFFFFFFFFu;
}
