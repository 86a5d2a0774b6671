package org.tandem.gateway.sdp;

/** The two G.711 laws with their RFC 3551 static payload types. */
public enum G711 {
    PCMU(0), PCMA(8);

    private final int payloadType;

    G711(int payloadType) {
        this.payloadType = payloadType;
    }

    public int payloadType() {
        return payloadType;
    }

    public G711 other() {
        return this == PCMU ? PCMA : PCMU;
    }

    RtpMap rtpMap() {
        return new RtpMap(payloadType, name(), 8000, 1);
    }
}
