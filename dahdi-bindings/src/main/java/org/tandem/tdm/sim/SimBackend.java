package org.tandem.tdm.sim;

import org.tandem.tdm.SpanType;
import org.tandem.tdm.TdmBackend;
import org.tandem.tdm.TdmSpan;

/** The {@code sim} backend: spans of a {@link SimulatedCard}. Closing it closes the card. */
final class SimBackend implements TdmBackend {
    private final SimulatedCard card;

    SimBackend(SimulatedCard card) {
        this.card = card;
    }

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public TdmSpan openSpan(int spanNumber, SpanType type, int dChannelPos, int[] bChannelPositions) {
        return card.openSpan(spanNumber, type, dChannelPos, bChannelPositions);
    }

    @Override
    public void close() {
        card.close();
    }
}
