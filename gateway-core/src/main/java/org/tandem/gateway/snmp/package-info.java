/**
 * The SNMP agent (SNMP4J-Agent): MIB-II system group, IF-MIB ifTable/ifXTable and DS1-MIB
 * (RFC 4805) for the spans, and TANDEM-GATEWAY-MIB (mibs/TANDEM-GATEWAY-MIB.txt) for the rest;
 * notifications to configured receivers.
 *
 * <p>Every table is rendered from the {@link org.tandem.gateway.ops.GatewayModel} snapshot at
 * request time ({@link org.tandem.gateway.snmp.SnapshotSubtree}), so the agent holds no copy of
 * gateway state that could go stale, and a walk never sees half an update. The agent is
 * read-only: no object accepts SET.
 */
package org.tandem.gateway.snmp;
