package org.tandem.pri;

/**
 * Receives every event of one span. Called on the PRI engine thread, in order: it must not block
 * (call control enqueues the event to its own thread). Commands issued from here (e.g.
 * {@link PriCall#hangup}) are queued and run after this event has been handled.
 */
@FunctionalInterface
public interface PriSpanListener {
    void onPriEvent(PriSpan span, PriEvent event);
}
