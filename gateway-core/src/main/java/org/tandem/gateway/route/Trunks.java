package org.tandem.gateway.route;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.config.Cidr;
import org.tandem.config.TrunkConfig;
import org.tandem.gateway.sip.PrackPolicy;
import org.tandem.gateway.sip.RedirectPolicy;
import org.tandem.gateway.sip.SipTrunk;

/** {@code [trunk NAME]} sections as the SIP side needs them. */
public final class Trunks {
    private static final Logger LOG = LoggerFactory.getLogger(Trunks.class);

    private Trunks() {
    }

    /**
     * The trunk as a SIP peer: where INVITEs go, its digest credentials, and which source addresses
     * are trusted to reach the PSTN through it: {@code trusted} when given, else the addresses
     * {@code host} resolves to at start-up (a name that does not resolve trusts nothing, and says so).
     */
    public static SipTrunk sipTrunk(TrunkConfig t) {
        Predicate<InetAddress> trusted;
        if (!t.trusted().isEmpty()) {
            // Asked for every request from outside (the rate limit's exemption, an INVITE's trunk):
            // a plain loop over an array, not a stream per test (~2 % of the SIP workers' CPU).
            Cidr[] cidrs = t.trusted().toArray(new Cidr[0]);
            trusted = a -> {
                for (Cidr c : cidrs) {
                    if (c.contains(a)) {
                        return true;
                    }
                }
                return false;
            };
        } else {
            List<InetAddress> addresses = new ArrayList<>();
            try {
                addresses.addAll(List.of(InetAddress.getAllByName(t.host())));
            } catch (UnknownHostException e) {
                LOG.warn("trunk {}: host {} does not resolve; no source address is trusted for it", t.name(), t.host());
            }
            trusted = addresses::contains;
        }
        RedirectPolicy redirects = switch (t.redirects() == null ? TrunkConfig.Redirects.FOLLOW : t.redirects()) {
            case FOLLOW -> RedirectPolicy.FOLLOW;
            case FOLLOW_ANY -> RedirectPolicy.FOLLOW_ANY;
            case REFUSE -> RedirectPolicy.REFUSE;
        };
        PrackPolicy prack = switch (t.prack() == null ? TrunkConfig.Prack.SUPPORTED : t.prack()) {
            case OFF -> PrackPolicy.OFF;
            case SUPPORTED -> PrackPolicy.SUPPORTED;
            case REQUIRED -> PrackPolicy.REQUIRED;
        };
        return new SipTrunk(t.name(), t.host(), t.port(), t.transport().token(), t.username(),
                t.password() == null ? null : t.password().value(), trusted, redirects, t.maxRedirects(), prack,
                t.tlsVerify(), t.tlsServerName(), t.sips());
    }
}
