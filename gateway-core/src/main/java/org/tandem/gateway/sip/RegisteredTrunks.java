package org.tandem.gateway.sip;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The bindings our trunk registrations hold, for the trust rule of inbound INVITEs
 * (docs/SIP.md "Outbound registration"): an initial INVITE is a trunk's when that trunk's
 * registration is in force, the packet comes from an address the trunk's host resolved to when
 * we registered, and its Request-URI user is the user of the Contact we registered.
 *
 * <p>Threading: {@link TrunkRegistrations}' thread writes, the stack's workers read; each write
 * publishes a new immutable map through a volatile field.
 */
final class RegisteredTrunks {
    /** One binding in force: whose, under what Contact user, from which registrar addresses, until when. */
    record Entry(String trunk, String contactUser, Set<InetAddress> registrarAddresses, long expiresAtMillis) {
        Entry {
            registrarAddresses = Set.copyOf(registrarAddresses);
        }
    }

    private volatile Map<String, Entry> byTrunk = Map.of();

    synchronized void put(Entry e) {
        Map<String, Entry> m = new HashMap<>(byTrunk);
        m.put(e.trunk(), e);
        byTrunk = Map.copyOf(m);
    }

    synchronized void remove(String trunk) {
        if (byTrunk.containsKey(trunk)) {
            Map<String, Entry> m = new HashMap<>(byTrunk);
            m.remove(trunk);
            byTrunk = Map.copyOf(m);
        }
    }

    /** The registration an INVITE from {@code source} to Request-URI user {@code ruriUser} is sent on, or null. */
    Entry match(InetAddress source, String ruriUser, long nowMillis) {
        if (ruriUser == null) {
            return null;
        }
        for (Entry e : byTrunk.values()) {
            if (e.contactUser().equals(ruriUser) && nowMillis < e.expiresAtMillis()
                    && e.registrarAddresses().contains(source)) {
                return e;
            }
        }
        return null;
    }
}
