/**
 * Command-line load harnesses (a {@code main} each) that start the gateway, drive it with real
 * peers and print what they measured; the figures go to docs/BENCHMARKS.md.
 */
package org.tandem.bench.media.cli;
