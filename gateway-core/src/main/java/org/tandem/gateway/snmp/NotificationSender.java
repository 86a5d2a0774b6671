package org.tandem.gateway.snmp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snmp4j.CommunityTarget;
import org.snmp4j.PDU;
import org.snmp4j.ScopedPDU;
import org.snmp4j.Snmp;
import org.snmp4j.Target;
import org.snmp4j.UserTarget;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.event.ResponseListener;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.GenericAddress;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.VariableBinding;
import org.tandem.gateway.ops.GatewayState;
import org.tandem.gateway.ops.OpsEvent;
import org.tandem.gateway.ops.OpsEventListener;
import org.tandem.gateway.ops.SpanView;

/**
 * Turns {@link OpsEvent}s into SNMP notifications to every configured receiver: SNMPv2c traps or
 * SNMPv3 informs (authPriv, retried, acknowledged).
 *
 * <pre>
 *  event                          notification (varbinds after sysUpTime.0, snmpTrapOID.0)
 *  span leaves/enters service     IF-MIB linkDown/linkUp (ifIndex, ifAdminStatus, ifOperStatus)
 *  span alarm bits change         DS1-MIB dsx1LineStatusChange (dsx1LineStatus,
 *                                 dsx1LineStatusLastChange)
 *  D-channel down/up              tgDChannelDown/Up (tgSpanName, tgSpanDChannelState)
 *  gateway RUNNING / STOPPING     tgGatewayStarted / tgGatewayStopping (tgGatewayName,
 *                                 tgGatewayState)
 *  overload begins/ends           tgOverloadBegin/End (tgOverloaded, tgOverloadReason)
 * </pre>
 * {@link #onEvent} only builds the varbinds and queues the sending on this class's own thread,
 * so the model's updating thread never waits for the network.
 */
final class NotificationSender implements OpsEventListener {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationSender.class);
    private static final int INFORM_RETRIES = 2;
    private static final long INFORM_TIMEOUT_MILLIS = 1500;

    private final Snmp session;
    private final List<SnmpAgentSettings.TrapTarget> targets;
    private final Supplier<TimeTicks> sysUpTime;
    private final Supplier<MibContext> context;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "snmp-notify");
        t.setDaemon(true);
        return t;
    });

    NotificationSender(Snmp session, List<SnmpAgentSettings.TrapTarget> targets,
            Supplier<TimeTicks> sysUpTime, Supplier<MibContext> context) {
        this.session = session;
        this.targets = targets;
        this.sysUpTime = sysUpTime;
        this.context = context;
    }

    /** The life-cycle state last notified: an undrain (draining -> running) is not a new start. */
    private volatile GatewayState lastState;

    @Override
    public void onEvent(OpsEvent event) {
        if (event instanceof OpsEvent.GatewayStateChanged e) {
            GatewayState was = lastState;
            lastState = e.state();
            if (was == GatewayState.DRAINING && e.state() == GatewayState.RUNNING) {
                return; // tgGatewayStarted is for a start, not for the end of a drain
            }
        }
        if (targets.isEmpty()) {
            return;
        }
        MibContext now = context.get();
        MibContext c = new MibContext(event.snapshot(), now.counters(), now.nowMillis(),
                now.agentStartMillis(), now.intervals(), now.outcomes(), now.octets());
        for (Notification n : notifications(event, c)) {
            send(n);
        }
    }

    /** A notification ready to send: its OID and the varbinds after the two standard ones. */
    record Notification(OID trapOid, List<VariableBinding> varbinds) {
    }

    /** The notifications one event causes, in the order they are sent. */
    static List<Notification> notifications(OpsEvent event, MibContext c) {
        List<Notification> out = new ArrayList<>();
        if (event instanceof OpsEvent.SpanAlarmChanged e) {
            SpanView span = e.snapshot().span(e.span());
            if (e.serviceChanged()) {
                out.add(new Notification(span.inService() ? SnmpConstants.linkUp
                        : SnmpConstants.linkDown, pick(c, IfMibSections.interfaces(),
                        MibTree.oid(IfMibSections.IF_ENTRY, IfMibSections.IF_INDEX, e.span()),
                        MibTree.oid(IfMibSections.IF_ENTRY, IfMibSections.IF_ADMIN_STATUS, e.span()),
                        MibTree.oid(IfMibSections.IF_ENTRY, IfMibSections.IF_OPER_STATUS, e.span()))));
            }
            out.add(new Notification(Ds1MibSection.LINE_STATUS_CHANGE, pick(c, new Ds1MibSection(),
                    MibTree.oid(Ds1MibSection.CONFIG_ENTRY, Ds1MibSection.LINE_STATUS, e.span()),
                    MibTree.oid(Ds1MibSection.CONFIG_ENTRY, Ds1MibSection.LINE_STATUS_LAST_CHANGE,
                            e.span()))));
        } else if (event instanceof OpsEvent.DChannelChanged e) {
            out.add(new Notification(e.up() ? TandemMibSection.D_CHANNEL_UP
                    : TandemMibSection.D_CHANNEL_DOWN, pick(c, new TandemMibSection(""),
                    MibTree.oid(TandemMibSection.SPAN_ENTRY, TandemMibSection.SPAN_NAME, e.span()),
                    MibTree.oid(TandemMibSection.SPAN_ENTRY, TandemMibSection.SPAN_D_CHANNEL,
                            e.span()))));
        } else if (event instanceof OpsEvent.ChannelServiceChanged e) {
            OID state = MibTree.oid(TandemMibSection.CHANNEL_ENTRY, TandemMibSection.CHAN_STATE, e.span(), e.chanpos());
            OID name = MibTree.oid(TandemMibSection.SPAN_ENTRY, TandemMibSection.SPAN_NAME, e.span());
            out.add(e.inService()
                    ? new Notification(TandemMibSection.CHANNEL_IN_SERVICE, pick(c, new TandemMibSection(""), name, state))
                    : new Notification(TandemMibSection.CHANNEL_OUT_OF_SERVICE, pick(c, new TandemMibSection(""), name,
                            state, MibTree.oid(TandemMibSection.CHANNEL_ENTRY, TandemMibSection.CHAN_FAULT, e.span(),
                                    e.chanpos()))));
        } else if (event instanceof OpsEvent.GatewayStateChanged e) {
            if (e.state() == GatewayState.RUNNING || e.state() == GatewayState.STOPPING) {
                out.add(new Notification(e.state() == GatewayState.RUNNING
                        ? TandemMibSection.GATEWAY_STARTED : TandemMibSection.GATEWAY_STOPPING,
                        pick(c, new TandemMibSection(""),
                                MibTree.oid(TandemMibSection.GATEWAY, TandemMibSection.GW_NAME, 0),
                                MibTree.oid(TandemMibSection.GATEWAY, TandemMibSection.GW_STATE, 0))));
            }
        } else if (event instanceof OpsEvent.OverloadChanged e) {
            out.add(new Notification(e.overloaded() ? TandemMibSection.OVERLOAD_BEGIN
                    : TandemMibSection.OVERLOAD_END, pick(c, new TandemMibSection(""),
                    MibTree.oid(TandemMibSection.GATEWAY, TandemMibSection.GW_OVERLOADED, 0),
                    MibTree.oid(TandemMibSection.GATEWAY, TandemMibSection.GW_OVERLOAD_REASON, 0))));
        }
        return out;
    }

    /** Values of the given instances as the section renders them from the event's snapshot. */
    private static List<VariableBinding> pick(MibContext c, MibSection section, OID... instances) {
        MibTree tree = new MibTree();
        section.render(c, tree);
        List<VariableBinding> vbs = new ArrayList<>();
        for (OID oid : instances) {
            vbs.add(new VariableBinding(oid, tree.values().get(oid)));
        }
        return vbs;
    }

    /** Queues a notification to every target. */
    void send(Notification n) {
        TimeTicks upTime = sysUpTime.get();
        try {
            sender.execute(() -> {
                for (SnmpAgentSettings.TrapTarget t : targets) {
                    sendTo(t, n, upTime);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("notification {} not sent: agent is closing", n.trapOid());
        }
    }

    private void sendTo(SnmpAgentSettings.TrapTarget t, Notification n, TimeTicks upTime) {
        Address address = GenericAddress.parse("udp:" + t.host() + "/" + t.port());
        PDU pdu;
        Target<Address> target;
        if (t.v3()) {
            ScopedPDU scoped = new ScopedPDU();
            scoped.setType(PDU.INFORM);
            pdu = scoped;
            UserTarget<Address> ut = new UserTarget<>();
            ut.setSecurityName(new OctetString(t.user()));
            ut.setSecurityLevel(SecurityLevel.AUTH_PRIV);
            ut.setVersion(SnmpConstants.version3);
            target = ut;
        } else {
            pdu = new PDU();
            pdu.setType(PDU.TRAP);
            CommunityTarget<Address> ct = new CommunityTarget<>();
            ct.setCommunity(new OctetString(t.community()));
            ct.setVersion(SnmpConstants.version2c);
            target = ct;
        }
        target.setAddress(address);
        target.setRetries(INFORM_RETRIES);
        target.setTimeout(INFORM_TIMEOUT_MILLIS);
        pdu.add(new VariableBinding(SnmpConstants.sysUpTime, upTime));
        pdu.add(new VariableBinding(SnmpConstants.snmpTrapOID, n.trapOid()));
        pdu.addAll(n.varbinds());
        try {
            if (t.v3()) {
                session.send(pdu, target, null, new ResponseListener() {
                    @Override
                    public <A extends Address> void onResponse(ResponseEvent<A> event) {
                        session.cancel(event.getRequest(), this);
                        if (event.getResponse() == null) {
                            LOG.warn("inform {} to {} not acknowledged{}", n.trapOid(), t,
                                    event.getError() == null ? " (timeout)"
                                            : ": " + event.getError());
                        }
                    }
                });
            } else {
                session.send(pdu, target);
            }
            LOG.debug("notification {} sent: {}", n.trapOid(), t);
        } catch (IOException e) {
            LOG.warn("notification {} to {} failed: {}", n.trapOid(), t, e.toString());
        }
    }

    /** Sends what is queued (bounded wait), then stops the sending thread. */
    void close(long timeoutMillis) {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) {
                LOG.warn("notifications still queued after {} ms were dropped", timeoutMillis);
                sender.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sender.shutdownNow();
        }
    }
}
