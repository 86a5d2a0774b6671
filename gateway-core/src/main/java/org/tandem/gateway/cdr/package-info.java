/**
 * Call detail records: one {@link org.tandem.gateway.cdr.CallRecord} per call attempt, written
 * by {@link org.tandem.gateway.cdr.CdrWriter} as one CSV line (RFC 4180) in a daily file, on its
 * own thread so call control never waits for the disk. docs/OPERATIONS.md explains the columns.
 */
package org.tandem.gateway.cdr;
