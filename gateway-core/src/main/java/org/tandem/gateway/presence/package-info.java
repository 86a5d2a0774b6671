/**
 * Presence of lines (RFC 6665 SUBSCRIBE/NOTIFY) as plain Java: the {@code dialog} event package
 * (RFC 4235, busy-lamp field of users and PSTN numbers) and {@code presence} (RFC 3856, PIDF
 * RFC 3863 with the RFC 4480 on-the-phone activity) of the {@code [user NAME]} phones.
 *
 * <p>{@link org.tandem.gateway.presence.SubscriptionManager} judges SUBSCRIBEs and decides each
 * NOTIFY; {@link org.tandem.gateway.presence.LineIndex} reads who is in a call from the ops
 * model's snapshot and who is registered from the registrar's; {@link
 * org.tandem.gateway.presence.PidfDocument} and {@link org.tandem.gateway.presence.DialogInfoDocument}
 * write the bodies; {@link org.tandem.gateway.presence.PresenceService} is the one thread that
 * owns all of it. No JAIN-SIP type appears here: {@code sip.SubscribeRequests} turns messages into
 * {@link org.tandem.gateway.presence.SubscribeRequest}s and sends the
 * {@link org.tandem.gateway.presence.NotifyRequest}s (docs/PRESENCE.md).
 */
package org.tandem.gateway.presence;
