package org.tandem.gateway.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.ReleaseReferencesStrategy;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.parser.StringMsgParserFactory;
import gov.nist.javax.sip.stack.OIOMessageProcessorFactory;
import gov.nist.javax.sip.stack.timers.DefaultSipTimer;
import org.junit.jupiter.api.Test;
import org.tandem.gateway.sip.SipSettings;

/**
 * The stack the RI really builds from {@link SipStackFactory#properties}: the settings the security
 * work depends on, and the ones the per-call cost was measured with (docs/BENCHMARKS.md "The SIP
 * stack's settings"). Read from the live stack, not the Properties, because the RI lets a JVM
 * system property of the same name override any of them (its MergedSystemProperties).
 */
class SipStackFactoryTest {

    @Test
    void shouldBuildTheStackTheGuardsAndTheMeasurementsAssume() throws Exception {
        SipStackImpl stack = (SipStackImpl) SipStackFactory.create(SipSettings.defaults("127.0.0.1", 5060), "factory-test");
        try {
            // The classic processors open their sockets through NETWORK_LAYER (DscpNetworkLayer), whose
            // GuardedServerSocket/ConnectionGuard bound TCP and TLS abuse; the RI's NIO processors open
            // their own channels and would bypass both (for UDP both factories build the same processor).
            assertEquals(OIOMessageProcessorFactory.class, stack.getMessageProcessorFactory().getClass());
            // The RI's only message parser for datagrams.
            assertInstanceOf(StringMsgParserFactory.class, stack.getMessageParserFactory());
            // java.util.Timer: cancelling is O(1); the executor-based timers measured no cheaper.
            assertInstanceOf(DefaultSipTimer.class, stack.getTimer());
            // Ended transactions keep their messages as bytes, not objects: the heap per lingering
            // transaction (32 s of timer J) stays small; None cost more CPU per call, not less (GC).
            // Not Aggressive: the RI's RFC 2543 matching then throws on every lingering transaction
            // (SipStackFactory; TortureEndToEndTest's inv2543 went unanswered).
            assertEquals(ReleaseReferencesStrategy.Normal, stack.getReleaseReferencesStrategy());
            assertTrue(stack.isReEntrantListener(), "a non-reentrant listener serialises every call");
            // Bounds of docs/SECURITY.md: TCP framing and the queue of waiting datagrams.
            assertEquals(65536, stack.getMaxMessageSize());
            assertEquals(8000, stack.getStackCongestionControlTimeout());
            assertEquals(4, stack.getTcpPostParsingThreadPoolSize());
            // MAX_SERVER/CLIENT_TRANSACTIONS are set but this RI never enforces them (its flags start
            // "unlimited"). If an upgrade starts enforcing them, 5000 would refuse calls from about
            // 100 calls/s (a call's transactions stay 40 s): revisit the values (SipStackFactory).
            assertTrue(flag(stack, "unlimitedServerTransactionTableSize"), "the RI now bounds server transactions");
            assertTrue(flag(stack, "unlimitedClientTransactionTableSize"), "the RI now bounds client transactions");
        } finally {
            stack.stop();
        }
    }

    private static boolean flag(SipStackImpl stack, String name) throws ReflectiveOperationException {
        java.lang.reflect.Field f = gov.nist.javax.sip.stack.SIPTransactionStack.class.getDeclaredField(name);
        f.setAccessible(true);
        return f.getBoolean(stack);
    }
}
