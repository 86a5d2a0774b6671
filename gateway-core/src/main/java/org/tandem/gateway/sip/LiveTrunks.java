package org.tandem.gateway.sip;

import java.net.InetAddress;
import java.util.List;

/**
 * The SIP trunks in force, as the SIP side checks them on every request: which trunk a source
 * address belongs to (the toll-fraud check of an INVITE, the rate limit's exemption), each
 * trunk's PRACK policy, and the hosts a 3xx may be followed to. Starts as {@link SipSettings#trunks()};
 * a reload ({@code tandem ctl reload}, SIGHUP) replaces the whole list at once.
 *
 * <p>Threading: any thread reads, the reload writes; the list is immutable and published through
 * a volatile field, so a request is judged against one list, old or new, never a mix. A dialog
 * already set up is not judged again: the calls of a trunk removed by a reload go on to their end
 * (their in-dialog requests match the dialog), and only its new INVITEs are refused.
 */
public final class LiveTrunks {
    private volatile List<SipTrunk> trunks;

    public LiveTrunks(List<SipTrunk> trunks) {
        this.trunks = List.copyOf(trunks);
    }

    /** The trunks now, in configuration order. */
    public List<SipTrunk> all() {
        return trunks;
    }

    /** Replaces every trunk at once (the reload). */
    public void replace(List<SipTrunk> next) {
        this.trunks = List.copyOf(next);
    }

    /** The first trunk whose trusted addresses hold {@code address}, or null. */
    public SipTrunk trustedTrunk(InetAddress address) {
        for (SipTrunk t : trunks) {
            if (t.trustedSource() != null && t.trustedSource().test(address)) {
                return t;
            }
        }
        return null;
    }

    /** True when some trunk trusts {@code address}. */
    public boolean trusts(InetAddress address) {
        return trustedTrunk(address) != null;
    }
}
