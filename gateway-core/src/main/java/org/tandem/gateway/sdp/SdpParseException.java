package org.tandem.gateway.sdp;

/** An SDP body that cannot be read; the message names the line. The SIP side answers 400. */
public final class SdpParseException extends Exception {
    public SdpParseException(String message) {
        super(message);
    }
}
