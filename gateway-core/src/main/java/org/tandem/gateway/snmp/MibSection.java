package org.tandem.gateway.snmp;

import org.snmp4j.smi.OID;

/**
 * One registered subtree of the agent, rendered from the current model state. Implementations
 * are pure functions of {@link MibContext}: no state, no locking.
 */
public interface MibSection {
    /** The subtree this section answers for; instances outside it are ignored. */
    OID root();

    /** Puts every instance of the subtree into {@code out}. */
    void render(MibContext context, MibTree out);
}
