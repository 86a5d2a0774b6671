package org.tandem.gateway.sip;

import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way SIP events reach call control: each {@link SipEvent} is handed to call control's
 * executor, which runs the sink on the call-control thread. The stack's worker threads and the
 * session-timer thread never call call control directly. Emitting only queues, so it may happen
 * with a leg monitor held (a session expiry and an unanswerable challenge do); most behaviours
 * emit after leaving it.
 */
final class EventRelay {
    // Same logger as before the split, so log lines and logback settings read as they did.
    private static final Logger LOG = LoggerFactory.getLogger(SipUserAgent.class);

    private final Executor callControl;
    private final Consumer<SipEvent> sink;

    EventRelay(Executor callControl, Consumer<SipEvent> sink) {
        this.callControl = callControl;
        this.sink = sink;
    }

    void emit(SipEvent event) {
        try {
            callControl.execute(() -> sink.accept(event));
        } catch (RuntimeException e) {
            LOG.error("call control refused SIP event {}: {}", event, e.toString());
        }
    }
}
