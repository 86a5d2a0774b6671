package org.tandem.simexchange;

/** What the exchange plays towards the gateway on a B-channel. */
public enum ChannelMode {
    /** No call: the idle code. */
    IDLE,
    /** Answered, nothing to play: silence. */
    SILENCE,
    /** 1004 Hz at 0 dBm0. */
    MILLIWATT,
    /** What the gateway sends comes straight back. */
    LOOPBACK,
    RINGBACK,
    BUSY,
    CONGESTION
}
