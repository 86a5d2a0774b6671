/**
 * Command-line measurements of one part of the gateway under load (a {@code main} each, printing
 * what they measured): {@link org.tandem.bench.load.cli.CdrBurst} (the CDR writer at a steady
 * record rate), {@link org.tandem.bench.load.cli.SimCardCost} (the simulated card and exchange
 * without SIP). The figures and commands are in docs/BENCHMARKS.md.
 */
package org.tandem.bench.load.cli;
