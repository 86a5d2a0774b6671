package org.tandem.gateway.route;

import java.util.List;
import java.util.Set;
import org.tandem.config.RouteTarget;

/**
 * The outcome of routing one call: which route matched, the numbers as rewritten, and the targets
 * to try in order (the route's target, then its failover list).
 *
 * @param route name of the {@code [route NAME]} that matched
 * @param called the called number as the outgoing leg carries it
 * @param calling the calling number as the outgoing leg carries it
 * @param targets the target first, then the failover targets, in order
 * @param failoverCauses Q.850 causes after which the next target is tried
 * @param redirect redirect-server mode: {@code users} or a {@code sip:} URI to answer 302 with
 *     (targets are then empty); null when the call is carried
 */
public record RouteDecision(String route, RoutedNumber called, RoutedNumber calling, List<RouteTarget> targets,
        Set<Integer> failoverCauses, String redirect) {
    public RouteDecision {
        targets = List.copyOf(targets);
        failoverCauses = Set.copyOf(failoverCauses);
    }

    /** A decision that carries the call to its targets. */
    public RouteDecision(String route, RoutedNumber called, RoutedNumber calling, List<RouteTarget> targets,
            Set<Integer> failoverCauses) {
        this(route, called, calling, targets, failoverCauses, null);
    }

    /** True when a failure with {@code cause} on target {@code index} moves on to target index + 1. */
    public boolean failsOver(int index, int cause) {
        return index + 1 < targets.size() && failoverCauses.contains(cause);
    }
}
