package org.tandem.config.validate;

import static org.tandem.config.validate.Key.computed;
import static org.tandem.config.validate.Key.optional;
import static org.tandem.config.validate.Key.required;
import static org.tandem.config.validate.ValueTypes.bool;
import static org.tandem.config.validate.ValueTypes.channels;
import static org.tandem.config.validate.ValueTypes.cidr;
import static org.tandem.config.validate.ValueTypes.digits;
import static org.tandem.config.validate.ValueTypes.dscp;
import static org.tandem.config.validate.ValueTypes.host;
import static org.tandem.config.validate.ValueTypes.hostPort;
import static org.tandem.config.validate.ValueTypes.integer;
import static org.tandem.config.validate.ValueTypes.list;
import static org.tandem.config.validate.ValueTypes.name;
import static org.tandem.config.validate.ValueTypes.oneOf;
import static org.tandem.config.validate.ValueTypes.oneOfInts;
import static org.tandem.config.validate.ValueTypes.path;
import static org.tandem.config.validate.ValueTypes.pemCertificates;
import static org.tandem.config.validate.ValueTypes.pemPrivateKey;
import static org.tandem.config.validate.ValueTypes.portRange;
import static org.tandem.config.validate.ValueTypes.regex;
import static org.tandem.config.validate.ValueTypes.replace;
import static org.tandem.config.validate.ValueTypes.secret;
import static org.tandem.config.validate.ValueTypes.target;
import static org.tandem.config.validate.ValueTypes.text;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.tandem.config.ChannelSet;
import org.tandem.config.Cidr;
import org.tandem.config.CdrConfig;
import org.tandem.config.ChannelGroupConfig;
import org.tandem.config.DahdiConfig;
import org.tandem.config.GeneralConfig;
import org.tandem.config.HostPort;
import org.tandem.config.NumberRewrite;
import org.tandem.config.PortRange;
import org.tandem.config.RegistrarConfig;
import org.tandem.config.RouteConfig;
import org.tandem.config.RouteTarget;
import org.tandem.config.Secret;
import org.tandem.config.SipConfig;
import org.tandem.config.SnmpConfig;
import org.tandem.config.SpanConfig;
import org.tandem.config.TlsConfig;
import org.tandem.config.UserConfig;

/**
 * Every section and key Tandem understands, with its type, default and meaning: the one table
 * the reader, the validator, the docs test and the shipped sample config agree on.
 */
public final class Schema {
    private Schema() {
    }

    public static final class General {
        public static final Key<String> NAME = optional("name", name(), "tandem",
                "gateway name: SNMP sysName, CDRs and log lines");
        public static final Key<GeneralConfig.Backend> BACKEND = optional("backend",
                oneOf(GeneralConfig.Backend.class), "sim",
                "sim: simulated E1 card and exchange; dahdi: real cards through /dev/dahdi");
        public static final Key<Path> LOG_DIR = optional("log_dir", path(), "var/log",
                "directory for log files");
        static final SectionSpec SPEC = spec("general", "who this gateway is", NAME, BACKEND, LOG_DIR);
    }

    public static final class Dahdi {
        public static final Key<Path> DEVICE_DIR = optional("device_dir", path(), "/dev/dahdi",
                "DAHDI device directory; must exist with backend = dahdi");
        public static final Key<String> TONEZONE = optional("tonezone", name(), "us",
                "loadzone/defaultzone of system.conf (us, uk, de, nl, ...)");
        public static final Key<DahdiConfig.DchannelMode> DCHANNEL_MODE = optional("dchannel_mode",
                oneOf(DahdiConfig.DchannelMode.class), "hardhdlc",
                "hardhdlc: card does HDLC (most cards); dchan: DAHDI does HDLC in software");
        static final SectionSpec SPEC = spec("dahdi", "system.conf generation and device checks",
                DEVICE_DIR, TONEZONE, DCHANNEL_MODE);
    }

    public static final class Sip {
        public static final Key<HostPort> LISTEN = optional("listen", hostPort(0), "127.0.0.1:5060",
                "address:port for SIP over UDP and TCP, a concrete address (it goes in Via and Contact);"
                        + " RTP binds the same address");
        public static final Key<List<SipConfig.Transport>> TRANSPORTS = optional("transports",
                list(oneOf(SipConfig.Transport.class)), "udp,tcp", "transports to listen on at listen (udp, tcp; TLS listens on tls_listen)");
        public static final Key<String> USER_AGENT = optional("user_agent", text(), "Tandem",
                "User-Agent and Server header value");
        public static final Key<List<String>> DROP_USER_AGENTS = optional("drop_user_agents", list(text()),
                "friendly-scanner,sipvicious,sipcli,sip-scan,sundayddr,iWar,VaxSIPUserAgent",
                "requests whose User-Agent contains one of these (any case) get no answer: well-known"
                        + " SIP scanners; empty: answer everyone");
        public static final Key<Integer> SOURCE_RATE_LIMIT = optional("source_rate_limit", integer(0, 100_000), "50",
                "new requests per second one untrusted source address may send (burst twice that);"
                        + " beyond it they get no answer; trunks' trusted addresses are never limited; 0: off");
        public static final Key<Integer> TCP_MAX_PER_SOURCE = optional("tcp_max_connections_per_source",
                integer(1, 1000), "32", "TCP (and, separately, TLS) connections one address may hold at once;"
                        + " beyond it a new one is reset at accept; trunks' trusted addresses are exempt");
        public static final Key<Integer> TCP_MAX_CONNECTIONS = optional("tcp_max_connections", integer(1, 1000),
                "768", "TCP (and, separately, TLS) connections held at once from all addresses, trusted ones"
                        + " included; beyond it a new one is reset at accept (below the SIP stack's 1024)");
        public static final Key<Integer> TCP_IDLE_TIMEOUT = optional("tcp_idle_timeout_s", integer(1, 3600), "10",
                "a TCP or TLS connection that has sent no whole message this long after connecting is closed");
        public static final Key<Integer> TCP_MESSAGE_TIMEOUT = optional("tcp_message_timeout_s", integer(1, 600),
                "8", "a message arriving over TCP or TLS this long without its end (slowloris) closes its connection");
        public static final Key<Integer> T1 = optional("t1_ms", integer(100, 10_000), "500",
                "RFC 3261 T1, round-trip estimate");
        public static final Key<Integer> T2 = optional("t2_ms", integer(1000, 64_000), "4000",
                "RFC 3261 T2, longest retransmit interval");
        public static final Key<Integer> T4 = optional("t4_ms", integer(1000, 64_000), "5000",
                "RFC 3261 T4, how long a message stays in the network");
        public static final Key<Integer> SESSION_EXPIRES = optional("session_expires_s",
                integer(90, 86_400), "1800", "RFC 4028 Session-Expires we ask for");
        public static final Key<Integer> MIN_SE = optional("min_se_s", integer(90, 86_400), "90",
                "RFC 4028 Min-SE: shortest session interval we accept");
        public static final Key<Integer> DSCP = optional("dscp", dscp(), "CS3",
                "DiffServ code point of SIP packets");
        public static final Key<HostPort> TLS_LISTEN = optional("tls_listen", hostPort(0), null,
                "address:port for SIP over TLS (RFC 3261 26.2, usually port 5061); unset: no TLS");
        public static final Key<Path> TLS_CERTIFICATE = optional("tls_certificate", pemCertificates(), null,
                "PEM file with our certificate first, then its intermediates (needed with tls_listen)");
        public static final Key<Path> TLS_KEY = optional("tls_key", pemPrivateKey(), null,
                "PEM file with the certificate's private key, unencrypted PKCS#8 (chmod 600); never logged");
        public static final Key<Path> TLS_CA = optional("tls_ca", pemCertificates(), null,
                "PEM bundle of the authorities peers' certificates must chain to; unset: the JDK's trust store");
        public static final Key<TlsConfig.VerifyClients> TLS_VERIFY_CLIENTS = optional("tls_verify_clients",
                oneOf(TlsConfig.VerifyClients.class), "none",
                "certificate of a client connecting to tls_listen: none (not asked), optional (checked when"
                        + " given), required (no certificate chaining to tls_ca, no connection)");
        static final SectionSpec SPEC = spec("sip", "the SIP listener", LISTEN, TRANSPORTS,
                USER_AGENT, T1, T2, T4, SESSION_EXPIRES, MIN_SE, DSCP, DROP_USER_AGENTS, SOURCE_RATE_LIMIT,
                TCP_MAX_PER_SOURCE, TCP_MAX_CONNECTIONS, TCP_IDLE_TIMEOUT, TCP_MESSAGE_TIMEOUT, TLS_LISTEN, TLS_CERTIFICATE, TLS_KEY, TLS_CA, TLS_VERIFY_CLIENTS);
    }

    public static final class Rtp {
        public static final Key<PortRange> PORTS = optional("ports", portRange(), "20000-29999",
                "UDP ports for RTP (even) and RTCP (odd)");
        public static final Key<Integer> PTIME = optional("ptime", oneOfInts(10, 20, 30), "20",
                "packetisation time in ms");
        public static final Key<Integer> JITTER_MIN = optional("jitter_min_ms", integer(0, 1000), "20",
                "jitter buffer lower bound");
        public static final Key<Integer> JITTER_MAX = optional("jitter_max_ms", integer(10, 2000), "200",
                "jitter buffer upper bound");
        public static final Key<Integer> DSCP = optional("dscp", dscp(), "EF",
                "DiffServ code point of RTP packets (EF = 46)");
        public static final Key<Integer> MEDIA_AGENTS = optional("media_agents", integer(0, 256), "0",
                "media agent threads (media-0, media-1, ...); a call's media runs on the least loaded one;"
                        + " 0: one per available core");
        static final SectionSpec SPEC = spec("rtp", "media", PORTS, PTIME, JITTER_MIN, JITTER_MAX, DSCP,
                MEDIA_AGENTS);
    }

    public static final class Span {
        public static final Key<SpanConfig.Type> TYPE = required("type", oneOf(SpanConfig.Type.class),
                "e1 or t1");
        public static final Key<SpanConfig.Framing> FRAMING = computed("framing",
                oneOf(SpanConfig.Framing.class), "ccs for e1, esf for t1",
                "e1: ccs (cas cannot carry PRI); t1: esf or d4");
        public static final Key<SpanConfig.LineCoding> CODING = computed("coding",
                oneOf(SpanConfig.LineCoding.class), "hdb3 for e1, b8zs for t1",
                "line code: e1 hdb3/ami, t1 b8zs/ami");
        public static final Key<Boolean> CRC4 = computed("crc4", bool(), "yes for e1",
                "E1 CRC-4 multiframe; not allowed on t1");
        public static final Key<Integer> TIMING = computed("timing", integer(0, 128), "the span number",
                "clock source priority: 1 first choice, 2 next, 0 never");
        public static final Key<Integer> LBO = optional("lbo", integer(0, 7), "0",
                "line build-out (T1 cable length class); 0 for E1");
        public static final Key<ChannelSet> BCHANNELS = computed("bchannels", channels(),
                "1-15,17-31 for e1, 1-23 for t1", "bearer timeslots");
        public static final Key<Integer> DCHANNEL = computed("dchannel", integer(1, 31),
                "16 for e1, 24 for t1", "signalling timeslot");
        public static final Key<SpanConfig.Signalling> SIGNALLING = optional("signalling",
                oneOf(SpanConfig.Signalling.class), "pri_cpe",
                "pri_cpe: we are the customer side; pri_net: we are the network side");
        public static final Key<SpanConfig.SwitchType> SWITCHTYPE = computed("switchtype",
                oneOf(SpanConfig.SwitchType.class), "euroisdn for e1, ni2 for t1", "Q.931 variant");
        public static final Key<SpanConfig.Law> LAW = computed("law", oneOf(SpanConfig.Law.class),
                "alaw for e1, ulaw for t1", "G.711 law on the line");
        public static final Key<SpanConfig.EchoCanceller> ECHOCANCELLER = optional("echocanceller",
                oneOf(SpanConfig.EchoCanceller.class), "none", "DAHDI echo canceller module");
        public static final Key<Integer> ECHO_TAIL = optional("echo_tail_ms",
                oneOfInts(4, 8, 16, 32, 64, 128), "16", "echo canceller tail (8 taps per ms)");
        public static final Key<String> GROUP = required("group", name(),
                "the [group NAME] its B-channels belong to");
        public static final Key<Integer> FIRST_CHANNEL = computed("first_channel", integer(1, 4096),
                "after the previous span's channels",
                "DAHDI's channel number of timeslot 1 (system.conf and the start-up check use it)");
        public static final Key<Boolean> SUPPLEMENTARY_SERVICES = optional("supplementary_services", bool(), "no",
                "libpri supplementary services (facility IEs): a diverted call's count and original called"
                        + " number (ETSI DivertingLegInformation2; euroisdn only)");
        public static final Key<Integer> OVERLAP_SEND_DIGITS = optional("overlap_send_digits", integer(0, 32), "0",
                "overlap sending towards the exchange: the SETUP carries this many digits of the called number"
                        + " without Sending Complete, the rest follows in INFORMATION after SETUP ACKNOWLEDGE;"
                        + " 0 sends every number en bloc");
        public static final Key<Boolean> HOLD = optional("hold", bool(), "no",
                "call hold towards the exchange: a SIP hold (sendonly/inactive) sends Q.931 HOLD, resume"
                        + " RETRIEVE; the exchange's HOLD is acknowledged (euroisdn, qsig)");
        static final SectionSpec SPEC = named("span", integer(1, 128), "one E1/T1 span", TYPE,
                FRAMING, CODING, CRC4, TIMING, LBO, BCHANNELS, DCHANNEL, SIGNALLING, SWITCHTYPE, LAW,
                ECHOCANCELLER, ECHO_TAIL, GROUP, FIRST_CHANNEL, SUPPLEMENTARY_SERVICES, HOLD, OVERLAP_SEND_DIGITS);
    }

    public static final class Group {
        public static final Key<ChannelGroupConfig.Hunting> HUNTING = optional("hunting",
                oneOf(ChannelGroupConfig.Hunting.class), "ascending",
                "how a free B-channel is chosen for an outgoing call");
        public static final Key<Integer> MIN_DIGITS = optional("min_digits", integer(0, 32), "0",
                "overlap receiving: digits needed before routing (0: wait for sending complete or timeout)");
        public static final Key<Integer> INTERDIGIT = optional("interdigit_timeout_ms",
                integer(500, 30_000), "5000", "overlap receiving: route after this long without a digit");
        public static final Key<String> CAUSES = optional("causes", name(), null,
                "[causes NAME] overriding the RFC 3398 mapping for calls on this group");
        public static final Key<Integer> FAULT_LIMIT = optional("fault_limit", integer(0, 100), "3",
                "calls in a row failing on one B-channel for a local reason (set-up, media attach, channel"
                        + " lost) before the gateway takes it out of service; 0: never");
        public static final Key<Integer> FAULT_RETRY = optional("fault_retry_s", integer(5, 86_400), "60",
                "seconds an out-of-service B-channel waits before one trial call (doubled after each"
                        + " failed trial, up to an hour)");
        static final SectionSpec SPEC = named("group", name(), "a channel group", HUNTING,
                MIN_DIGITS, INTERDIGIT, CAUSES, FAULT_LIMIT, FAULT_RETRY);
    }

    public static final class Trunk {
        public static final Key<String> HOST = required("host", host(), "peer host name or address");
        public static final Key<Integer> PORT = optional("port", integer(1, 65535), "5060", "peer port");
        public static final Key<SipConfig.Transport> TRANSPORT = optional("transport",
                oneOf(SipConfig.Transport.class), "udp", "transport towards the peer: udp, tcp or tls"
                        + " (tls needs [sip] tls_listen)");
        public static final Key<Boolean> TLS_VERIFY = optional("tls_verify", bool(), "yes",
                "with transport tls: the peer's certificate must chain to [sip] tls_ca and name the peer"
                        + " (tls_server_name, RFC 5922); no: any certificate (encrypted, not authenticated)");
        public static final Key<String> TLS_SERVER_NAME = optional("tls_server_name", host(), null,
                "name the peer's certificate must carry and the SNI we send; default: host");
        public static final Key<Boolean> SIPS = optional("sips", bool(), "no",
                "with transport tls: our INVITEs use sips: URIs (RFC 5630: TLS on every hop to the callee)");
        public static final Key<Boolean> REGISTER = optional("register", bool(), "no",
                "register with the peer (RFC 3261 10.2; needs username and password): its calls to our"
                        + " registered Contact are then trusted like its trusted addresses");
        public static final Key<Integer> REGISTER_EXPIRES = optional("register_expires_s",
                integer(60, 86_400), "3600", "registration interval asked of the peer (a 423 raises it to"
                        + " the peer's Min-Expires; refreshed at half the granted time)");
        public static final Key<String> USERNAME = optional("username", text(), null,
                "digest user name (also the REGISTER user)");
        public static final Key<Secret> PASSWORD = optional("password", secret(1), null,
                "digest password: env:VAR, file:PATH or literal");
        public static final Key<String> REALM = optional("realm", text(), null,
                "digest realm to answer; any when unset");
        public static final Key<List<Cidr>> TRUSTED = optional("trusted", list(cidr()), null,
                "source addresses/CIDRs whose calls may reach the PSTN; default: host's addresses");
        public static final Key<String> CAUSES = optional("causes", name(), null,
                "[causes NAME] overriding the RFC 3398 mapping for this trunk");
        public static final Key<org.tandem.config.TrunkConfig.Redirects> REDIRECTS = optional("redirects",
                oneOf(org.tandem.config.TrunkConfig.Redirects.class), "follow",
                "a 3xx to our INVITE: follow (only to hosts of configured trunks), follow_any (any host),"
                        + " refuse (a failure, RFC 3398 cause)");
        public static final Key<Integer> MAX_REDIRECTS = optional("max_redirects", integer(0, 10),
                Integer.toString(org.tandem.config.TrunkConfig.DEFAULT_MAX_REDIRECTS),
                "3xx responses one call follows at most; one more fails the call with 483 (cause 25)");
        public static final Key<org.tandem.config.TrunkConfig.RedirectionHeaders> REDIRECTION_HEADERS = optional(
                "redirection_headers", oneOf(org.tandem.config.TrunkConfig.RedirectionHeaders.class), "diversion",
                "a diverted call's redirecting number on this trunk: diversion (RFC 5806), history-info"
                        + " (RFC 7044), both, none");
        public static final Key<org.tandem.config.TrunkConfig.Prack> PRACK = optional("prack",
                oneOf(org.tandem.config.TrunkConfig.Prack.class), "supported",
                "reliable 18x (RFC 3262 100rel): off (never; Require: 100rel gets 420), supported (offered;"
                        + " ours reliable when the peer requires it), required (required on our INVITEs;"
                        + " ours reliable whenever the peer supports it)");
        public static final Key<org.tandem.config.TrunkConfig.Srtp> SRTP = optional("srtp",
                oneOf(org.tandem.config.TrunkConfig.Srtp.class), "off",
                "SRTP with SDES keys (RFC 4568; needs transport tls): off, offer (RTP/AVP + a=crypto: SRTP"
                        + " if the peer answers a key), require (RTP/SAVP; no SRTP, no call: 488)");
        static final SectionSpec SPEC = named("trunk", name(), "a SIP peer", HOST, PORT, TRANSPORT,
                TLS_VERIFY, TLS_SERVER_NAME, SIPS, SRTP, REGISTER, REGISTER_EXPIRES, USERNAME, PASSWORD, REALM, TRUSTED,
                CAUSES, REDIRECTS, MAX_REDIRECTS, REDIRECTION_HEADERS, PRACK);
    }

    public static final class Route {
        public static final Key<RouteConfig.Direction> DIRECTION = required("direction",
                oneOf(RouteConfig.Direction.class), "which calls this route applies to");
        public static final Key<Integer> PRIORITY = optional("priority", integer(0, 1_000_000), "100",
                "routes are tried lowest priority first");
        public static final Key<Pattern> MATCH_CALLED = optional("match_called", regex(), null,
                "regex the whole called number must match; any when unset");
        public static final Key<Pattern> MATCH_CALLING = optional("match_calling", regex(), null,
                "regex the whole calling number must match; any when unset");
        public static final Key<List<String>> FROM_TRUNK = optional("from_trunk", list(name()), "",
                "sip-to-pstn: only calls from these trunks");
        public static final Key<List<String>> FROM_GROUP = optional("from_group", list(name()), "",
                "pstn-to-sip: only calls from these groups");
        public static final Key<NumberRewrite> REPLACE_CALLED = optional("replace_called", replace(),
                null, "regex rewrite of the called number (applied first)");
        public static final Key<Integer> STRIP_CALLED = optional("strip_called", integer(0, 32), "0",
                "leading digits removed from the called number");
        public static final Key<String> PREFIX_CALLED = optional("prefix_called", digits(true), "",
                "digits put in front of the called number (applied last)");
        public static final Key<NumberRewrite.TypeOfNumber> CALLED_TON = optional("called_ton",
                oneOf(NumberRewrite.TypeOfNumber.class), null, "type of number set on the called number");
        public static final Key<NumberRewrite.NumberingPlan> CALLED_NPI = optional("called_npi",
                oneOf(NumberRewrite.NumberingPlan.class), null, "numbering plan set on the called number");
        public static final Key<NumberRewrite> REPLACE_CALLING = optional("replace_calling", replace(),
                null, "regex rewrite of the calling number (applied first)");
        public static final Key<Integer> STRIP_CALLING = optional("strip_calling", integer(0, 32), "0",
                "leading digits removed from the calling number");
        public static final Key<String> PREFIX_CALLING = optional("prefix_calling", digits(true), "",
                "digits put in front of the calling number (applied last)");
        public static final Key<NumberRewrite.TypeOfNumber> CALLING_TON = optional("calling_ton",
                oneOf(NumberRewrite.TypeOfNumber.class), null, "type of number set on the calling number");
        public static final Key<NumberRewrite.NumberingPlan> CALLING_NPI = optional("calling_npi",
                oneOf(NumberRewrite.NumberingPlan.class), null, "numbering plan set on the calling number");
        public static final Key<RouteTarget> TARGET = optional("target", target(), null,
                "sip-to-pstn: group:NAME; pstn-to-sip: trunk:NAME, sip:URI, user:NAME or users (the"
                        + " registered owner of the called number); required unless redirect is set");
        public static final Key<List<RouteTarget>> FAILOVER = optional("failover", list(target()), "",
                "targets tried in order when the target fails with a failover cause");
        public static final Key<List<Integer>> FAILOVER_CAUSES = optional("failover_causes",
                list(integer(1, 127)), "3,27,34,38,41,42,47",
                "Q.850 causes that move on to the next failover target");
        public static final Key<String> REDIRECT = optional("redirect", ValueTypes.redirect(), null,
                "sip-to-pstn redirect server: answer 302 with the called number's registered contacts"
                        + " (users; 480 when none) or with this sip: URI, instead of carrying the call");
        static final SectionSpec SPEC = named("route", name(), "a routing rule", DIRECTION, PRIORITY,
                MATCH_CALLED, MATCH_CALLING, FROM_TRUNK, FROM_GROUP, REPLACE_CALLED, STRIP_CALLED,
                PREFIX_CALLED, CALLED_TON, CALLED_NPI, REPLACE_CALLING, STRIP_CALLING, PREFIX_CALLING,
                CALLING_TON, CALLING_NPI, TARGET, FAILOVER, FAILOVER_CAUSES, REDIRECT);
    }

    public static final class Causes {
        public static final PatternKey<Integer> Q850_TO_SIP = new PatternKey<>(
                Pattern.compile("q850\\.([1-9][0-9]{0,2})"), "q850.N (N 1-127) = SIP status",
                integer(300, 699), "SIP status sent when the PSTN clears with Q.850 cause N");
        public static final PatternKey<Integer> SIP_TO_Q850 = new PatternKey<>(
                Pattern.compile("sip\\.([3-6][0-9][0-9])"), "sip.NNN (300-699) = Q.850 cause",
                integer(1, 127), "Q.850 cause used when SIP fails with status NNN");
        static final SectionSpec SPEC = new SectionSpec("causes", name(),
                "cause mapping overrides", List.of(), List.of(Q850_TO_SIP, SIP_TO_Q850));
    }

    public static final class Snmp {
        public static final Key<Boolean> ENABLED = computed("enabled", bool(),
                "yes when a community or an [snmp-user NAME] is configured", "run the SNMP agent");
        public static final Key<HostPort> LISTEN = optional("listen", hostPort(161), "127.0.0.1:1161",
                "agent address:port (UDP)");
        public static final Key<Secret> COMMUNITY = optional("community", secret(1), null,
                "v2c read community (env:VAR, file:PATH or literal); v2c off when unset");
        public static final Key<String> LOCATION = optional("location", text(), "unknown",
                "MIB-II sysLocation");
        public static final Key<String> CONTACT = optional("contact", text(), "unknown",
                "MIB-II sysContact");
        static final SectionSpec SPEC = spec("snmp", "the SNMP agent", ENABLED, LISTEN, COMMUNITY,
                LOCATION, CONTACT);
    }

    public static final class SnmpUser {
        public static final Key<SnmpConfig.Auth> AUTH = optional("auth", oneOf(SnmpConfig.Auth.class),
                "sha-256", "USM authentication protocol");
        public static final Key<Secret> AUTH_KEY = required("auth_key", secret(8),
                "authentication pass phrase, at least 8 characters (RFC 3414)");
        public static final Key<SnmpConfig.Priv> PRIV = optional("priv", oneOf(SnmpConfig.Priv.class),
                "aes", "privacy protocol (AES-128, RFC 3826)");
        public static final Key<Secret> PRIV_KEY = required("priv_key", secret(8),
                "privacy pass phrase, at least 8 characters");
        static final SectionSpec SPEC = named("snmp-user", name(), "an SNMPv3 user (authPriv)", AUTH,
                AUTH_KEY, PRIV, PRIV_KEY);
    }

    public static final class SnmpTrap {
        public static final Key<HostPort> TARGET = required("target", hostPort(162),
                "receiver host[:port]");
        public static final Key<SnmpConfig.Version> VERSION = optional("version",
                oneOf(SnmpConfig.Version.class), "v2c", "v2c traps or v3 informs");
        public static final Key<Secret> COMMUNITY = optional("community", secret(1), null,
                "v2c community; default [snmp] community");
        public static final Key<String> USER = optional("user", name(), null,
                "v3: the [snmp-user NAME] to send as");
        static final SectionSpec SPEC = named("snmp-trap", name(), "a notification receiver", TARGET,
                VERSION, COMMUNITY, USER);
    }

    public static final class Registrar {
        public static final Key<List<String>> DOMAINS = computed("domains", list(host()),
                "the [sip] listen host", "hosts phones register to (Request-URI and To); another"
                        + " domain gets 404");
        public static final Key<String> REALM = computed("realm", text(), "the first of domains",
                "digest realm of the challenges");
        public static final Key<Integer> MIN_EXPIRES = optional("min_expires_s", integer(1, 3600), "60",
                "shortest registration accepted; shorter gets 423 with Min-Expires (RFC 3261 10.3 step 7)");
        public static final Key<Integer> MAX_EXPIRES = optional("max_expires_s", integer(60, 86_400),
                "3600", "longest registration granted; longer ones are shortened to it");
        public static final Key<Integer> DEFAULT_EXPIRES = optional("default_expires_s",
                integer(1, 86_400), "3600", "registration time when the REGISTER asks for none");
        public static final Key<Path> BINDINGS_FILE = optional("bindings_file", path(),
                "var/lib/bindings.txt", "where registrations are kept across restarts");
        public static final Key<List<RegistrarConfig.DigestAlgorithm>> ALGORITHMS = optional("algorithms",
                list(oneOf(RegistrarConfig.DigestAlgorithm.class)), "sha-256,md5",
                "digest algorithms offered, most preferred first (RFC 8760)");
        public static final Key<Integer> LOCKOUT_FAILURES = optional("lockout_failures", integer(0, 1000), "5",
                "digest failures (REGISTER or INVITE) after which a source address is shut out; 0: never");
        public static final Key<Integer> LOCKOUT_WINDOW = optional("lockout_window_s", integer(1, 86_400), "600",
                "the failures must fall within this many seconds");
        public static final Key<Integer> LOCKOUT_BAN = optional("lockout_s", integer(1, 604_800), "600",
                "how long a shut-out source is ignored (its requests get no answer)");
        static final SectionSpec SPEC = spec("registrar", "REGISTER from [user NAME] phones", DOMAINS,
                REALM, MIN_EXPIRES, MAX_EXPIRES, DEFAULT_EXPIRES, BINDINGS_FILE, ALGORITHMS, LOCKOUT_FAILURES,
                LOCKOUT_WINDOW, LOCKOUT_BAN);
    }

    public static final class User {
        public static final Key<Secret> PASSWORD = required("password", secret(1),
                "digest password the phone registers with: env:VAR, file:PATH or literal");
        public static final Key<List<String>> NUMBERS = optional("numbers", list(digits(false)), "",
                "numbers that ring this user; a number belongs to one user only");
        public static final Key<UserConfig.Fork> FORK = optional("fork", oneOf(UserConfig.Fork.class),
                "parallel", "parallel: all registered contacts ring at once; sequential: one after another,"
                        + " highest q-value first");
        public static final Key<Integer> RING_TIME = optional("ring_time_s", integer(5, 600), "20",
                "how long a contact rings (sequential: before the next; parallel: all of them)");
        public static final Key<Integer> MAX_CONTACTS = optional("max_contacts", integer(1, 100), "10",
                "most registered contacts at once");
        static final SectionSpec SPEC = named("user", name(), "a phone that registers (NAME is its"
                + " digest username)", PASSWORD, NUMBERS, FORK, RING_TIME, MAX_CONTACTS);
    }

    public static final class Cdr {
        public static final Key<Path> DIR = optional("dir", path(), "var/cdr",
                "directory for daily CDR files");
        public static final Key<CdrConfig.Format> FORMAT = optional("format", oneOf(CdrConfig.Format.class),
                "csv", "record format");
        static final SectionSpec SPEC = spec("cdr", "call detail records", DIR, FORMAT);
    }

    public static final class Sim {
        public static final Key<List<Integer>> SPANS = computed("spans", list(integer(1, 128)),
                "every span", "spans wired to the simulated exchange (backend = sim)");
        public static final Key<String> LOOP = optional("loop", digits(false), "1000",
                "loop-around line: answers and echoes audio");
        public static final Key<String> MILLIWATT = optional("milliwatt", digits(false), "1004",
                "answers and sends 1004 Hz at 0 dBm0");
        public static final Key<String> BUSY = optional("busy", digits(false), "1486",
                "clears with cause 17 (user busy)");
        public static final Key<String> UNALLOCATED = optional("unallocated", digits(false), "1404",
                "clears with cause 1 (unallocated number)");
        public static final Key<String> CONGESTION = optional("congestion", digits(false), "1503",
                "clears with cause 34 (no circuit available)");
        public static final Key<String> NOANSWER = optional("noanswer", digits(false), "1480",
                "rings until the caller gives up");
        public static final Key<String> ORIGINATE_FROM = optional("originate_from", digits(false),
                "5550100", "calling number of calls the exchange originates");
        static final SectionSpec SPEC = spec("sim", "the simulated exchange", SPANS, LOOP, MILLIWATT,
                BUSY, UNALLOCATED, CONGESTION, NOANSWER, ORIGINATE_FROM);
    }

    public static final class Presence {
        public static final Key<Boolean> ENABLED = optional("enabled", bool(), "yes",
                "answer SUBSCRIBE for the dialog and presence event packages (needs [user NAME]s)");
        public static final Key<Integer> MIN_EXPIRES = optional("min_expires_s", integer(1, 3600), "60",
                "shortest subscription accepted; shorter gets 423 with Min-Expires (RFC 6665 4.2.1.1)");
        public static final Key<Integer> MAX_EXPIRES = optional("max_expires_s", integer(60, 86_400), "3600",
                "longest subscription granted; longer ones are shortened to it");
        public static final Key<Integer> DEFAULT_EXPIRES = optional("default_expires_s", integer(1, 86_400),
                "3600", "subscription time when the SUBSCRIBE asks for none (RFC 3856, RFC 4235: 3600)");
        public static final Key<Integer> MAX_SUBSCRIPTIONS = optional("max_subscriptions", integer(1, 100_000),
                "1000", "subscriptions held at once in all; beyond it 503 with Retry-After");
        public static final Key<Integer> MAX_PER_USER = optional("max_subscriptions_per_user", integer(1, 10_000),
                "50", "subscriptions one user may hold at once; beyond it 403");
        static final SectionSpec SPEC = spec("presence", "SUBSCRIBE/NOTIFY: dialog and presence of lines",
                ENABLED, MIN_EXPIRES, MAX_EXPIRES, DEFAULT_EXPIRES, MAX_SUBSCRIPTIONS, MAX_PER_USER);
    }

    public static final class Overload {
        public static final Key<Boolean> ENABLED = optional("enabled", bool(), "yes",
                "past capacity, refuse a share of new INVITEs with 503 + Retry-After (RFC 5390; docs/SECURITY.md)");
        public static final Key<Integer> QUEUE_LATENCY = optional("queue_latency_ms", integer(0, 10_000), "100",
                "shed when a message waits this long in call control's queue; 0: not measured");
        public static final Key<Integer> QUEUE_DEPTH = optional("queue_depth", integer(0, 1_000_000), "2000",
                "shed when this many messages wait in call control's queue; 0: not measured");
        public static final Key<Integer> CPU = optional("cpu_percent", integer(0, 100), "90",
                "shed when this process uses this share of all cores; 0: not measured");
        public static final Key<Integer> CHANNELS_BUSY = optional("channels_busy_percent", integer(0, 100), "0",
                "shed when this share of the B-channels is in use; 0: not measured (a full group gets 503 from"
                        + " call control, with its CDR)");
        public static final Key<Integer> LEAVE = optional("leave_percent", integer(10, 100), "80",
                "hysteresis: shedding eases once every measure is below this share of its threshold");
        public static final Key<Integer> RETRY_AFTER = optional("retry_after_s", integer(1, 3600), "5",
                "Retry-After of the 503 to a shed INVITE");
        static final SectionSpec SPEC = spec("overload", "overload control of new INVITEs", ENABLED,
                QUEUE_LATENCY, QUEUE_DEPTH, CPU, CHANNELS_BUSY, LEAVE, RETRY_AFTER);
    }

    public static final class Console {
        public static final Key<Path> SOCKET = optional("socket", path(), "var/run/tandem.sock",
                "Unix socket of tandem ctl (mode 0600)");
        static final SectionSpec SPEC = spec("console", "the control console", SOCKET);
    }

    public static final class Metrics {
        public static final Key<HostPort> LISTEN = optional("listen", hostPort(9464), null,
                "address:port of the Prometheus endpoint (HTTP, GET /metrics), e.g. 127.0.0.1:9464;"
                        + " unset: no endpoint");
        static final SectionSpec SPEC = spec("metrics", "the Prometheus metrics endpoint", LISTEN);
    }

    /** Every section kind, in the order the docs and the sample config list them. */
    public static final List<SectionSpec> SECTIONS = List.of(General.SPEC, Sip.SPEC, Rtp.SPEC,
            Span.SPEC, Group.SPEC, Trunk.SPEC, Route.SPEC, Causes.SPEC, Snmp.SPEC, SnmpUser.SPEC,
            SnmpTrap.SPEC, Registrar.SPEC, User.SPEC, Presence.SPEC, Overload.SPEC, Cdr.SPEC, Sim.SPEC, Console.SPEC, Dahdi.SPEC,
            Metrics.SPEC);

    /**
     * Keys the gateway accepts but does not act on yet, each with what happens instead. A key set
     * to anything but its default gives a warning ({@link org.tandem.config.LoadResult#warnings()}),
     * so nobody takes it for working. Remove a key from here in the change that wires it.
     */
    public static final Map<Key<?>, String> NOT_ACTED_ON = Map.of(
            General.LOG_DIR, "logs go to tandem.log.dir (conf/logback.xml; default log/ under the working"
                    + " directory)",
            Sip.T1, "the SIP stack runs its own RFC 3261 timers (T1 500 ms, T2 4 s, T4 5 s)",
            Sip.T2, "the SIP stack runs its own RFC 3261 timers (T1 500 ms, T2 4 s, T4 5 s)",
            Sip.T4, "the SIP stack runs its own RFC 3261 timers (T1 500 ms, T2 4 s, T4 5 s)",
            Trunk.REALM, "a digest challenge of any realm is answered with this trunk's username and password",
            Sim.ORIGINATE_FROM, "'tandem ctl sim originate' takes the calling number from --from");

    /** Kinds of named sections ({@code span}, {@code trunk}, ...). */
    public static Set<String> namedKinds() {
        return SECTIONS.stream().filter(SectionSpec::named).map(SectionSpec::kind)
                .collect(Collectors.toUnmodifiableSet());
    }

    public static Optional<SectionSpec> section(String kind) {
        return SECTIONS.stream().filter(s -> s.kind().equals(kind)).findFirst();
    }

    private static SectionSpec spec(String kind, String doc, Key<?>... keys) {
        return new SectionSpec(kind, null, doc, List.of(keys), List.of());
    }

    private static SectionSpec named(String kind, ValueType<?> nameType, String doc, Key<?>... keys) {
        return new SectionSpec(kind, nameType, doc, List.of(keys), List.of());
    }
}
