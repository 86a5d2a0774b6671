/**
 * The simulated telephone exchange: the NETWORK side of a simulated span, running real libpri, with the standard test lines (milliwatt, loop-around, busy, unallocated, congestion, no answer).
 */
package org.tandem.simexchange;
