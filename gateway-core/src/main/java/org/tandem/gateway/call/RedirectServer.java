package org.tandem.gateway.call;

import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.config.RouteConfig;
import org.tandem.gateway.interwork.Q850Cause;
import org.tandem.gateway.registrar.Binding;
import org.tandem.gateway.registrar.LocationSnapshot;
import org.tandem.gateway.sip.RedirectContact;

/**
 * Redirect-server mode ({@code [route] redirect}): an INVITE whose sip-to-pstn route redirects is
 * not carried; it is answered 302 Moved Temporarily (RFC 3261 8.3) with the Contacts of the called
 * number's registered user, most preferred first, each with its q-value ({@code redirect = users}),
 * or with the configured {@code sip:} URI. A number whose owner has no live binding (or that nobody
 * owns) gets 480 Temporarily Unavailable with Q.850 cause 20, subscriber absent (RFC 3398). The
 * call ends at once: no B-channel, no RTP port; its CDR says REDIRECTED with sip status 302.
 *
 * <p>Runs on the {@link CallControlAgent} thread; the registrar's snapshot is an immutable object
 * published by the registrar thread, read here without a lock.
 */
final class RedirectServer {
    private static final Logger LOG = LoggerFactory.getLogger(RedirectServer.class);
    static final int SUBSCRIBER_ABSENT = 20;

    private final CallRegistry calls;
    private final CallRelease release;
    private volatile Supplier<LocationSnapshot> location;

    RedirectServer(CallRegistry calls, CallRelease release) {
        this.calls = calls;
        this.release = release;
    }

    /** The registrar's location service; without it (no {@code [user NAME]}) nobody is registered. */
    void setLocation(Supplier<LocationSnapshot> snapshots) {
        this.location = snapshots;
    }

    /** The call's route redirects: answer 302 (or 480) and end the call. */
    void redirect(Call c) {
        String target = c.route.redirect();
        List<RedirectContact> contacts = RouteConfig.REDIRECT_USERS.equals(target)
                ? registeredContacts(c.calledOut) : List.of(new RedirectContact(target, -1));
        if (contacts.isEmpty()) {
            LOG.info("call {}: route {} redirects to the owner of {}, who has no live registration: 480",
                    c.id, c.route.route(), c.calledOut);
            c.rejectStatus = 480;
            release.startRelease(c, SUBSCRIBER_ABSENT, "gateway");
            return;
        }
        LOG.info("call {}: route {} redirects {} with 302 to {}", c.id, c.route.route(), c.calledOut,
                contacts.stream().map(RedirectContact::uri).toList());
        calls.sip().redirect(c.sip, contacts);
        c.sipDone = true;
        c.sipStatus = 302;
        c.redirected = true;
        release.startRelease(c, Q850Cause.NORMAL_CLEARING, "gateway");
    }

    private List<RedirectContact> registeredContacts(String number) {
        Supplier<LocationSnapshot> snapshots = location;
        LocationSnapshot snapshot = snapshots == null ? null : snapshots.get();
        if (snapshot == null) {
            return List.of();
        }
        return snapshot.contactsForNumber(number, calls.nowMillis()).stream()
                .map((Binding b) -> new RedirectContact(b.contactUri(), b.qMillis())).toList();
    }
}
