/**
 * Routing: which route a call takes, how its numbers are rewritten, and which targets (channel
 * groups, SIP trunks, fixed URIs) are tried in which order. Pure and immutable; call control owns
 * the decisions. docs/CALLS.md describes the rules.
 */
package org.tandem.gateway.route;
