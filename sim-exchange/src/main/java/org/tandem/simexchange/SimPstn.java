package org.tandem.simexchange;

import org.tandem.pri.PriEngine;
import org.tandem.tdm.SpanType;
import org.tandem.tdm.TdmBackend;
import org.tandem.tdm.TdmSpan;
import org.tandem.tdm.sim.SimCardConfig;
import org.tandem.tdm.sim.SimulatedCard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A complete simulated PSTN for {@code backend = sim}: a {@link SimulatedCard} with N spans of one
 * type (E1: D-channel 16, B 1-15,17-31; T1: D-channel 24, B 1-23) and a {@link SimExchange} on the
 * far side of each, all signalling on the given {@link PriEngine}.
 *
 * <pre>
 * try (SimPstn pstn = SimPstn.start(engine, SpanType.E1, 2, ExchangeConfig.defaults(SpanType.E1))) {
 *     TdmBackend backend = pstn.backend();   // the gateway opens spans 1..2 with the same layout
 *     pstn.exchange(1).originate("5551234", "200", ChannelId.ANY);
 * }
 * </pre>
 */
public final class SimPstn implements AutoCloseable {
    private final SimulatedCard card;
    private final SpanType type;
    private final List<TdmSpan> spans = new ArrayList<>();
    private final List<SimExchange> exchanges = new ArrayList<>();

    private SimPstn(SimulatedCard card, SpanType type) {
        this.card = card;
        this.type = type;
    }

    public static SimPstn start(PriEngine engine, SpanType type, int spanCount, ExchangeConfig config) {
        return start(engine, type, spanCount, config, SimCardConfig.defaults());
    }

    public static SimPstn start(PriEngine engine, SpanType type, int spanCount, ExchangeConfig config,
                                SimCardConfig cardConfig) {
        if (spanCount < 1 || spanCount > 128) {
            throw new IllegalArgumentException("span count must be 1..128, got " + spanCount);
        }
        SimPstn pstn = new SimPstn(new SimulatedCard(cardConfig), type);
        try {
            for (int s = 1; s <= spanCount; s++) {
                pstn.spans.add(pstn.card.openSpan(s, type, dChannel(type), bChannels(type)));
                pstn.exchanges.add(SimExchange.attach(engine, pstn.card, s, type, config));
            }
        } catch (RuntimeException e) {
            pstn.close();
            throw e;
        }
        return pstn;
    }

    /** D-channel timeslot of the span layout used: 16 on E1, 24 on T1. */
    public static int dChannel(SpanType type) {
        return type.defaultDChannel();
    }

    /** B-channel timeslots of the span layout used. */
    public static int[] bChannels(SpanType type) {
        int[] b = new int[type == SpanType.E1 ? 30 : 23];
        int i = 0;
        for (int ts = 1; ts <= type.timeslots(); ts++) {
            if (ts != type.defaultDChannel()) {
                b[i++] = ts;
            }
        }
        return b;
    }

    /** The {@code sim} backend for the gateway; its openSpan returns the spans opened here. */
    public TdmBackend backend() {
        return card.backend();
    }

    public SimulatedCard card() {
        return card;
    }

    public SpanType type() {
        return type;
    }

    /** The gateway side of span {@code n} (1-based). */
    public TdmSpan span(int n) {
        return spans.get(n - 1);
    }

    public SimExchange exchange(int n) {
        return exchanges.get(n - 1);
    }

    public List<SimExchange> exchanges() {
        return Collections.unmodifiableList(exchanges);
    }

    /** Stops the card (closing every descriptor). The engine belongs to the caller. */
    @Override
    public void close() {
        card.close();
    }
}
