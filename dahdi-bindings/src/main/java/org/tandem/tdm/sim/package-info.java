/**
 * The simulated card ({@code backend = sim}): a software E1/T1 card whose D-channel and
 * B-channels are AF_UNIX SOCK_SEQPACKET socketpairs, paced by a drift-free 20 ms clock, with
 * injectable faults (red/yellow alarm, D-channel loss, a stuck channel). The far ends belong to
 * the simulated exchange ({@code sim-exchange} module) or to a test.
 */
package org.tandem.tdm.sim;
