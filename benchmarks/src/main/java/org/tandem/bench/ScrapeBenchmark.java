package org.tandem.bench;

import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.tandem.gateway.metrics.GatewayMetrics;
import org.tandem.gateway.ops.ActiveCall;
import org.tandem.gateway.ops.CallDirection;
import org.tandem.gateway.ops.GatewayModel;
import org.tandem.gateway.ops.GatewayState;
import org.tandem.gateway.ops.LineCoding;
import org.tandem.gateway.ops.LineType;
import org.tandem.gateway.ops.SpanDefinition;

/**
 * The Prometheus endpoint's cost on a large gateway: one scrape ({@link GatewayMetrics#render}) of
 * 8 E1 spans with every B-channel busy (240 calls), 20 trunks, 30 release causes and 10 SIP
 * statuses in use; and the call-control side, {@code CallOutcomes.completed} per ended call.
 */
public class ScrapeBenchmark extends AbstractBenchmark {
    private static final String[] TRUNKS = new String[16];

    static {
        for (int i = 0; i < TRUNKS.length; i++) {
            TRUNKS[i] = "trunk" + i;
        }
    }

    private GatewayModel model;
    private GatewayMetrics metrics;
    private int n;

    @Setup
    public void setUp() {
        model = new GatewayModel("bench", System::currentTimeMillis);
        List<Integer> bearers = new ArrayList<>();
        for (int i = 1; i <= 31; i++) {
            if (i != 16) {
                bearers.add(i);
            }
        }
        for (int s = 1; s <= 8; s++) {
            model.addSpan(new SpanDefinition(s, "span" + s, LineType.E1_CRC, LineCoding.HDB3, "pri_cpe", bearers));
            model.setSpanAlarms(s, 0);
            model.setDChannelUp(s, true);
            for (int c : bearers) {
                model.callStarted(s, c, ActiveCall.started("c" + s + "-" + c, CallDirection.SIP_TO_PSTN, "0301234567",
                        "1004", "id@host", System.currentTimeMillis()).withAnswer(System.currentTimeMillis()));
            }
        }
        model.setGatewayState(GatewayState.RUNNING);
        int[] statuses = {200, 404, 480, 486, 487, 500, 503, 403, 408, 603};
        for (int i = 0; i < 10_000; i++) {
            model.outcomes().completed("trunk" + (i % 20), 1 + i % 8, i % 3 == 0, 1 + i % 30, statuses[i % 10]);
            model.outcomes().rtp(500, i % 7, 0.001 * (i % 40));
        }
        metrics = new GatewayMetrics(model, "bench", null);
    }

    /** One whole exposition, as a scrape renders it. */
    @Benchmark
    public int scrape() {
        return metrics.render().length();
    }

    /** Counting one ended call (call control's thread, once per call). */
    @Benchmark
    public void callCompleted() {
        int i = n++;
        model.outcomes().completed(TRUNKS[i & 15], 1 + (i & 7), (i & 1) == 0, 16 + (i & 3), 200);
    }
}
