/**
 * The load harness behind {@code bin/tandem-load}: sipp ramps against the whole gateway (SIP, call
 * control, libpri, the simulated exchange, media) and, in the same run, against a bare JAIN-SIP RI
 * UAS and {@code sipp -sn uas}; see {@link org.tandem.bench.load.LoadCli} and docs/BENCHMARKS.md.
 */
package org.tandem.bench.load;
