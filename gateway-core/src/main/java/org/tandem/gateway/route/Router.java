package org.tandem.gateway.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.config.GatewayConfig;
import org.tandem.config.NumberRewrite;
import org.tandem.config.RouteConfig;
import org.tandem.config.RouteTarget;

/**
 * Chooses the route of a call from the {@code [route NAME]} sections: routes of the call's
 * direction are tried by ascending priority (file order breaks ties, as {@link GatewayConfig#routes}
 * returns them); the first whose conditions all hold wins. Immutable: a reload builds a new router
 * and call control swaps it, so calls in progress keep the decision they got.
 *
 * <p>Conditions: the whole called and calling numbers match the route's regexes; for SIP -> PSTN
 * the call came from one of {@code from_trunk} (an empty list accepts any trusted source or
 * authenticated user, but never a call that is neither: that is refused before routing); for
 * PSTN -> SIP the call arrived on one of {@code from_group}.
 */
public final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final List<RouteConfig> toPstn;
    private final List<RouteConfig> toSip;

    public Router(GatewayConfig config) {
        this.toPstn = config.routes(RouteConfig.Direction.SIP_TO_PSTN);
        this.toSip = config.routes(RouteConfig.Direction.PSTN_TO_SIP);
    }

    /**
     * Routes a SIP call towards the PSTN.
     *
     * @param called the Request-URI user (as dialled, possibly with '+')
     * @param calling the calling number (digits, '+' for international), "" when withheld/absent
     * @param trunk the trunk whose trusted addresses matched the source, or null (authenticated user)
     */
    public Optional<RouteDecision> sipToPstn(String called, String calling, String trunk) {
        for (RouteConfig r : toPstn) {
            if (!r.fromTrunks().isEmpty() && (trunk == null || !r.fromTrunks().contains(trunk))) {
                continue;
            }
            if (r.matches(called, calling)) {
                return Optional.of(decide(r, called, calling));
            }
        }
        LOG.info("no sip-to-pstn route for called '{}' calling '{}' from {}", called, calling,
                trunk == null ? "an authenticated user" : "trunk " + trunk);
        return Optional.empty();
    }

    /**
     * Routes a PSTN call towards SIP.
     *
     * @param called the called party number's digits
     * @param calling the calling party number's digits ("" when absent)
     * @param group the channel group the SETUP arrived on
     */
    public Optional<RouteDecision> pstnToSip(String called, String calling, String group) {
        for (RouteConfig r : toSip) {
            if (!r.fromGroups().isEmpty() && !r.fromGroups().contains(group)) {
                continue;
            }
            if (r.matches(called, calling)) {
                return Optional.of(decide(r, called, calling));
            }
        }
        LOG.info("no pstn-to-sip route for called '{}' calling '{}' from group {}", called, calling, group);
        return Optional.empty();
    }

    private static RouteDecision decide(RouteConfig r, String called, String calling) {
        List<RouteTarget> targets = new ArrayList<>(1 + r.failover().size());
        if (r.target() != null) { // a redirect-server route has none
            targets.add(r.target());
        }
        targets.addAll(r.failover());
        return new RouteDecision(r.name(), rewrite(r.called(), called), rewrite(r.calling(), calling), targets,
                r.failoverCauses(), r.redirect());
    }

    private static RoutedNumber rewrite(NumberRewrite rw, String number) {
        String n = number == null ? "" : number;
        if (rw == null) {
            return new RoutedNumber(n, -1, -1);
        }
        return new RoutedNumber(rw.apply(n), rw.ton() == null ? -1 : rw.ton().q931(),
                rw.npi() == null ? -1 : rw.npi().q931());
    }
}
