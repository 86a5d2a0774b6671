package org.tandem.gateway.sip.stack;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.OIOMessageProcessorFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.UDPMessageChannel;
import gov.nist.javax.sip.stack.UDPMessageProcessor;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.LinkedList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RI's classic message processors (gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY), except that
 * the UDP reader receives every datagram into one buffer of its own and hands the workers a copy of
 * the datagram's length. The RI's {@code UDPMessageProcessor.run} allocates (and the JVM zeroes) a
 * new 64 KB array per datagram, a call's INVITE, ACK and BYE about 200 KB of garbage: two thirds of
 * the reader thread's CPU and most of the stack's allocation (docs/BENCHMARKS.md "The SIP stack's
 * settings"). Datagrams up to 65,535 bytes are still taken whole (RFC 3261 18.1.1).
 *
 * <p>Everything else is the RI's: the socket comes from NETWORK_LAYER (DSCP), the queue, its
 * congestion auditor (CONGESTION_CONTROL_TIMEOUT) and the worker channels that parse are the ones
 * {@link UDPMessageProcessor} sets up; TCP and TLS are the classic processors, whose sockets the
 * TCP guards see ({@link OIOMessageProcessorFactory}).
 *
 * <p>Not switched on in {@link SipStackFactory} yet (FuzzEndToEndTest on a loaded box, see
 * docs/BENCHMARKS.md "The SIP stack's settings"); set gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY
 * to this class (a JVM system property does) to measure it.
 */
public final class OneBufferUdpProcessorFactory extends OIOMessageProcessorFactory {
    private static final Logger LOG = LoggerFactory.getLogger(OneBufferUdpProcessorFactory.class);
    private static final int MAX_DATAGRAM = SipStackImpl.MAX_DATAGRAM_SIZE;

    /** Public no-arg constructor: the RI instantiates this class by name. */
    public OneBufferUdpProcessorFactory() {
    }

    @Override
    public MessageProcessor createMessageProcessor(SIPTransactionStack stack, InetAddress address, int port,
            String transport) throws IOException {
        if (!"udp".equalsIgnoreCase(transport)) {
            return super.createMessageProcessor(stack, address, port, transport);
        }
        MessageProcessor p = new Processor(address, stack, port, stackInt(stack, "threadPoolSize"));
        // What the RI's factory does for UDP: answers go out of the listening socket, not a new one.
        try {
            stackField("udpFlag").setBoolean(stack, true);
        } catch (IllegalAccessException e) {
            throw new IOException("JAIN-SIP field udpFlag", e);
        }
        return p;
    }

    private static int stackInt(SIPTransactionStack stack, String name) throws IOException {
        try {
            return stackField(name).getInt(stack);
        } catch (IllegalAccessException e) {
            throw new IOException("JAIN-SIP field " + name, e);
        }
    }

    private static Field stackField(String name) throws IOException {
        try {
            Field f = SIPTransactionStack.class.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("JAIN-SIP changed: no SIPTransactionStack." + name
                    + "; remove MESSAGE_PROCESSOR_FACTORY from SipStackFactory", e);
        }
    }

    /** The RI's UDP processor with its reader loop replaced. */
    static final class Processor extends UDPMessageProcessor {
        private final int workers;
        private int errorsReported;

        Processor(InetAddress address, SIPTransactionStack stack, int port, int workers) throws IOException {
            super(address, stack, port);
            this.workers = workers;
        }

        @Override
        public void run() {
            if (workers < 1) {
                super.run(); // no pool: the RI's thread per datagram (SipStackFactory always sets a pool)
                return;
            }
            LinkedList<UDPMessageChannel> channels = new LinkedList<>();
            String stackName = ((SipStackImpl) sipStack).getStackName();
            for (int i = 0; i < workers; i++) {
                channels.add(new Worker(sipStack, this, stackName + "-UDPMessageChannelThread-" + i));
            }
            messageChannels = channels;
            byte[] buffer = new byte[MAX_DATAGRAM];
            DatagramPacket in = new DatagramPacket(buffer, buffer.length);
            while (isRunning) {
                try {
                    in.setData(buffer); // resets the length a shorter datagram left
                    sock.receive(in);
                    byte[] datagram = Arrays.copyOf(buffer, in.getLength());
                    DatagramPacket packet = new DatagramPacket(datagram, datagram.length, in.getAddress(), in.getPort());
                    messageQueue.offer(new DatagramQueuedMessageDispatch(packet, System.currentTimeMillis()));
                } catch (SocketTimeoutException e) {
                    // only with the RI's thread auditor, which we do not use
                } catch (IOException | RuntimeException e) {
                    if (!isRunning) {
                        return; // stop() closed the socket
                    }
                    if (errorsReported < 10) { // as the RI: the first 10, then quiet
                        errorsReported++;
                        LOG.warn("UDP receive on port {}: {}", getPort(), e.toString());
                    }
                }
            }
        }
    }

    /** A worker channel: the RI's own, made from here (its constructor is protected). */
    static final class Worker extends UDPMessageChannel {
        Worker(SIPTransactionStack stack, UDPMessageProcessor processor, String threadName) {
            super(stack, processor, threadName);
        }
    }
}
