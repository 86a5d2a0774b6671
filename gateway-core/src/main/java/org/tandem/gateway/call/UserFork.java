package org.tandem.gateway.call;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandem.config.RouteTarget;
import org.tandem.config.UserConfig;
import org.tandem.gateway.interwork.Q850Cause;
import org.tandem.gateway.interwork.Reason;
import org.tandem.gateway.interwork.SipIdentity;
import org.tandem.gateway.registrar.Binding;
import org.tandem.gateway.registrar.LocationSnapshot;
import org.tandem.gateway.sdp.SessionDescription;
import org.tandem.gateway.sip.CallHandle;
import org.tandem.gateway.sip.OutboundInvite;
import org.tandem.gateway.sip.SipEvent;
import org.tandem.gateway.sip.SipSide;

/**
 * PSTN -> SIP calls to a registered user ({@code user:NAME}, or {@code users}: the owner of the
 * called number): finds the user's live bindings in the registrar's {@link LocationSnapshot},
 * and rings them as the user's {@code fork} says, each branch its own INVITE
 * ({@link SipSide#invite} with {@link OutboundInvite#toContact}): all at once for
 * {@code parallel}, one after another in preference order with {@code ring_time_s} each for
 * {@code sequential} ({@code parallel} rings them all for {@code ring_time_s}).
 *
 * <p>The first 2xx wins: the other branches get CANCEL with {@code Reason: SIP;cause=200;
 * text="Call completed elsewhere"} (RFC 3326), and the call goes on as any PSTN -> SIP call on
 * the winning branch's handle. The first 18x of any branch alerts the PSTN caller (once). When
 * every branch has failed, the best response ({@link ForkState#best}) gives the cause: a branch
 * that rang out is 19 (no answer, user alerted; 18 if it never sent an 18x), otherwise the
 * response's Reason or its RFC 3398 mapping (486 -> 17, 600 -> 17, ...). No live binding: 20
 * (subscriber absent). Failover to the route's next target applies to all of these as usual.
 *
 * <p>Runs on the {@link CallControlAgent} thread; the per-call state is {@link Ringing} in
 * {@link Call#fork}, the pure branch logic {@link ForkState}.
 */
final class UserFork {
    private static final Logger LOG = LoggerFactory.getLogger(UserFork.class);

    /** RFC 3326: why the losing branches are cancelled, so their phones do not show a missed call. */
    static final Reason COMPLETED_ELSEWHERE = new Reason(Reason.SIP, 200, "Call completed elsewhere");

    /** The branches of one call while they ring. */
    static final class Ringing {
        final UserConfig user;
        final List<Binding> contacts;
        final ForkState state;
        final CallHandle[] handles;
        final String calledUser;
        final SipIdentity identity;
        CallControlAgent.Timer ringTimer;

        Ringing(UserConfig user, List<Binding> contacts, String calledUser, SipIdentity identity) {
            this.user = user;
            this.contacts = List.copyOf(contacts);
            this.state = new ForkState(user.fork() == UserConfig.Fork.SEQUENTIAL ? ForkState.Mode.SEQUENTIAL
                    : ForkState.Mode.PARALLEL, contacts.size());
            this.handles = new CallHandle[contacts.size()];
            this.calledUser = calledUser;
            this.identity = identity;
        }

        int indexOf(CallHandle h) {
            for (int i = 0; i < handles.length; i++) {
                if (handles[i] != null && handles[i].id() == h.id()) {
                    return i;
                }
            }
            return -1;
        }
    }

    private final CallRegistry calls;
    private final ActiveConfig config;
    private final CallRelease release;
    private final OpsModelReporter ops;
    private volatile Supplier<LocationSnapshot> location;
    private PstnToSipSetup toSip;

    UserFork(CallRegistry calls, ActiveConfig config, CallRelease release, OpsModelReporter ops) {
        this.calls = calls;
        this.config = config;
        this.release = release;
        this.ops = ops;
    }

    /** Completes the wiring: provisional and answer handling stay with the PSTN -> SIP set-up. */
    void wire(PstnToSipSetup pstnToSip) {
        this.toSip = pstnToSip;
    }

    /** The registrar's snapshots; set once at start when users are configured. */
    void setLocation(Supplier<LocationSnapshot> snapshots) {
        this.location = snapshots;
    }

    /**
     * Places the call to the user target {@code t}: resolves the user, its live contacts, and
     * starts the first branch(es). {@code calledUser} is the called number as routed (To user).
     */
    void place(Call c, RouteTarget t, String calledUser, SipIdentity identity) {
        Optional<UserConfig> user = t.kind() == RouteTarget.Kind.USER
                ? Optional.ofNullable(config.config().users().get(t.name()))
                : owner(calledUser);
        if (user.isEmpty()) {
            // users: nobody owns the number (user:NAME of a user no longer configured is refused at load).
            LOG.info("call {}: no [user NAME] owns {} (route {} target {}): cause 1", c.id, calledUser,
                    c.route.route(), t);
            release.failOrFailover(c, Q850Cause.UNALLOCATED_NUMBER, "gateway");
            return;
        }
        Supplier<LocationSnapshot> snapshots = location;
        List<Binding> contacts = snapshots == null ? List.of()
                : snapshots.get().contactsOf(user.get().name(), calls.nowMillis());
        if (contacts.isEmpty()) {
            LOG.info("call {}: user {} has no live registration: cause 20 (subscriber absent)", c.id,
                    user.get().name());
            release.failOrFailover(c, Q850Cause.SUBSCRIBER_ABSENT, "gateway");
            return;
        }
        Ringing r = new Ringing(user.get(), contacts, calledUser, identity);
        c.fork = r;
        c.user = r.user.name();
        c.trunk = null;
        c.causes = config.causesFor(null, c.group);
        c.sipPeer = peer(contacts.get(0));
        c.transition(CallState.SEIZING);
        LOG.info("call {}: {} -> user {} ({} contact(s), {}, ring {} s)", c.id, c.callingIn, r.user.name(),
                contacts.size(), r.user.fork().name().toLowerCase(java.util.Locale.ROOT), r.user.ringTimeS());
        apply(c, r, r.state.start());
        ops.updated(c);
    }

    /** The owner of the routed number: as routed (with its {@code +}), else its digits alone. */
    private Optional<UserConfig> owner(String calledUser) {
        Optional<UserConfig> u = config.config().userOwning(calledUser);
        if (u.isEmpty() && calledUser.startsWith("+")) {
            u = config.config().userOwning(calledUser.substring(1));
        }
        return u;
    }

    /**
     * A SIP event for one branch of a ringing fork; returns false when the call has no ringing
     * fork (the event then takes the ordinary path: the winner's later events, BYE, re-INVITE).
     */
    boolean onSipEvent(Call c, SipEvent event) {
        Ringing r = c.fork;
        if (r == null) {
            return false;
        }
        int i = r.indexOf(event.call());
        if (i < 0) {
            return false;
        }
        if (event instanceof SipEvent.Provisional p) {
            r.state.onProvisional(i);
            // 18x from any branch alerts the caller once; more from other branches change nothing.
            if (c.state() == CallState.SEIZING || c.state() == CallState.PROCEEDING) {
                toSip.onSipProvisional(c, p.status(), p.sdp());
            }
        } else if (event instanceof SipEvent.Answered a) {
            answered(c, r, i, a.answer());
        } else if (event instanceof SipEvent.Rejected x) {
            branchEnded(c, r, i);
            LOG.info("call {}: contact {} of {} refused with {}", c.id, r.contacts.get(i).contactUri(), r.user.name(),
                    x.status());
            apply(c, r, r.state.onFailed(i, x.status(), x.reason()));
        } else if (event instanceof SipEvent.TransactionTimeout) {
            branchEnded(c, r, i);
            LOG.info("call {}: contact {} of {} did not respond", c.id, r.contacts.get(i).contactUri(), r.user.name());
            apply(c, r, r.state.onFailed(i, 408, null));
        } else {
            return false;
        }
        return true;
    }

    /**
     * The call is being released while its branches ring (the caller hung up, drain, ringing
     * limit): every live branch is cancelled with the call's reason. Returns false without a fork.
     */
    boolean releaseAll(Call c, Reason reason) {
        Ringing r = c.fork;
        if (r == null) {
            return false;
        }
        c.fork = null;
        cancelTimer(r);
        for (int i : r.state.cancelAll()) {
            hangup(r, i, reason);
        }
        return true;
    }

    private void answered(Call c, Ringing r, int i, SessionDescription answer) {
        ForkState.Step step = r.state.onAnswered(i);
        if (!(step instanceof ForkState.Won won)) {
            return;
        }
        cancelTimer(r);
        for (int j : won.cancel()) {
            hangup(r, j, COMPLETED_ELSEWHERE);
        }
        c.fork = null;
        c.sip = r.handles[i];
        c.sipPeer = peer(r.contacts.get(i));
        LOG.info("call {}: contact {} of {} answered", c.id, r.contacts.get(i).contactUri(), r.user.name());
        toSip.onSipAnswered(c, answer);
    }

    private void apply(Call c, Ringing r, ForkState.Step step) {
        if (step instanceof ForkState.Start s) {
            for (int i : s.branches()) {
                startBranch(c, r, i);
                if (c.fork != r) {
                    return; // the fork ended while starting (every INVITE failed to go out)
                }
            }
            List<Integer> ringing = s.branches().stream().filter(r.state::isLive).toList();
            if (!ringing.isEmpty()) {
                armRingTimer(c, r, ringing); // a branch that failed to go out has already moved on
            }
        } else if (step instanceof ForkState.GlobalFailure g) {
            // RFC 3326: the others are cancelled because of the 6xx, say so.
            Reason why = new Reason(Reason.SIP, g.failed().status(), null);
            for (int j : g.cancel()) {
                hangup(r, j, why);
            }
            allFailed(c, r, g.failed());
        } else if (step instanceof ForkState.AllFailed f) {
            allFailed(c, r, f);
        }
    }

    private void startBranch(Call c, Ringing r, int i) {
        Binding b = r.contacts.get(i);
        OutboundInvite.ContactTarget target = new OutboundInvite.ContactTarget(b.contactUri(), b.path(),
                b.flow().transport(), b.flow().host(), b.flow().port(),
                config.config().registrar().domains().get(0));
        CallHandle h;
        try {
            h = calls.sip().invite(OutboundInvite.toContact(target, r.calledUser, r.identity, c.localSdp));
        } catch (RuntimeException e) {
            LOG.warn("call {}: INVITE to contact {} of {} not sent: {}", c.id, b.contactUri(), r.user.name(),
                    e.getMessage());
            apply(c, r, r.state.onFailed(i, 0, null));
            return;
        }
        r.handles[i] = h;
        calls.bindSipHandle(h, c);
        c.sip = h; // the latest branch, until one answers (CDR Call-ID, console)
        c.sipDone = false;
        LOG.info("call {}: ringing contact {} of {} via {} ({})", c.id, b.contactUri(), r.user.name(), b.flow(),
                h.callId());
    }

    /** Parallel: one ring time for all branches; sequential: one per branch. */
    private void armRingTimer(Call c, Ringing r, List<Integer> started) {
        cancelTimer(r);
        r.ringTimer = calls.agent().schedule(r.user.ringTimeS() * 1000L, () -> {
            r.ringTimer = null;
            if (c.fork != r || !c.isLive()) {
                return;
            }
            LOG.info("call {}: no answer from {} contact(s) of {} within {} s", c.id, started.size(), r.user.name(),
                    r.user.ringTimeS());
            ForkState.Step step = null;
            for (int i : started) {
                if (r.state.isLive(i)) {
                    hangup(r, i, Reason.q850(Q850Cause.NO_ANSWER));
                    step = r.state.onRingTimeout(i);
                }
            }
            if (step != null) {
                apply(c, r, step);
            }
        });
    }

    private void allFailed(Call c, Ringing r, ForkState.AllFailed f) {
        cancelTimer(r);
        c.fork = null;
        c.sipDone = true;
        if (c.sip != null) {
            calls.unbindSip(c); // a failover target binds its own handle
        }
        int cause;
        if (f.noAnswer()) {
            cause = f.alerted() ? Q850Cause.NO_ANSWER : Q850Cause.NO_USER_RESPONDING;
            c.sipStatus = 487; // our CANCEL ended the branch that rang out
        } else if (f.status() == 0) {
            cause = Q850Cause.TEMPORARY_FAILURE; // no INVITE could be sent at all
        } else {
            c.sipStatus = f.status();
            cause = CallRelease.causeOf(f.reason(), c.causes.toQ850(f.status()));
        }
        LOG.info("call {}: every contact of {} failed (best {}{}) -> cause {}", c.id, r.user.name(), f.status(),
                f.noAnswer() ? ", no answer" : "", cause);
        release.failOrFailover(c, cause, "sip");
    }

    private void hangup(Ringing r, int i, Reason reason) {
        CallHandle h = r.handles[i];
        if (h == null) {
            return;
        }
        calls.unbindSipHandle(h);
        calls.sip().hangup(h, reason);
    }

    /** A branch's SIP leg ended by itself (final response, timeout): no more events for it. */
    private void branchEnded(Call c, Ringing r, int i) {
        CallHandle h = r.handles[i];
        if (h != null && (c.sip == null || c.sip.id() != h.id())) {
            calls.unbindSipHandle(h);
        }
    }

    private static void cancelTimer(Ringing r) {
        if (r.ringTimer != null) {
            r.ringTimer.cancel();
            r.ringTimer = null;
        }
    }

    private static String peer(Binding b) {
        return b.flow().host() + ":" + b.flow().port();
    }
}
