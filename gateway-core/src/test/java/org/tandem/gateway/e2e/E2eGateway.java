package org.tandem.gateway.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.tandem.config.ConfigLoader;
import org.tandem.config.GatewayConfig;
import org.tandem.config.LoadResult;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.sip.testing.SippRunner;

/**
 * A gateway started in-process on the shipped default configuration ({@code conf/tandem.ini}: two
 * simulated E1 spans and the simulated exchange), with every port chosen at run time on
 * 127.0.0.1 and the CDRs in a temporary directory.
 */
final class E2eGateway implements AutoCloseable {
    final Gateway gateway;
    final int sipPort;
    final int trunkPort;
    final Path cdrDir;
    final int rtpFirst;
    final int rtpLast;

    private E2eGateway(Gateway gateway, int sipPort, int trunkPort, Path cdrDir, int rtpFirst, int rtpLast) {
        this.gateway = gateway;
        this.sipPort = sipPort;
        this.trunkPort = trunkPort;
        this.cdrDir = cdrDir;
        this.rtpFirst = rtpFirst;
        this.rtpLast = rtpLast;
    }

    /** The shipped configuration file, from the module directory Maven runs tests in. */
    static Path shippedConfig() {
        Path p = Path.of(System.getProperty("user.dir")).resolve("../conf/tandem.ini").normalize();
        if (!Files.exists(p)) {
            p = Path.of("conf/tandem.ini").toAbsolutePath();
        }
        return p;
    }

    static E2eGateway start(Gateway.Options options, String... extraOverrides) throws Exception {
        int sipPort = SippRunner.freePort();
        int trunkPort = SippRunner.freePort();
        int snmpPort = SippRunner.freePort();
        Path cdr = Files.createTempDirectory("tandem-e2e-cdr");
        // Below the kernel's ephemeral range (32768-60999), where freePort() picks the SIP, trunk
        // and SNMP ports: a range up there could include one of them and the config is refused.
        int rtpFirst = 20_000 + 2 * ThreadLocalRandom.current().nextInt(0, 5_700);
        int rtpLast = rtpFirst + 599;
        List<String> overrides = new ArrayList<>(List.of(
                "sip.listen=127.0.0.1:" + sipPort,
                "rtp.ports=" + rtpFirst + "-" + rtpLast,
                "snmp.listen=127.0.0.1:" + snmpPort,
                "cdr.dir=" + cdr,
                // each gateway its own bindings file (in its scratch directory, deleted on close):
                // the default var/lib/bindings.txt would carry one class's phones into the next
                "registrar.bindings_file=" + cdr.resolve("bindings.txt"),
                "trunk.local.port=" + trunkPort,
                // overload control measures the machine (CPU, call control's latency): on a loaded CI
                // box it would shed other tests' calls; OverloadEndToEndTest turns it on itself
                "overload.enabled=no"));
        overrides.addAll(List.of(extraOverrides));
        LoadResult r = ConfigLoader.load(shippedConfig(), overrides);
        if (!r.ok()) {
            throw new IllegalStateException(r.errorReport());
        }
        GatewayConfig config = r.orThrow();
        Gateway g = Gateway.start(config, options, () -> Optional.of(config));
        return new E2eGateway(g, sipPort, trunkPort, cdr, rtpFirst, rtpLast);
    }

    /** sipp as UAC towards this gateway, source port inside the trunk's trusted loopback range. */
    SippRunner.Sipp uac(Path scenario, String service, int rtpPort) {
        return SippRunner.scenario(scenario).to(SippRunner.LOOPBACK, sipPort).option("-s", service)
                .option("-key", "rtpport", Integer.toString(rtpPort));
    }

    /**
     * sipp as UAS on the trunk's port: the SIP side of PSTN -> SIP calls (the shipped route sends
     * them to {@code trunk.local}), advertising {@code rtpPort} in its SDP.
     */
    SippRunner.Sipp trunkUas(Path scenario, int rtpPort) {
        return SippRunner.scenario(scenario).localPort(trunkPort).option("-key", "rtpport", Integer.toString(rtpPort));
    }

    /** CDR lines (without the header) written so far. */
    List<String[]> cdrs() throws IOException {
        List<String[]> out = new ArrayList<>();
        try (var files = Files.list(cdrDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                for (String l : lines.subList(Math.min(1, lines.size()), lines.size())) {
                    out.add(l.split(",", -1));
                }
            }
        }
        return out;
    }

    /** Waits (bounded) for a CDR matching {@code match}; returns it or null. */
    String[] awaitCdr(Predicate<String[]> match, long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        do {
            for (String[] r : cdrs()) {
                if (match.test(r)) {
                    return r;
                }
            }
            Thread.sleep(50);
        } while (System.nanoTime() - deadline < 0);
        return null;
    }

    /** Waits (bounded) until no call is left and every B-channel and RTP port is free. */
    boolean awaitIdle(long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        do {
            if (gateway.callControl().liveCalls().get(2, TimeUnit.SECONDS) == 0
                    && gateway.callControl().busyChannels().get(2, TimeUnit.SECONDS) == 0
                    && gateway.media().portsInUse() == 0
                    // every ended call's CDR on disk: tests read the file right after
                    && gateway.cdrWriter().pending() == 0) {
                return true;
            }
            Thread.sleep(50);
        } while (System.nanoTime() - deadline < 0);
        return false;
    }

    /** Waits (bounded) until every span's D-channel is up and in service. */
    boolean awaitSpansUp(long timeoutMs) throws Exception {
        return awaitSpansUp(gateway, timeoutMs);
    }

    /** Waits (bounded) until every span's D-channel of {@code gateway} is up and in service. */
    static boolean awaitSpansUp(Gateway gateway, long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        do {
            if (gateway.callControl().allSpansUp().get(2, TimeUnit.SECONDS)) {
                return true;
            }
            Thread.sleep(50);
        } while (System.nanoTime() - deadline < 0);
        return false;
    }

    @Override
    public void close() {
        gateway.close();
        Scenarios.deleteTree(cdrDir);
    }

    // CDR columns (docs/OPERATIONS.md)
    static final int CALLING_IN = 7;
    static final int CALLED_IN = 8;
    static final int CALLING_OUT = 9;
    static final int CALLED_OUT = 10;
    static final int SPAN = 11;
    static final int CHANNEL = 12;
    static final int SIP_CALL_ID = 13;
    static final int Q850 = 15;
    static final int SIP_STATUS = 16;
    static final int DISPOSITION = 17;
    static final int RELEASED_BY = 18;
    static final int RTP_SENT = 19;
    static final int RTP_RECEIVED = 20;
    static final int USER = 23;
}
