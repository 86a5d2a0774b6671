package org.tandem.gateway.sip.stack;

import gov.nist.core.CommonLogger;
import java.util.Properties;
import javax.sip.PeerUnavailableException;
import javax.sip.SipStack;
import org.tandem.gateway.sip.SipSettings;

/**
 * Builds the JAIN-SIP RI stack with every property that matters chosen on purpose. The RI's
 * defaults suit a softphone, not a gateway: with no worker pool it starts a thread per datagram,
 * transactions are unbounded, and logging goes to log4j. Each property below says why.
 */
public final class SipStackFactory {
    private SipStackFactory() {
    }

    /** The properties for these settings (exposed so tests and docs/SIP.md can show them). */
    public static Properties properties(SipSettings s, String stackName) {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", stackName);
        // One dialog per call, created explicitly by the user agent (InviteServer, InviteClient).
        // Automatic dialogs would create a dialog for every request (OPTIONS keep-alives too) and
        // hide the 2xx/ACK bookkeeping we need for session timers and call control.
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        // A fixed worker pool instead of thread-per-message. Messages of one call are NOT kept in
        // order across workers over UDP: an ACK and a BYE sent 5 ms apart were seen handled on two
        // UDPMessageChannel threads, the BYE first. Each leg's monitor keeps its state consistent;
        // a BYE that overtakes the ACK ends the leg, and the late ACK finds no leg (no Acked event).
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", Integer.toString(s.threadPoolSize()));
        p.setProperty("gov.nist.javax.sip.TCP_POST_PARSING_THREAD_POOL_SIZE", Integer.toString(s.threadPoolSize()));
        // Our listener never blocks (it answers, parses, and enqueues for call control) and guards
        // per-call state itself, so the pool may call it concurrently; a non-reentrant listener
        // would serialise all calls behind one lock.
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        // Meant as bounds, but the RI (1.3.0-91) never enforces them: its "unlimited table" flags
        // start true and only the property's absence sets them, so the tables grow without limit
        // (SipStackFactoryTest pins this). Just as well: a call's transactions stay 32 s (timer J)
        // + 8 s (LINGER_TIMER): at 150 calls/s the table holds 5,900, so 5000 enforced would refuse
        // calls from about 100 calls/s (the RI drops at random from 80 %). What bounds a flood is
        // the per-source rate limit, overload control and CONGESTION_CONTROL_TIMEOUT (SECURITY.md).
        p.setProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", Integer.toString(s.maxServerTransactions()));
        p.setProperty("gov.nist.javax.sip.MAX_CLIENT_TRANSACTIONS", Integer.toString(s.maxClientTransactions()));
        // A message that sat in the queue longer than this is dropped (the peer has retransmitted
        // or given up by then): stops a backlog from growing under overload.
        p.setProperty("gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT", "8000");
        // A gateway INVITE with SDP is ~1.5 KB; 64 KB is the UDP maximum and bounds TCP framing too,
        // so a peer cannot make us buffer megabytes on a TCP connection.
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "65536");
        // Socket buffers: room for bursts (a trunk restarting hundreds of calls) without kernel
        // drops, not the default per-datagram 64 KB garbage.
        p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", "1048576");
        p.setProperty("gov.nist.javax.sip.SEND_UDP_BUFFER_SIZE", "1048576");
        // Keep TCP connections we opened and those peers opened: trunks reuse them (RFC 3261 18.3).
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.CACHE_SERVER_CONNECTIONS", "true");
        // A client that opens a TCP connection and sends nothing may hold a socket for 8 s at most.
        p.setProperty("gov.nist.javax.sip.READ_TIMEOUT", "8000");
        p.setProperty("gov.nist.javax.sip.MAX_CONNECTIONS", "1024");
        // CANCEL: the RI matches it to the INVITE server transaction and we answer 200 + 487.
        // For our own CANCELs the RI must not reject a CANCEL whose INVITE has had no provisional
        // yet: we only send after a provisional (RFC 3261 9.1), so keep its check on.
        p.setProperty("gov.nist.javax.sip.CANCEL_CLIENT_TRANSACTION_CHECKED", "true");
        // A retransmitted ACK is the stack's business, not call control's.
        p.setProperty("gov.nist.javax.sip.DELIVER_RETRANSMITTED_ACK_TO_LISTENER", "false");
        // Stray responses (no matching transaction) are dropped, not delivered.
        p.setProperty("gov.nist.javax.sip.REJECT_STRAY_RESPONSES", "true");
        // Free transaction/dialog memory as soon as they end: tens of thousands of calls per hour.
        // Normal, not Aggressive, although Aggressive would also drop the byte copy Normal keeps of
        // an ended transaction's request (~0.5 KB per lingering transaction): with Aggressive the
        // RI's RFC 2543 matching (a request without the z9hG4bK cookie, RFC 3261 17.2.3) calls
        // getRequest() on every lingering non-INVITE transaction, gets null and throws, and the
        // request is dropped unanswered (TortureEndToEndTest, inv2543 and longreq: no answer).
        p.setProperty("gov.nist.javax.sip.AGGRESSIVE_CLEANUP", "true");
        p.setProperty("gov.nist.javax.sip.RELEASE_REFERENCES_STRATEGY", "Normal");
        // We answer 2xx/ACK ourselves and emit events; the RI must not send BYE on its own when a
        // dialog misbehaves (SipUserAgent implements SipListenerExt.processDialogTimeout).
        p.setProperty("gov.nist.javax.sip.AUTOMATIC_DIALOG_ERROR_HANDLING", "false");
        // An early dialog that never gets a final response is torn down after 3 minutes.
        p.setProperty("gov.nist.javax.sip.EARLY_DIALOG_TIMEOUT_SECONDS", "180");
        // Logging through SLF4J only: log4j 1.x is banned from the class path.
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "true");
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "DEBUG"); // SLF4J levels decide what shows
        // Sockets marked with the signalling DSCP.
        // Requests to a registered contact go to the flow its REGISTER came from (NAT), see FlowRouter.
        p.setProperty("javax.sip.ROUTER_PATH", FlowRouter.class.getName());
        // Answers go by the transport a request came over, whatever its Via says
        // (ViaTransportValve); 481 for a PRACK matching none of our reliable 18x, which the RI would
        // drop (PrackValve). The RI runs the valves in this order.
        p.setProperty("gov.nist.javax.sip.SIP_MESSAGE_VALVE",
                ViaTransportValve.class.getName() + "," + PrackValve.class.getName());
        p.setProperty("gov.nist.javax.sip.NETWORK_LAYER", DscpNetworkLayer.class.getName());
        p.setProperty(DscpNetworkLayer.DSCP_PROPERTY, Integer.toString(s.dscp()));
        // MESSAGE_PROCESSOR_FACTORY: the RI's classic (blocking) processors, whose TCP/TLS sockets
        // come from NETWORK_LAYER and so pass ConnectionGuard (the NIO ones would not).
        // OneBufferUdpProcessorFactory (UDP read into one buffer) is not switched on yet: see
        // docs/BENCHMARKS.md "The SIP stack's settings".
        // TLS (docs/SIP.md "TLS"): the RI sets these on every TLS socket it uses; its defaults
        // include TLS 1.0 and anonymous/3DES suites. Client certificates: Disabled = not asked,
        // Want = asked (a bad one fails the handshake), Enabled = required (ClientAuthServerSocket
        // keeps the RI from undoing it). The RI's watchdog closes a connection whose handshake has
        // not finished in time, both ways: inbound on the connection's own thread, outbound on
        // the sending thread, which waits for it.
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", TlsSockets.protocolsProperty());
        p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", TlsSockets.cipherSuitesProperty());
        if (s.tls() != null) {
            p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", switch (s.tls().clients()) {
                case NONE -> "Disabled";
                case OPTIONAL -> "Want";
                case REQUIRED -> "Enabled";
            });
            p.setProperty("gov.nist.javax.sip.SSL_HANDSHAKE_TIMEOUT", Integer.toString(s.tls().handshakeTimeoutMs()));
        }
        return p;
    }

    /** Creates a stack; listening points and providers are SipUserAgent's job. */
    public static SipStack create(SipSettings s, String stackName) throws PeerUnavailableException {
        // Before the stack exists, classes that log statically would otherwise reach log4j.
        CommonLogger.legacyLogger = new Slf4jStackLogger();
        // Not SipFactory.createSipStack: that caches stacks process-wide by name.
        return new gov.nist.javax.sip.SipStackImpl(properties(s, stackName));
    }
}
