package org.tandem.bench.load;

import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.tandem.config.ConfigLoader;
import org.tandem.config.GatewayConfig;
import org.tandem.config.LoadResult;
import org.tandem.gateway.app.Gateway;
import org.tandem.gateway.sip.SipUserAgent;

/**
 * The whole gateway in this JVM, as {@code tandem run} starts it, on a generated configuration: N
 * simulated E1 spans (30 B-channels each) wired to the simulated exchange, sipp's calls to the
 * exchange's loop-around line 1000 routed there from the trusted trunk on 127.0.0.1.
 */
final class GatewayTarget implements Target {
    private final Gateway gateway;
    private final int sipPort;
    private final Path ini;

    GatewayTarget(int spans, Path work) throws Exception {
        sipPort = FreeUdp.port();
        ini = work.resolve("tandem-load.ini");
        Files.writeString(ini, config(spans, sipPort, work));
        LoadResult r = ConfigLoader.load(ini, List.of());
        if (!r.ok()) {
            throw new IllegalStateException(r.errorReport());
        }
        GatewayConfig config = r.orThrow();
        gateway = Gateway.start(config, Gateway.Options.defaults(), () -> Optional.of(config));
    }

    /** The INI: everything at its default but what a load run on loopback needs. */
    static String config(int spans, int sipPort, Path work) throws IOException {
        int rtpBase = 20000 + 2 * (sipPort % 4000); // even, inside 20000-27999 + 4000 ports
        StringBuilder b = new StringBuilder();
        b.append("; written by tandem-load\n[general]\nname = tandem-load\nbackend = sim\n\n");
        b.append("[sip]\nlisten = 127.0.0.1:").append(sipPort).append("\ntransports = udp\n\n");
        b.append("[rtp]\nports = ").append(rtpBase).append('-').append(rtpBase + 3999).append("\n\n");
        for (int s = 1; s <= spans; s++) {
            b.append("[span ").append(s).append("]\ntype = e1\nsignalling = pri_cpe\nswitchtype = euroisdn\n")
                    .append("group = pstn\n\n");
        }
        b.append("[group pstn]\nhunting = ascending\n\n");
        b.append("[trunk load]\nhost = 127.0.0.1\nport = 5060\ntrusted = 127.0.0.0/8\n\n");
        b.append("[route to-pstn]\ndirection = sip-to-pstn\nmatch_called = [0-9]+\nfrom_trunk = load\n")
                .append("target = group:pstn\n\n");
        b.append("[cdr]\ndir = ").append(work.resolve("cdr")).append("\n\n");
        b.append("[snmp]\nenabled = no\n\n");
        // The ramp looks for what the gateway can carry; overload control would turn the excess
        // into 503s (counted as failed calls) at its own threshold instead. bin/bench-overload
        // measures overload control itself.
        b.append("[overload]\nenabled = no\n\n");
        b.append("[console]\nsocket = ").append(work.resolve("tandem.sock")).append('\n');
        return b.toString();
    }

    Gateway gateway() {
        return gateway;
    }

    Path ini() {
        return ini;
    }

    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public int sipPort() {
        return sipPort;
    }

    @Override
    public long transactions() {
        return transactions(stack(gateway.sip()));
    }

    static long transactions(Object stack) {
        if (stack instanceof SIPTransactionStack s) {
            return s.getServerTransactionTableSize() + s.getClientTransactionTableSize();
        }
        return -1;
    }

    private static Object stack(SipUserAgent ua) {
        try {
            Field f = SipUserAgent.class.getDeclaredField("stack");
            f.setAccessible(true);
            return f.get(ua);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    @Override
    public void close() {
        gateway.close();
    }
}
