package org.tandem.gateway.sip.stack;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import javax.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.gateway.sdp.CryptoAttribute;

/**
 * JAIN-SIP's message trace (gov.nist.javax.sip.SERVER_LOGGER) through SLF4J: every SIP message
 * sent and received, at DEBUG on {@code org.tandem.gateway.sip.wire}. Off by default; turn it on
 * in logback.xml when debugging an interop problem. SDES keys (a=crypto inline:) are redacted.
 */
public final class Slf4jServerLogger implements ServerLogger {
    private static final Logger WIRE = LoggerFactory.getLogger("org.tandem.gateway.sip.wire");

    public Slf4jServerLogger() {
    }

    @Override
    public void closeLogFile() {
        // nothing to close
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
        log(message, from, to, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
        log(message, from, to, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
        log(message, from, to, sender);
    }

    private static void log(SIPMessage message, String from, String to, boolean sender) {
        if (WIRE.isDebugEnabled()) {
            WIRE.debug("{} {} -> {}\n{}", sender ? "sent" : "received", from, to, CryptoAttribute.redact(message.encode()));
        }
    }

    @Override
    public void logException(Exception ex) {
        WIRE.debug("JAIN-SIP message log exception", ex);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        // nothing to read
    }

    @Override
    public void setSipStack(SipStack sipStack) {
        // not needed
    }
}
