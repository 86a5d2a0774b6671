/**
 * JMH benchmarks and the load harness; see docs/BENCHMARKS.md for the commands and recorded figures.
 */
package org.tandem.bench;
