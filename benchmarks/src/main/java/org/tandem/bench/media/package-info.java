/**
 * Media benchmarks: the per-frame path of one channel ({@link org.tandem.bench.media.MediaFramePathBenchmark},
 * run with {@code -prof gc} to show it allocates nothing) and a whole agent carrying N channels of
 * the simulated span with RTP peers on loopback ({@link org.tandem.bench.media.MediaLoopBenchmark}).
 * Commands and figures: docs/BENCHMARKS.md, section "Media".
 */
package org.tandem.bench.media;
