/**
 * Backend-neutral TDM interfaces (span, D-channel, B-channel) implemented by the {@code dahdi} device backend and the {@code sim} simulated card. Code above this layer cannot tell which backend it has.
 */
package org.tandem.tdm;
