package org.tandem.gateway.snmp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.Snmp;
import org.snmp4j.agent.CommandProcessor;
import org.snmp4j.agent.DefaultMOServer;
import org.snmp4j.agent.DuplicateRegistrationException;
import org.snmp4j.agent.MOServer;
import org.snmp4j.agent.mo.DefaultMOFactory;
import org.snmp4j.agent.mo.snmp.CoexistenceInfo;
import org.snmp4j.agent.mo.snmp.CoexistenceInfoProvider;
import org.snmp4j.agent.mo.snmp.SNMPv2MIB;
import org.snmp4j.agent.mo.snmp.SnmpMpdMib;
import org.snmp4j.agent.mo.snmp.StorageType;
import org.snmp4j.agent.mo.snmp.UsmMIB;
import org.snmp4j.agent.mo.snmp.VacmMIB;
import org.snmp4j.agent.security.MutableVACM;
import org.snmp4j.cfg.EngineBootsCounterFile;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.AuthSHA;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.transport.DefaultUdpTransportMapping;
import org.tandem.gateway.ops.GatewayModel;
import org.tandem.gateway.registrar.RegistrarService;

/**
 * The gateway's SNMP agent: SNMPv2c (one read-only community) and SNMPv3 (USM users with
 * authPriv, read-only) on one UDP port; MIB-II system, IF-MIB, DS1-MIB and TANDEM-GATEWAY-MIB
 * rendered from the {@link GatewayModel}; notifications for the model's events.
 *
 * <p>Access control is VACM (RFC 3415): the community maps to a v2c group and the users to a
 * USM group that requires authPriv; both read the {@code mib-2} and Tandem subtrees and write
 * nothing. A wrong community is dropped (snmpInBadCommunityNames counts it), a wrong user or key
 * gets the USM error report, never data.
 *
 * <p>Threading: {@link #start()} and {@link #close()} from the owner's thread; requests are
 * answered on SNMP4J's UDP listener thread, notifications sent on {@code snmp-notify}; the DS1
 * interval timer runs on {@code snmp-ds1-interval}. None of them blocks call control.
 */
public final class TandemSnmpAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TandemSnmpAgent.class);
    /** RFC 1213 sysServices: application layer (7) -> 2^(7-1). */
    private static final int SYS_SERVICES = 64;
    private static final OID MIB_2 = new OID("1.3.6.1.2.1");
    private static final OctetString VIEW = new OctetString("tandemReadView");
    private static final OctetString V2C_GROUP = new OctetString("v2cReadOnly");
    private static final OctetString V3_GROUP = new OctetString("v3ReadOnly");
    private static final OctetString V2C_SECURITY_NAME = new OctetString("v2c-community");

    private final SnmpAgentSettings settings;
    private final GatewayModel model;
    private final String version;
    private final Ds1Intervals intervals = new Ds1Intervals();
    private Snmp session;
    private DefaultUdpTransportMapping transport;
    private NotificationSender notifications;
    private ScheduledExecutorService intervalTimer;
    private SNMPv2MIB snmpv2Mib;
    private long agentStartMillis;
    private final RegistrarService registrar;

    /**
     * @param version product version, for sysDescr and tgGatewayVersion
     */
    public TandemSnmpAgent(SnmpAgentSettings settings, GatewayModel model, String version) {
        this(settings, model, version, null);
    }

    /**
     * @param version product version, for sysDescr and tgGatewayVersion
     * @param registrar the registrar tgRegistrar reports on, or null when none runs
     */
    public TandemSnmpAgent(SnmpAgentSettings settings, GatewayModel model, String version,
            RegistrarService registrar) {
        this.settings = settings;
        this.model = model;
        this.version = version;
        this.registrar = registrar;
    }

    /**
     * Binds the UDP port, starts answering and subscribes to the model's events; sends coldStart.
     *
     * @throws IOException when the port cannot be bound (the message names address and port)
     */
    public synchronized void start() throws IOException {
        if (session != null) {
            throw new IllegalStateException("SNMP agent already started");
        }
        agentStartMillis = model.nowMillis();
        UdpAddress listen = new UdpAddress(InetAddress.getByName(settings.listenHost()),
                settings.listenPort());
        try {
            transport = new DefaultUdpTransportMapping(listen, true);
        } catch (IOException e) {
            throw new IOException("SNMP agent cannot bind UDP " + settings.listenHost() + ":"
                    + settings.listenPort() + " ([snmp] listen): " + e.getMessage(), e);
        }
        OctetString engineId = new OctetString(MPv3.createLocalEngineID(
                new OctetString(engineIdSeed())));
        SecurityProtocols protocols = SecurityProtocols.getInstance();
        protocols.addDefaultProtocols();
        protocols.addAuthenticationProtocol(new AuthHMAC192SHA256());
        USM usm = new USM(protocols, engineId, engineBoots());
        for (SnmpAgentSettings.User u : settings.users()) {
            usm.addUser(new OctetString(u.name()), new UsmUser(new OctetString(u.name()),
                    u.auth() == SnmpAgentSettings.Auth.SHA ? AuthSHA.ID : AuthHMAC192SHA256.ID,
                    new OctetString(u.authPassphrase()), PrivAES128.ID,
                    new OctetString(u.privPassphrase())));
        }
        MPv3 mpv3 = new MPv3(usm);
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        dispatcher.addMessageProcessingModel(new MPv2c());
        dispatcher.addMessageProcessingModel(mpv3);
        session = new Snmp(dispatcher, transport);

        DefaultMOServer server = new DefaultMOServer();
        server.addContext(new OctetString());
        CommandProcessor processor = new CommandProcessor(engineId);
        snmpv2Mib = new SNMPv2MIB(new OctetString("Tandem SIP/PSTN media gateway " + version
                + " (" + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                + ")"), TandemMibSection.SYS_OBJECT_ID, new Integer32(SYS_SERVICES));
        snmpv2Mib.setName(new OctetString(settings.sysName()));
        snmpv2Mib.setContact(new OctetString(settings.sysContact()));
        snmpv2Mib.setLocation(new OctetString(settings.sysLocation()));
        // The standard counters (snmpInPkts, snmpInBadCommunityNames, usmStats*) and the values
        // USM's discovery reports carry come from these listeners, as in SNMP4J's BaseAgent.
        SnmpMpdMib mpdMib = new SnmpMpdMib(DefaultMOFactory.getInstance());
        UsmMIB usmMib = new UsmMIB(usm, protocols);
        dispatcher.addCounterListener(snmpv2Mib);
        dispatcher.addCounterListener(mpdMib);
        mpv3.getCounterSupport().addCounterListener(mpdMib);
        usm.getCounterSupport().addCounterListener(snmpv2Mib);
        usm.getCounterSupport().addCounterListener(usmMib);
        processor.addCounterListener(snmpv2Mib);
        processor.addCounterListener(mpdMib);

        VacmMIB vacm = new VacmMIB(new MOServer[] {server});
        configureVacm(vacm);
        try {
            snmpv2Mib.registerMOs(server, null);
            for (MibSection section : List.of(IfMibSections.interfaces(),
                    IfMibSections.ifXTable(), new Ds1MibSection(),
                    new TandemMibSection(version, registrar, model::trunkRegistrations)
                            .withInviteAdmission(model::inviteAdmission))) {
                server.register(new SnapshotSubtree(section, this::context), null);
            }
        } catch (DuplicateRegistrationException e) {
            throw new IllegalStateException("MIB subtrees overlap: " + e.getMessage(), e);
        }
        processor.setVacm(vacm);
        processor.addMOServer(server);
        processor.setCoexistenceProvider(new CommunityMap(settings.community(), engineId));
        dispatcher.addCommandResponder(processor);

        notifications = new NotificationSender(session, settings.traps(),
                () -> snmpv2Mib.getSysUpTime().get(), this::context);
        intervals.start(model.snapshot(), model.nowMillis());
        intervalTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "snmp-ds1-interval");
            t.setDaemon(true);
            return t;
        });
        // DS1-MIB seconds counts: each second the spans' alarms and error counters are accounted
        intervalTimer.scheduleAtFixedRate(() -> {
            try {
                intervals.tick(model.snapshot(), model.nowMillis());
            } catch (RuntimeException e) {
                LOG.error("DS1 interval accounting failed", e);
            }
        }, 1000, 1000, TimeUnit.MILLISECONDS);

        session.listen();
        model.addListener(notifications);
        LOG.info("SNMP agent listening on udp {} (v2c {}, {} v3 user(s), {} notification"
                + " target(s))", listenAddress(), settings.community() == null ? "off" : "read-only",
                settings.users().size(), settings.traps().size());
        notifications.send(new NotificationSender.Notification(SnmpConstants.coldStart,
                List.of()));
    }

    /** Where the agent listens (with the real port when 0 was configured). */
    public synchronized InetSocketAddress listenAddress() {
        UdpAddress a = transport.getListenAddress();
        return new InetSocketAddress(a.getInetAddress(), a.getPort());
    }

    MibContext context() {
        return new MibContext(model.snapshot(), model.counters(), model.nowMillis(),
                agentStartMillis, intervals, model.outcomes(), model.spanOctets());
    }

    private void configureVacm(MutableVACM vacm) {
        int nonVolatile = StorageType.nonVolatile;
        if (settings.community() != null) {
            vacm.addGroup(SecurityModel.SECURITY_MODEL_SNMPv2c, V2C_SECURITY_NAME, V2C_GROUP,
                    nonVolatile);
            vacm.addAccess(V2C_GROUP, new OctetString(), SecurityModel.SECURITY_MODEL_SNMPv2c,
                    SecurityLevel.NOAUTH_NOPRIV, MutableVACM.VACM_MATCH_EXACT, VIEW,
                    new OctetString(), VIEW, nonVolatile);
        }
        for (SnmpAgentSettings.User u : settings.users()) {
            vacm.addGroup(SecurityModel.SECURITY_MODEL_USM, new OctetString(u.name()), V3_GROUP,
                    nonVolatile);
        }
        vacm.addAccess(V3_GROUP, new OctetString(), SecurityModel.SECURITY_MODEL_USM,
                SecurityLevel.AUTH_PRIV, MutableVACM.VACM_MATCH_EXACT, VIEW, new OctetString(),
                VIEW, nonVolatile);
        vacm.addViewTreeFamily(VIEW, MIB_2, new OctetString(), VacmMIB.vacmViewIncluded,
                nonVolatile);
        vacm.addViewTreeFamily(VIEW, TandemMibSection.ENTERPRISE, new OctetString(),
                VacmMIB.vacmViewIncluded, nonVolatile);
    }

    /** A stable engine ID per gateway name and port, so managers' USM caches stay valid. */
    private String engineIdSeed() {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((settings.sysName() + "/"
                    + settings.listenPort()).getBytes(StandardCharsets.UTF_8));
            return "tandem" + new OctetString(java.util.Arrays.copyOf(h, 8)).toHexString()
                    .replace(":", "");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JRE", e);
        }
    }

    private int engineBoots() {
        if (settings.engineBootsFile() == null) {
            return 1;
        }
        return new EngineBootsCounterFile(settings.engineBootsFile().toFile()).updateEngineBoots();
    }

    /**
     * Sends what is queued (a tgGatewayStopping notification, typically), then closes the port.
     */
    @Override
    public synchronized void close() {
        if (session == null) {
            return;
        }
        model.removeListener(notifications);
        notifications.close(3000);
        intervalTimer.shutdownNow();
        try {
            session.close();
        } catch (IOException e) {
            LOG.warn("closing SNMP agent: {}", e.toString());
        }
        session = null;
        LOG.info("SNMP agent stopped");
    }

    /**
     * v2c community -> security name: exactly one community is known; any other is dropped by
     * SNMP4J's command processor (and counted in snmpInBadCommunityNames).
     */
    private static final class CommunityMap implements CoexistenceInfoProvider {
        private final byte[] community;
        private final OctetString engineId;

        CommunityMap(String community, OctetString engineId) {
            this.community = community == null ? null : community.getBytes(StandardCharsets.UTF_8);
            this.engineId = engineId;
        }

        @Override
        public CoexistenceInfo[] getCoexistenceInfo(OctetString offered) {
            if (community == null || !MessageDigest.isEqual(community, offered.getValue())) {
                return null;
            }
            return new CoexistenceInfo[] {
                new CoexistenceInfo(V2C_SECURITY_NAME, engineId, new OctetString())};
        }

        @Override
        public OctetString getCommunity(OctetString securityName, OctetString contextEngineID,
                OctetString contextName) {
            return community != null && V2C_SECURITY_NAME.equals(securityName)
                    ? new OctetString(community) : null;
        }

        @Override
        public boolean passesFilter(Address address, CoexistenceInfo coexistenceInfo) {
            return true;
        }
    }
}
