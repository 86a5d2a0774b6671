package org.tandem.gateway.media;

import java.io.IOException;
import org.tandem.gateway.rtp.RtpPorts;

/**
 * What call control uses to give calls their media. Thread-safe; never blocks on an agent.
 *
 * <pre>
 *   RtpPorts ports = media.allocatePorts();          // for the SDP: ports.rtpPort()
 *   ... offer/answer done, B-channel chosen ...
 *   MediaHandle h = media.attach(spec(ports, ...), listener);   // ports now belong to the engine
 *   h.attached().whenComplete(...);                   // failure: ports already closed
 *   ... h.setDirection(SENDONLY) / h.updateRemote(addr) ...
 *   h.detach().thenAccept(stats -> cdr.media(stats));  // ports returned
 * </pre>
 * A call that fails before attach closes its {@link RtpPorts} itself ({@code close()} is idempotent).
 */
public interface MediaProxy {
    /** Binds the next free RTP/RTCP pair of the configured range. */
    RtpPorts allocatePorts() throws IOException;

    /** Puts the call on the least loaded agent; returns at once. */
    MediaHandle attach(MediaSessionSpec spec, MediaListener listener);

    /** Port pairs currently reserved (for SNMP and leak checks). */
    int portsInUse();
}
