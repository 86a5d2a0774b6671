package org.tandem.pri;

import org.tandem.pri.jna.PriConstants;

/** Which side of the user-network interface a libpri instance plays. */
public enum PriNode {
    /** The gateway's side facing a carrier (user side, "TE"). */
    CPE(PriConstants.PRI_CPE),
    /** The exchange side (the simulated exchange, or a gateway acting as network towards a PBX). */
    NETWORK(PriConstants.PRI_NETWORK);

    private final int code;

    PriNode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
