/**
 * The PSTN side as call control sees it: the adapter that starts libpri on the configured spans
 * and hands PRI events to call control's queue, and Q.931 number conversions.
 */
package org.tandem.gateway.pstn;
