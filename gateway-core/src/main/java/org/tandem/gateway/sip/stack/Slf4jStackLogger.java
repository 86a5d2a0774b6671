package org.tandem.gateway.sip.stack;

import gov.nist.core.StackLogger;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.sdp.CryptoAttribute;

/**
 * JAIN-SIP's debug/error log through SLF4J (set as gov.nist.javax.sip.STACK_LOGGER, and installed
 * as {@code CommonLogger.legacyLogger} before the stack exists so that nothing reaches log4j).
 *
 * <p>The RI logs at INFO things an operator does not need (every listening point, every
 * transaction); they go to DEBUG here. Logger name: {@code gov.nist.javax.sip}.
 */
public final class Slf4jStackLogger implements StackLogger {
    private static final Logger LOG = LoggerFactory.getLogger("gov.nist.javax.sip");

    /** Public no-arg constructor: the RI instantiates this class by name. */
    public Slf4jStackLogger() {
    }

    @Override
    public void logStackTrace() {
        if (LOG.isTraceEnabled()) {
            LOG.trace("stack trace", new Throwable("stack trace requested by JAIN-SIP"));
        }
    }

    @Override
    public void logStackTrace(int traceLevel) {
        logStackTrace();
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void logException(Throwable ex) {
        LOG.warn("JAIN-SIP exception", ex);
    }

    @Override
    public void logDebug(String message) {
        if (LOG.isDebugEnabled()) {
            LOG.debug(CryptoAttribute.redact(message)); // the RI quotes whole messages: no SRTP keys in logs
        }
    }

    @Override
    public void logDebug(String message, Exception ex) {
        if (LOG.isDebugEnabled()) {
            LOG.debug(CryptoAttribute.redact(message), ex);
        }
    }

    @Override
    public void logTrace(String message) {
        if (LOG.isTraceEnabled()) {
            LOG.trace(CryptoAttribute.redact(message));
        }
    }

    @Override
    public void logFatalError(String message) {
        LOG.error(CryptoAttribute.redact(message));
    }

    @Override
    public void logError(String message) {
        LOG.error(CryptoAttribute.redact(message)); // its errors quote messages too (a dropped request)
    }

    @Override
    public boolean isLoggingEnabled() {
        return LOG.isDebugEnabled();
    }

    @Override
    public boolean isLoggingEnabled(int logLevel) {
        if (logLevel >= TRACE_TRACE) {
            return LOG.isTraceEnabled();
        }
        if (logLevel >= TRACE_INFO) { // TRACE_INFO, TRACE_MESSAGES and TRACE_DEBUG: see class comment
            return LOG.isDebugEnabled();
        }
        if (logLevel >= TRACE_WARN) {
            return LOG.isWarnEnabled();
        }
        return logLevel > TRACE_NONE && LOG.isErrorEnabled();
    }

    @Override
    public void logError(String message, Exception ex) {
        LOG.error(CryptoAttribute.redact(message), ex);
    }

    @Override
    public void logWarning(String message) {
        if (aboutUnusedTls(message)) {
            LOG.debug(message);
        } else {
            LOG.warn(CryptoAttribute.redact(message));
        }
    }

    /**
     * The RI warns at every start that TLS has no key store ("using default tls security policy",
     * "TLS server settings will be inactive", ...), although Tandem opens no TLS listening point
     * (TLS is not offered: docs/SIP.md). Five WARN lines in a clean start teach operators to
     * ignore WARN; these go to DEBUG.
     */
    static boolean aboutUnusedTls(String message) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(java.util.Locale.ROOT);
        return m.startsWith("using default tls security policy") || m.startsWith("tls server settings")
                || m.startsWith("tls trust settings") || m.startsWith("using default keystore type")
                || m.startsWith("using default truststore type");
    }

    @Override
    public void logInfo(String message) {
        if (LOG.isDebugEnabled()) {
            LOG.debug(CryptoAttribute.redact(message));
        }
    }

    @Override
    public void disableLogging() {
        // levels are SLF4J's business (logback.xml), not the stack's
    }

    @Override
    public void enableLogging() {
        // see disableLogging
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
        LOG.debug("JAIN-SIP build {}", buildTimeStamp);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        // nothing to read: configuration is SLF4J's
    }

    @Override
    public String getLoggerName() {
        return LOG.getName();
    }
}
