package org.tandem.bench.srtp;

import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.tandem.bench.AbstractBenchmark;
import org.tandem.gateway.srtp.SrtpContext;
import org.tandem.gateway.srtp.SrtpProfile;

/**
 * SRTP alone (RFC 3711, {@code SrtpContext}): one operation protects one 20 ms G.711 packet
 * (12-byte header, 160-byte payload) into a direct buffer and unprotects it with the receiving
 * context: AES-CM keystream (11 blocks), HMAC-SHA1 twice, the index estimate and the replay
 * window. {@code rtcp} also protects and unprotects a 60-byte RTCP report every operation. Run
 * with {@code -prof gc}: B/op must be 0.
 */
public class SrtpBenchmark extends AbstractBenchmark {
    @Param({"AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"})
    public String suite;

    @Param({"false"})
    public boolean rtcp;

    private SrtpContext tx;
    private SrtpContext rx;
    private final ByteBuffer packet = ByteBuffer.allocateDirect(2048);
    private final ByteBuffer report = ByteBuffer.allocateDirect(512);
    private int seq;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] key = new byte[SrtpProfile.KEY_SALT_LENGTH];
        new java.util.Random(3).nextBytes(key);
        SrtpProfile p = SrtpProfile.valueOf(suite);
        tx = new SrtpContext(p, key);
        rx = new SrtpContext(p, key);
    }

    @TearDown(Level.Trial)
    public void check() {
        if (rx.authFailures() != 0 || rx.replays() != 0 || rx.authenticated() == 0) {
            throw new IllegalStateException("SRTP round trip failed: " + rx.authFailures() + " tag, " + rx.replays()
                    + " replay");
        }
    }

    @Benchmark
    public int roundTrip() {
        packet.put(0, (byte) 0x80);
        packet.put(1, (byte) 8);
        packet.putShort(2, (short) seq++);
        packet.putInt(4, seq * 160);
        packet.putInt(8, 0x5EED);
        int n = tx.protectRtp(packet, 172);
        int m = rx.unprotectRtp(packet, n);
        if (rtcp) {
            report.put(0, (byte) 0x81);
            report.put(1, (byte) 200);
            report.putShort(2, (short) 14);
            report.putInt(4, 0x5EED);
            int r = tx.protectRtcp(report, 60);
            m += rx.unprotectRtcp(report, r);
        }
        return m;
    }
}
