/**
 * The operations model: what the gateway looks like to an operator (spans, channels, live calls,
 * counters) and the events that become SNMP notifications.
 *
 * <p>Call control writes, everyone else reads. {@link org.tandem.gateway.ops.GatewayModel} holds
 * an immutable {@link org.tandem.gateway.ops.GatewaySnapshot} behind a volatile reference:
 * update methods are serialised by one lock and publish a new snapshot; readers (the SNMP agent,
 * the console) take {@code snapshot()} without locking and see one consistent picture. Counters
 * ({@link org.tandem.gateway.ops.CallCounters}) are {@code LongAdder}s, cheap to bump from any
 * thread. {@link org.tandem.gateway.ops.GatewayControl} is the other direction: the few actions
 * an operator may ask for, implemented by call control.
 */
package org.tandem.gateway.ops;
