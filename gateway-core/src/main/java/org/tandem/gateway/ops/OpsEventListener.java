package org.tandem.gateway.ops;

/**
 * Receives {@link OpsEvent}s. Called on the thread that updated the model (call control's), after
 * the new snapshot is published: an implementation must return at once (queue the work) and must
 * not call back into the model's update methods.
 */
@FunctionalInterface
public interface OpsEventListener {
    void onEvent(OpsEvent event);
}
