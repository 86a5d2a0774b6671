package org.tandem.gateway.sip.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import gov.nist.core.StackLogger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The RI's log lines quote whole SIP messages: at every level, SDES keys never reach the log. */
class Slf4jStackLoggerTest {
    private static final String KEY = "WVNfX19zZW1jdGwgKCkgewkgICAgICAgIH0K";
    private static final String MESSAGE = "Dropping request INVITE sip:1004@127.0.0.1 SIP/2.0\r\n"
            + "Content-Type: application/sdp\r\n\r\nv=0\r\nm=audio 4000 RTP/SAVP 8\r\n"
            + "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "\r\n";

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("gov.nist.javax.sip");
    private Level level;

    @BeforeEach
    void capture() {
        level = logger.getLevel();
        logger.setLevel(Level.TRACE);
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void release() {
        logger.detachAppender(log);
        logger.setLevel(level);
    }

    @Test
    void shouldRedactTheSdesKeyInEveryKindOfLine() {
        Slf4jStackLogger l = new Slf4jStackLogger();
        l.logError(MESSAGE);
        l.logError(MESSAGE, new Exception("x"));
        l.logFatalError(MESSAGE);
        l.logWarning(MESSAGE);
        l.logInfo(MESSAGE);
        l.logDebug(MESSAGE);
        l.logDebug(MESSAGE, new Exception("x"));
        l.logTrace(MESSAGE);
        assertEquals(8, log.list.size());
        for (ILoggingEvent e : log.list) {
            String line = e.getFormattedMessage();
            assertFalse(line.contains(KEY), e.getLevel() + " line shows the SRTP key: " + line);
            assertTrue(line.contains("inline:<redacted>"), line);
        }
    }

    /**
     * Every debug line and message trace of the RI is built behind isLoggingEnabled(level): at INFO
     * (production) it must say no, so the RI formats no text and encodes no message to log it.
     */
    @Test
    void shouldTellTheRiNotToFormatDebugTextOrMessageTracesAtInfo() {
        Slf4jStackLogger l = new Slf4jStackLogger();
        logger.setLevel(Level.INFO);
        assertFalse(l.isLoggingEnabled(StackLogger.TRACE_DEBUG));
        assertFalse(l.isLoggingEnabled(StackLogger.TRACE_MESSAGES));
        assertFalse(l.isLoggingEnabled(StackLogger.TRACE_INFO));
        assertFalse(l.isLoggingEnabled());
        assertTrue(l.isLoggingEnabled(StackLogger.TRACE_ERROR));
        assertTrue(l.isLoggingEnabled(StackLogger.TRACE_WARN));
        logger.setLevel(Level.DEBUG);
        assertTrue(l.isLoggingEnabled(StackLogger.TRACE_DEBUG));
        assertTrue(l.isLoggingEnabled(StackLogger.TRACE_MESSAGES));
    }
}
